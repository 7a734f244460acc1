package server

import (
	"context"
	"net"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// RAFT's changes (ADDVOTER, ADVERTISE, REMOVE, TRANSFER, SNAPSHOT) are
// accepted only from the loopback interface while the default user has no
// password, in the spirit of Redis's protected mode; the one exception
// is a node acting for itself from its own address, as --join (ADDVOTER)
// and every follower (ADVERTISE) do. Once the default user has a password,
// every caller has authenticated and ACL decides (RAFT is @admin
// @dangerous). Each change is logged with its caller. With --tls-cluster,
// a node acting for itself must also be on a connection that presented a
// certificate of the cluster (member_link.go).

// resolveWait bounds the lookup of a host name in a RAFT argument.
const resolveWait = time.Second

// callerIP is the client's IP address, nil if it is not a TCP peer.
func callerIP(c *protocol.Ctx) net.IP {
	if a, ok := conn(c).nc.RemoteAddr().(*net.TCPAddr); ok {
		return a.IP
	}
	return nil
}

// raftAllowed reports whether the caller may run a RAFT change; self, if
// not empty, is the host:port of the node the change is about, and a
// caller at that host counts as that node acting for itself. When it
// returns false it has replied and logged the refusal.
func (s *Server) raftAllowed(c *protocol.Ctx, self string) bool {
	ip := callerIP(c)
	if ip == nil || ip.IsLoopback() || !s.defaultNoPass() || (self != "" && s.fromMember(conn(c)) && hostIs(self, ip)) {
		return true
	}
	s.log.Warn("refused a RAFT change from a non-loopback client", "client", conn(c).nc.RemoteAddr().String(),
		"id", conn(c).id, "command", string(c.Args[1]), "args", argsText(c.Args[2:]))
	c.Out.Error(protocol.ErrRaftDenied)
	return false
}

// hostIs reports whether hostPort's host is (or resolves to) ip.
func hostIs(hostPort string, ip net.IP) bool {
	host, _, err := net.SplitHostPort(hostPort)
	if err != nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), resolveWait)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil {
		return false
	}
	for _, a := range addrs {
		if a.IP.Equal(ip) {
			return true
		}
	}
	return false
}

// logRaftChange records who ran a RAFT change and how it ended.
func (s *Server) logRaftChange(c *protocol.Ctx, err error) {
	result := "ok"
	if err != nil {
		result = err.Error()
	}
	s.log.Info("RAFT change", "client", conn(c).nc.RemoteAddr().String(), "id", conn(c).id,
		"command", string(c.Args[1]), "args", argsText(c.Args[2:]), "result", result)
}

func argsText(args [][]byte) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = string(a)
	}
	return out
}
