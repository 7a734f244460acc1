// Package tlsconf turns Redis's TLS parameters (tls-cert-file,
// tls-key-file, tls-ca-cert-file, tls-ca-cert-dir, tls-auth-clients,
// tls-protocols, tls-ciphers, tls-ciphersuites) into crypto/tls
// configurations: one for the clients' TLS port, and a pair for the links
// between nodes, where the node's certificate is both its server and its
// client certificate and any certificate the cluster's CA signed is a
// member. A Store holds the loaded material and swaps it atomically on
// Reload, so new connections pick up renewed certificates without a
// restart; connections already open keep theirs.
package tlsconf

import (
	"crypto/tls"
	"errors"
	"fmt"
	"strings"
)

// Settings are Redis's TLS parameters, as text (CONFIG GET shows them as
// given). The zero value is TLS off.
type Settings struct {
	CertFile     string // tls-cert-file: PEM certificate chain, the leaf first
	KeyFile      string // tls-key-file: PEM private key (unencrypted)
	CACertFile   string // tls-ca-cert-file: PEM CA certificates that sign peers
	CACertDir    string // tls-ca-cert-dir: every PEM certificate in its files
	AuthClients  string // tls-auth-clients: yes (""), no or optional
	Protocols    string // tls-protocols: "" is "TLSv1.2 TLSv1.3"
	Ciphers      string // tls-ciphers: TLS 1.2 suites, ':'-separated ("": Go's)
	Ciphersuites string // tls-ciphersuites: TLS 1.3 suites, ':'-separated
}

// Enabled reports whether a certificate or key is configured: TLS is
// wanted, and Load must succeed.
func (s Settings) Enabled() bool { return s.CertFile != "" || s.KeyFile != "" }

// HasCA reports whether CA certificates are configured (needed to verify
// clients, and always for the links between nodes).
func (s Settings) HasCA() bool { return s.CACertFile != "" || s.CACertDir != "" }

// Auth values of tls-auth-clients.
const (
	AuthYes      = "yes"
	AuthNo       = "no"
	AuthOptional = "optional"
)

// errNoCA is Redis's refusal of client authentication without a CA.
var errNoCA = errors.New("either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-auth-clients is enabled")

// clientAuth maps tls-auth-clients to crypto/tls.
func (s Settings) clientAuth() (tls.ClientAuthType, error) {
	switch strings.ToLower(s.AuthClients) {
	case "", AuthYes:
		return tls.RequireAndVerifyClientCert, nil
	case AuthOptional:
		return tls.VerifyClientCertIfGiven, nil
	case AuthNo:
		return tls.NoClientCert, nil
	}
	return 0, fmt.Errorf("invalid tls-auth-clients %q: must be yes, no or optional", s.AuthClients)
}

// CheckAuthClients validates a tls-auth-clients value.
func CheckAuthClients(v string) error {
	_, err := Settings{AuthClients: v}.clientAuth()
	return err
}

var protocolVersions = map[string]uint16{
	"tlsv1": tls.VersionTLS10, "tlsv1.1": tls.VersionTLS11,
	"tlsv1.2": tls.VersionTLS12, "tlsv1.3": tls.VersionTLS13,
}

// versions maps tls-protocols to the lowest and highest version allowed.
// Go allows a range only, so a list with a hole ("TLSv1.1 TLSv1.3") is
// refused rather than silently widened.
func (s Settings) versions() (lo, hi uint16, err error) {
	if strings.TrimSpace(s.Protocols) == "" {
		return tls.VersionTLS12, tls.VersionTLS13, nil
	}
	set := map[uint16]bool{}
	for _, p := range strings.Fields(s.Protocols) {
		v, ok := protocolVersions[strings.ToLower(p)]
		if !ok {
			return 0, 0, fmt.Errorf("invalid tls-protocols %q: use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'", s.Protocols)
		}
		set[v] = true
		if lo == 0 || v < lo {
			lo = v
		}
		hi = max(hi, v)
	}
	for v := lo; v <= hi; v++ {
		if !set[v] {
			return 0, 0, fmt.Errorf("invalid tls-protocols %q: the versions must follow each other (no gap)", s.Protocols)
		}
	}
	return lo, hi, nil
}

// Check validates everything but the files.
func (s Settings) Check() error {
	if s.Enabled() && s.CertFile == "" {
		return errors.New("no tls-cert-file configured")
	}
	if s.Enabled() && s.KeyFile == "" {
		return errors.New("no tls-key-file configured")
	}
	auth, err := s.clientAuth()
	if err != nil {
		return err
	}
	if s.Enabled() && auth != tls.NoClientCert && !s.HasCA() {
		return errNoCA
	}
	if _, _, err := s.versions(); err != nil {
		return err
	}
	if _, err := cipherIDs(s.Ciphers); err != nil {
		return err
	}
	return checkSuites13(s.Ciphersuites)
}
