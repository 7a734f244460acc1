package server

import (
	"crypto/tls"
	"net"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// refusal is the error a new connection is refused with, or "": beyond
// maxclients (Redis's first check), then protected mode (protected.go),
// which judges a TLS connection after its handshake instead (tlsRefusal).
// Either counts in rejected_connections.
func (s *Server) refusal(nc net.Conn) string {
	s.mu.Lock()
	n := int64(len(s.clients))
	s.mu.Unlock()
	msg := ""
	if n >= s.settings.maxClients.Load() {
		msg = protocol.ErrMaxClients
	} else if _, isTLS := nc.(*tls.Conn); !isTLS {
		msg = s.protectedRefusal(nc)
	}
	if msg != "" {
		s.stats.rejectedConns.Add(1)
	}
	return msg
}

// refuseWait bounds the refusal's write (a TLS handshake included), so a
// peer that does not read cannot hold it.
const refuseWait = time.Second

// refuse writes msg as an error reply to nc and closes it; it runs on its
// own goroutine, so the accept loop never waits for a slow peer.
func refuse(nc net.Conn, msg string) {
	nc.SetDeadline(time.Now().Add(refuseWait))
	nc.Write([]byte("-" + msg + "\r\n"))
	nc.Close()
}
