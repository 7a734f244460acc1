package server

import (
	"strconv"
	"strings"

	"github.com/geetcache/geetcache/protocol"
	"github.com/geetcache/geetcache/tlsconf"
)

// The TLS parameters, as Redis 7.0 names them. CONFIG SET of a file or a
// policy loads the whole new set at once and swaps it in only if it loads
// (tlsconf.Store.Reload), so a renewed certificate reaches new connections
// without a restart; a set that fails to load keeps the old one, with
// Redis's "Unable to update TLS configuration" and the reason in the log.
// tls-port is fixed once the node listens.

// tlsNames are the TLS parameters CONFIG SET changes (setTLS).
var tlsNames = []string{"tls-cert-file", "tls-key-file", "tls-ca-cert-file", "tls-ca-cert-dir",
	"tls-auth-clients", "tls-protocols", "tls-ciphers", "tls-ciphersuites"}

// tlsParams are the TLS parameters (settings.go adds them to params).
var tlsParams = makeTLSParams()

func makeTLSParams() []*param {
	ps := []*param{
		{name: "tls-port", get: func(st *settings) string { return strconv.Itoa(st.tlsPort) }},
		{name: "tls-replication", get: getTLSReplication, set: setTLSReplication, fileSet: setTLSReplicationFlag}, // upstream_tls.go
	}
	for _, name := range tlsNames {
		ps = append(ps, &param{name: name,
			get: func(st *settings) string { return *tlsField(st.tlsCurrent(), name) },
			set: func(_ *settings, v []byte) (func(), string) {
				if name == "tls-auth-clients" && tlsconf.CheckAuthClients(string(v)) != nil {
					return nil, "argument(s) must be one of the following: no, yes, optional"
				}
				return func() {}, "" // setTLS loads the new set
			}})
	}
	return ps
}

// tlsField points at name's field of s.
func tlsField(s *tlsconf.Settings, name string) *string {
	switch name {
	case "tls-cert-file":
		return &s.CertFile
	case "tls-key-file":
		return &s.KeyFile
	case "tls-ca-cert-file":
		return &s.CACertFile
	case "tls-ca-cert-dir":
		return &s.CACertDir
	case "tls-auth-clients":
		return &s.AuthClients
	case "tls-protocols":
		return &s.Protocols
	case "tls-ciphers":
		return &s.Ciphers
	case "tls-ciphersuites":
		return &s.Ciphersuites
	}
	return nil
}

// tlsCurrent is a copy of the TLS parameters in force, tls-auth-clients
// spelled as Redis shows it.
func (st *settings) tlsCurrent() *tlsconf.Settings {
	var s tlsconf.Settings
	if st.tls != nil {
		s = st.tls.Settings()
	} else if p := st.tlsOff.Load(); p != nil {
		s = *p
	}
	if s.AuthClients == "" {
		s.AuthClients = tlsconf.AuthYes
	}
	s.AuthClients = strings.ToLower(s.AuthClients)
	return &s
}

// setTLS applies the TLS parameters among pairs (name, value, ...) at
// once: without TLS they are only recorded; with TLS the new set must
// load. It returns the error reply, or "".
func (s *Server) setTLS(pairs [][]byte) string {
	next := s.settings.tlsCurrent()
	first := ""
	for i := 0; i < len(pairs); i += 2 {
		p := lookupParam(pairs[i])
		if f := tlsField(next, p.name); f != nil && p.set != nil {
			*f = string(pairs[i+1])
			if first == "" {
				first = p.name
			}
		}
	}
	if first == "" {
		return ""
	}
	if s.settings.tls == nil {
		s.settings.tlsOff.Store(next)
		return ""
	}
	if err := s.settings.tls.Reload(*next); err != nil {
		s.log.Warn("failed applying new TLS configuration; keeping the previous one", "err", err)
		return protocol.ErrConfigSetFailed(first, errTLSConfig)
	}
	s.log.Info("TLS configuration reloaded", "cert", next.CertFile)
	return ""
}
