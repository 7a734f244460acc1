package tlsconf

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
)

// errNoPeerCert is a node link's refusal of a peer without a certificate.
var errNoPeerCert = errors.New("tls: the peer presented no certificate")

// base is what every configuration from m shares.
func (m *Material) base() *tls.Config {
	return &tls.Config{
		Certificates: []tls.Certificate{m.cert},
		MinVersion:   m.lo, MaxVersion: m.hi,
		CipherSuites: m.ciphers,
	}
}

// ServerConfig is the clients' TLS port: tls-auth-clients decides whether
// a client certificate is required (yes), checked when given (optional),
// or not asked for (no); a given one must chain to the CAs, with the
// client-authentication usage when it names usages.
func (m *Material) ServerConfig() *tls.Config {
	c := m.base()
	c.ClientAuth = m.auth
	c.ClientCAs = m.pool
	if m.pool == nil {
		c.ClientAuth = tls.NoClientCert
	}
	return c
}

// PeerServerConfig is the accepting side of a link between nodes: the
// peer must present a certificate that chains to the CAs, whatever
// tls-auth-clients says. Host names are not checked (any certificate the
// cluster's CA signed is a member), nor key usages (one certificate per
// node serves both directions).
func (m *Material) PeerServerConfig() (*tls.Config, error) {
	if m.pool == nil {
		return nil, errNoCA
	}
	c := m.base()
	c.ClientAuth = tls.RequireAnyClientCert
	c.VerifyPeerCertificate = m.verifyPeer
	return c, nil
}

// PeerClientConfig is the dialing side of a link between nodes: it
// presents the node's certificate and accepts a server whose certificate
// chains to the CAs, without checking its host name (as Redis's links
// between nodes do not). serverName, if not empty, is sent as SNI only.
func (m *Material) PeerClientConfig(serverName string) (*tls.Config, error) {
	if m.pool == nil {
		return nil, errNoCA
	}
	c := m.base()
	c.ServerName = serverName
	c.InsecureSkipVerify = true // replaced by verifyPeer: chain without host name
	c.VerifyPeerCertificate = m.verifyPeer
	return c, nil
}

// verifyPeer checks that the peer's chain ends at one of m's CAs.
func (m *Material) verifyPeer(raw [][]byte, _ [][]*x509.Certificate) error {
	certs := make([]*x509.Certificate, len(raw))
	for i, der := range raw {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return fmt.Errorf("tls: bad peer certificate: %w", err)
		}
		certs[i] = c
	}
	return m.verifyChain(certs)
}

// verifyChain checks that certs, the peer's certificate first, chain to
// one of m's CAs.
func (m *Material) verifyChain(certs []*x509.Certificate) error {
	if len(certs) == 0 {
		return errNoPeerCert
	}
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	_, err := certs[0].Verify(x509.VerifyOptions{
		Roots: m.pool, Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err != nil {
		return fmt.Errorf("tls: peer certificate %q refused: %w", certs[0].Subject.CommonName, err)
	}
	return nil
}
