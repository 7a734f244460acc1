package server

import (
	"crypto/tls"
	"errors"
	"sync/atomic"

	"github.com/geetcache/geetcache/protocol"
)

// tls-replication yes makes a node that replicates a Redis master
// (REPLICAOF) reach it over TLS, as a Redis replica does: the node
// presents its own certificate (tls-cert-file) and accepts a master whose
// certificate chains to tls-ca-cert-file or tls-ca-cert-dir, its host name
// not checked (Redis checks none either). It needs the node's TLS material
// with a CA, given at start; CONFIG SET tls-replication yes without them
// fails with Redis's reason (a configuration file's or the command line's
// is checked by cmd/geetcache, which has the TLS flags). A change applies
// from the next connection to the master.

var getTLSReplication, setTLSReplicationFlag = yesNoParam(func(st *settings) *atomic.Bool { return &st.tlsReplication })

// errTLSConfig is Redis's reason when the TLS material cannot be set up
// (a CONFIG SET of tls-replication, or of a file: settings_tls.go).
const errTLSConfig = "Unable to update TLS configuration. Check server logs."

// setTLSReplication is CONFIG SET tls-replication.
func setTLSReplication(st *settings, v []byte) (func(), string) {
	apply, reason := setTLSReplicationFlag(st, v)
	if reason == "" && protocol.EqualFold(v, "yes") && (st.tls == nil || !st.tls.Settings().HasCA()) {
		return nil, errTLSConfig
	}
	return apply, reason
}

var errNoReplicationTLS = errors.New("tls-replication is yes, but the node has no TLS certificate and CA (tls-cert-file, tls-key-file, tls-ca-cert-file)")

// masterTLS is the TLS configuration of the next connection to the
// master: nil for plain TCP (tls-replication no).
func (s *Server) masterTLS() (*tls.Config, error) {
	if !s.settings.tlsReplication.Load() {
		return nil, nil
	}
	if s.settings.tls == nil {
		return nil, errNoReplicationTLS
	}
	return s.settings.tls.PeerClientConfig("") // no SNI, as Redis's replica sends none
}
