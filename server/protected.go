package server

import (
	"net"
	"sync/atomic"

	"github.com/geetcache/geetcache/protocol"
)

// Protected mode, as Redis 7.0's: while it is on and the default user has
// no password (neither its own nor --requirepass), a connection from
// anywhere but the loopback interface is answered ErrProtectedMode and
// closed before any command is read, whatever the bind addresses, TLS or
// not. It is this node's own setting (CONFIG SET protected-mode, not
// replicated), as in Redis. RAFT's admin guard (raft_guard.go) still holds
// for the loopback-free case protected-mode no leaves open.

var getProtectedMode, setProtectedMode = yesNoParam(func(st *settings) *atomic.Bool { return &st.protectedMode })

// protectedRefusal is the reply that refuses nc in protected mode, or "".
func (s *Server) protectedRefusal(nc net.Conn) string {
	if !s.settings.protectedMode.Load() || !s.defaultNoPass() || isLocal(nc.RemoteAddr()) {
		return ""
	}
	return protocol.ErrProtectedMode
}

// isLocal reports whether a is local as Redis's islocalClient judges it:
// 127.0.0.1 or ::1 (not the rest of 127/8), or not an IP peer at all, as
// a Unix socket client.
func isLocal(a net.Addr) bool {
	ta, ok := a.(*net.TCPAddr)
	return !ok || ta.IP.Equal(net.IPv4(127, 0, 0, 1)) || ta.IP.Equal(net.IPv6loopback)
}
