package server

import (
	"net"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// refuseOverLimit answers a connection beyond maxclients with Redis's error
// and closes it; it reports whether it did.
func (s *Server) refuseOverLimit(nc net.Conn) bool {
	s.mu.Lock()
	n := int64(len(s.clients))
	s.mu.Unlock()
	if n < s.settings.maxClients.Load() {
		return false
	}
	s.stats.rejectedConns.Add(1)
	nc.SetWriteDeadline(time.Now().Add(time.Second))
	nc.Write([]byte("-" + protocol.ErrMaxClients + "\r\n"))
	nc.Close()
	return true
}
