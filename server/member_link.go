package server

import (
	"crypto/tls"
	"net"

	"github.com/geetcache/geetcache/protocol"
)

// With --tls-cluster (Config.PeerCheck), the commands only nodes send
// each other (RAFT AUTH, which logs a link in as a user by a password
// digest; RAFT WATCHED, TOUCHED, ORIGIN and ARRIVED) run only on a connection whose
// peer presented a certificate of the cluster's CA: the links between
// nodes are TLS with each node's certificate (Config.DialPeer), a client
// is not a node, whatever its password. The same goes for the one RAFT
// change a caller beyond the loopback interface may make without a
// password: a node adding or advertising itself (raft_guard.go).

// fromMember reports whether cl's connection is a node's: always without
// PeerCheck; with it, a TLS connection whose peer's certificate passes it.
// The answer is kept: a connection's certificate does not change.
func (s *Server) fromMember(cl *client) bool {
	if s.cfg.PeerCheck == nil {
		return true
	}
	if cl.member == 0 {
		cl.member = -1
		if tc := tlsConnOf(cl.nc); tc != nil && s.cfg.PeerCheck(tc.ConnectionState()) == nil {
			cl.member = 1
		}
	}
	return cl.member == 1
}

// tlsConnOf is the TLS connection under nc, or nil.
func tlsConnOf(nc net.Conn) *tls.Conn {
	for {
		switch c := nc.(type) {
		case *tls.Conn:
			return c
		case *ioConn:
			nc = c.Conn
		case interface{ NetConn() net.Conn }:
			nc = c.NetConn()
		default:
			return nil
		}
	}
}

// memberOnly runs h only on a node's connection (fromMember), answering
// ErrRaftNotMember and logging the refusal otherwise.
func (s *Server) memberOnly(h protocol.HandlerFunc) protocol.HandlerFunc {
	return func(c *protocol.Ctx) {
		if cl := conn(c); !s.fromMember(cl) {
			s.log.Warn("refused a command of the links between nodes from a connection without a certificate of the cluster (tls-cluster)",
				"client", cl.nc.RemoteAddr().String(), "id", cl.id, "command", "RAFT "+string(c.Args[1]))
			c.Out.Error(protocol.ErrRaftNotMember)
			return
		}
		h(c)
	}
}

// getTLSCluster is CONFIG GET tls-cluster: fixed once the node started.
func getTLSCluster(st *settings) string {
	if st.tlsCluster {
		return "yes"
	}
	return "no"
}
