package main

import (
	"crypto/tls"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/tlsconf"
)

// -tls-cluster, Redis's name for "the cluster bus over TLS": with yes,
// every link between nodes is mutual TLS with the node's certificate
// (-tls-cert-file) and the cluster's CA (-tls-ca-cert-file or -dir): the
// Raft transport, and the RESP links to another node's TLS port
// (forwarding, read index, RAFT ADDVOTER of -join, RAFT ADVERTISE). The
// node then announces its TLS port to the others (-advertise's default),
// as Redis announces tls-port when tls-cluster is yes.

// validateTLSCluster checks -tls-cluster and what it needs.
func (c *config) validateTLSCluster() error {
	switch strings.ToLower(c.tlsCluster) {
	case "no", "false":
		return nil
	case "yes", "true":
	default:
		return fmt.Errorf("invalid value %q for -tls-cluster: must be yes or no", c.tlsCluster)
	}
	switch {
	case !c.tls.Enabled():
		return fmt.Errorf("invalid value %q for -tls-cluster: -tls-cert-file and -tls-key-file must be given (the node's certificate)", c.tlsCluster)
	case !c.tls.HasCA():
		return fmt.Errorf("invalid value %q for -tls-cluster: -tls-ca-cert-file or -tls-ca-cert-dir must be given (the cluster's CA)", c.tlsCluster)
	case c.tlsPort == 0:
		return fmt.Errorf("invalid value %q for -tls-cluster: -tls-port must be given (the nodes reach each other's TLS port)", c.tlsCluster)
	}
	return nil
}

// tlsClusterOn reports whether -tls-cluster is yes.
func (c *config) tlsClusterOn() bool {
	v := strings.ToLower(c.tlsCluster)
	return v == "yes" || v == "true"
}

// nodeLinks is what -tls-cluster gives the node: the Raft transport's
// mutual TLS, the dialer of its RESP links to other nodes, and the check
// that tells a node's connection from a client's.
type nodeLinks struct {
	peer  *cluster.PeerTLS
	dial  cluster.DialFunc
	check func(tls.ConnectionState) error
}

// newNodeLinks builds nodeLinks from the node's TLS material: the zero
// value (plain links) when -tls-cluster is no.
func (c *config) newNodeLinks(st *tlsconf.Store) (nodeLinks, error) {
	if !c.tlsClusterOn() {
		return nodeLinks{}, nil
	}
	server, err := st.PeerServerConfig()
	if err != nil {
		return nodeLinks{}, fmt.Errorf("failed to set up tls-cluster: %w", err)
	}
	return nodeLinks{
		peer:  &cluster.PeerTLS{Server: server, Client: func() (*tls.Config, error) { return st.PeerClientConfig("") }},
		dial:  func(addr string, timeout time.Duration) (net.Conn, error) { return dialNode(st, addr, timeout) },
		check: st.VerifyPeer,
	}, nil
}

// dialNode connects to another node's TLS port at addr, presenting this
// node's certificate, within timeout (handshake included).
func dialNode(st *tlsconf.Store, addr string, timeout time.Duration) (net.Conn, error) {
	host, _, _ := net.SplitHostPort(addr)
	cfg, err := st.PeerClientConfig(host) // SNI only; the chain is what is checked
	if err != nil {
		return nil, err
	}
	return tls.DialWithDialer(&net.Dialer{Timeout: timeout}, "tcp", addr, cfg)
}
