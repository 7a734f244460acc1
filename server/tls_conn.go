package server

import (
	"crypto/tls"
	"time"
)

// handshakeWait bounds a TLS client's handshake: one that connects and
// says nothing (or speaks plain text) is closed after it.
const handshakeWait = 10 * time.Second

// handshake completes a TLS client's handshake before its first command,
// so that a refused certificate or a plain-text client ends here, logged
// at debug level (as Redis logs it at verbose); a plain connection passes.
func (s *Server) handshake(c *client) bool {
	tc := tlsConnOf(c.nc)
	if tc == nil {
		return true
	}
	tc.SetDeadline(time.Now().Add(handshakeWait))
	err := tc.Handshake()
	tc.SetWriteDeadline(time.Time{})
	s.clearReadDeadline(tc)
	if err != nil {
		s.log.Debug("error accepting a TLS client connection", "client", c.id, "addr", tc.RemoteAddr().String(), "err", err)
		return false
	}
	if msg := s.tlsRefusal(c, tc); msg != "" {
		s.stats.rejectedConns.Add(1)
		refuse(tc, msg)
		return false
	}
	return true
}

// tlsRefusal is protected mode's refusal of a TLS client, judged once
// its handshake is done: another node of the cluster (tls-cluster: its
// certificate passes PeerCheck) is not refused, so a follower's links
// reach the leader's TLS port from another host without a password.
func (s *Server) tlsRefusal(c *client, tc *tls.Conn) string {
	msg := s.protectedRefusal(tc)
	if msg != "" && s.cfg.PeerCheck != nil && s.fromMember(c) {
		return ""
	}
	return msg
}

// tcpPort is INFO's tcp_port: the plain port, or the TLS port when the
// node speaks TLS only (as Redis shows it).
func (s *Server) tcpPort() int {
	port := int(s.settings.port.Load())
	if port == 0 && s.cfg.TLSPort != 0 {
		return s.cfg.TLSPort
	}
	return port
}
