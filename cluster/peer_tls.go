package cluster

import (
	"crypto/tls"
	"errors"
)

// PeerTLS is a member's side of mutual TLS between members (--tls-cluster):
// what its Raft listener requires of callers and what it presents when it
// dials. Which certificates count as the cluster's is the configurations'
// business (tlsconf: any certificate the cluster's CA signed, names and key
// usages not checked).
type PeerTLS struct {
	// Server is the Raft listener's configuration: it must require a
	// client certificate and verify it.
	Server *tls.Config
	// Client returns the configuration for one dial to another member,
	// presenting this node's certificate and verifying the other's. It is
	// called for each dial, so renewed certificates reach new connections.
	Client func() (*tls.Config, error)
}

// errPeerTLS is a PeerTLS that lacks one of its sides.
var errPeerTLS = errors.New("tls-cluster needs both a server and a client TLS configuration")

// check reports what p lacks, if anything.
func (p *PeerTLS) check() error {
	if p.Server == nil || p.Client == nil {
		return errPeerTLS
	}
	return nil
}
