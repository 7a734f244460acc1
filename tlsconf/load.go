package tlsconf

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// Material is one loaded set of TLS files: immutable once made.
type Material struct {
	settings Settings
	cert     tls.Certificate // the chain and key; Leaf is set
	pool     *x509.CertPool  // the CAs; nil without any
	auth     tls.ClientAuthType
	lo, hi   uint16
	ciphers  []uint16
}

// Leaf is the node's own certificate (the first of tls-cert-file).
func (m *Material) Leaf() *x509.Certificate { return m.cert.Leaf }

// Load validates s and reads its files. Each failure names the parameter
// and the file: unreadable, not PEM, no certificate, a key that does not
// match the certificate, a CA file or directory holding no certificate.
func Load(s Settings) (*Material, error) {
	if !s.Enabled() {
		return nil, errors.New("no tls-cert-file configured")
	}
	if err := s.Check(); err != nil {
		return nil, err
	}
	m := &Material{settings: s}
	m.auth, _ = s.clientAuth()
	m.lo, m.hi, _ = s.versions()
	m.ciphers, _ = cipherIDs(s.Ciphers)
	var err error
	if m.cert, err = loadKeyPair(s.CertFile, s.KeyFile); err != nil {
		return nil, err
	}
	if m.pool, err = loadCAs(s.CACertFile, s.CACertDir); err != nil {
		return nil, err
	}
	return m, nil
}

// loadKeyPair reads the certificate chain and its private key.
func loadKeyPair(certFile, keyFile string) (tls.Certificate, error) {
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("failed to load certificate: tls-cert-file %s: %w", certFile, err)
	}
	if len(pemCerts(certPEM)) == 0 {
		return tls.Certificate{}, fmt.Errorf("failed to load certificate: tls-cert-file %s: no PEM certificate in it", certFile)
	}
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("failed to load private key: tls-key-file %s: %w", keyFile, err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("failed to load private key: tls-key-file %s with tls-cert-file %s: %w", keyFile, certFile, err)
	}
	if cert.Leaf == nil {
		if cert.Leaf, err = x509.ParseCertificate(cert.Certificate[0]); err != nil {
			return tls.Certificate{}, fmt.Errorf("failed to load certificate: tls-cert-file %s: %w", certFile, err)
		}
	}
	return cert, nil
}

// loadCAs reads the CA file and every regular file of the CA directory
// (OpenSSL's hashed names or any other), into one pool; nil when neither
// is given. Files in the directory without a certificate are skipped, but
// the directory must hold at least one.
func loadCAs(file, dir string) (*x509.CertPool, error) {
	if file == "" && dir == "" {
		return nil, nil
	}
	pool := x509.NewCertPool()
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("failed to configure CA certificate(s): tls-ca-cert-file %s: %w", file, err)
		}
		if n, err := addCerts(pool, data); err != nil || n == 0 {
			return nil, fmt.Errorf("failed to configure CA certificate(s): tls-ca-cert-file %s: %s", file, noCertReason(err))
		}
	}
	if dir != "" {
		if err := addDir(pool, dir); err != nil {
			return nil, err
		}
	}
	return pool, nil
}

func addDir(pool *x509.CertPool, dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("failed to configure CA certificate(s): tls-ca-cert-dir %s: %w", dir, err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	total := 0
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			continue // a subdirectory or an unreadable file: OpenSSL skips it too
		}
		n, _ := addCerts(pool, data)
		total += n
	}
	if total == 0 {
		return fmt.Errorf("failed to configure CA certificate(s): tls-ca-cert-dir %s: no PEM certificate in its files", dir)
	}
	return nil
}

// addCerts adds every PEM certificate of data to pool.
func addCerts(pool *x509.CertPool, data []byte) (int, error) {
	n := 0
	for _, der := range pemCerts(data) {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return n, err
		}
		pool.AddCert(c)
		n++
	}
	return n, nil
}

// pemCerts returns the DER bytes of every CERTIFICATE block of data.
func pemCerts(data []byte) [][]byte {
	var out [][]byte
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return out
		}
		if b.Type == "CERTIFICATE" {
			out = append(out, b.Bytes)
		}
	}
}

func noCertReason(err error) string {
	if err != nil {
		return err.Error()
	}
	return "no PEM certificate in it"
}
