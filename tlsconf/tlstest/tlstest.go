// Package tlstest makes certificates for tests: a CA, and leaf
// certificates it signs for servers and clients, written as PEM files.
// Keys are ECDSA P-256 (fast to make). Not for production use.
package tlstest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// CA is a certificate authority made for one test.
type CA struct {
	Cert *x509.Certificate
	Key  *ecdsa.PrivateKey
	PEM  []byte // the CA certificate
}

func nextSerial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		panic(err)
	}
	return n
}

// NewCA makes a self-signed CA named name.
func NewCA(t testing.TB, name string) *CA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: nextSerial(), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return &CA{Cert: cert, Key: key, PEM: pemBlock("CERTIFICATE", der)}
}

// Issue signs a leaf certificate named cn, valid for server and client
// authentication, for localhost, 127.0.0.1, ::1 and hosts; it returns
// the certificate and key as PEM.
func (ca *CA) Issue(t testing.TB, cn string, hosts ...string) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: nextSerial(), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		DNSNames:    []string{"localhost"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, &key.PublicKey, ca.Key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pemBlock("CERTIFICATE", der), pemBlock("EC PRIVATE KEY", kder)
}

// Files are the paths of a test's TLS files.
type Files struct {
	CA                    string // ca.crt: the cluster's CA
	Cert, Key             string // a node's certificate and key (CN "node")
	ClientCert, ClientKey string // a client's (CN "client"), same CA
	RogueCA               string // another CA
	RogueCert, RogueKey   string // a certificate of the other CA (CN "rogue")
	CAObj, RogueCAObj     *CA
}

// Write makes the cluster's CA, a node and a client certificate, and a
// rogue CA with a certificate of its own, in dir.
func Write(t testing.TB, dir string) Files {
	t.Helper()
	ca, rogue := NewCA(t, "geetcache test CA"), NewCA(t, "rogue CA")
	f := Files{CAObj: ca, RogueCAObj: rogue}
	f.CA = WriteFile(t, dir, "ca.crt", ca.PEM)
	f.RogueCA = WriteFile(t, dir, "rogue-ca.crt", rogue.PEM)
	f.Cert, f.Key = ca.WritePair(t, dir, "node")
	f.ClientCert, f.ClientKey = ca.WritePair(t, dir, "client")
	f.RogueCert, f.RogueKey = rogue.WritePair(t, dir, "rogue")
	return f
}

// WritePair issues a certificate named name and writes name.crt and
// name.key in dir, returning their paths.
func (ca *CA) WritePair(t testing.TB, dir, name string, hosts ...string) (certFile, keyFile string) {
	t.Helper()
	c, k := ca.Issue(t, name, hosts...)
	return WriteFile(t, dir, name+".crt", c), WriteFile(t, dir, name+".key", k)
}

// WriteFile writes data to dir/name (mode 0600) and returns the path.
func WriteFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}
