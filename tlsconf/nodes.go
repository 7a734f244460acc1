package tlsconf

import (
	"crypto/tls"
)

// With tls-cluster, a node's links to another node's clients' TLS port
// (forwarding, read index, joining) present the node's certificate, and
// the receiving node tells them from clients by that certificate.

// VerifyPeer checks that a connection's peer presented a certificate
// chain to the current CAs, as PeerServerConfig does (names and key usages
// not checked). A connection whose handshake verified its chain already
// is checked again: VerifyPeer decides alone.
func (st *Store) VerifyPeer(cs tls.ConnectionState) error {
	m := st.cur.Load()
	if m.pool == nil {
		return errNoCA
	}
	return m.verifyChain(cs.PeerCertificates)
}

// ServerConfigAsking is ServerConfig, except that with tls-auth-clients
// no it still asks every client for a certificate, without requiring or
// checking one: a node's link presents its own, which VerifyPeer then
// checks, and a client that has none connects as before.
func (st *Store) ServerConfigAsking() *tls.Config {
	return &tls.Config{GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) {
		c := st.cur.Load().ServerConfig()
		if c.ClientAuth == tls.NoClientCert {
			c.ClientAuth = tls.RequestClientCert
		}
		return c, nil
	}}
}
