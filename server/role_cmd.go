package server

import (
	"net"
	"strconv"
	"time"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/protocol"
)

// ROLE and INFO replication describe the Raft cluster in Redis's
// replication terms, so Redis tooling reads them: the leader is the
// master, the followers are its replicas, and offsets are Raft log indexes
// applied. hashicorp/raft does not expose how far each follower has
// replicated, so the leader reports each replica's offset as 0.

func (s *Server) roleCommands() []*protocol.Command {
	return []*protocol.Command{
		{Name: "role", Arity: 1, Flags: protocol.NoScript | protocol.Loading | protocol.Stale | protocol.Fast,
			Group: "server", Since: "2.8.12", Summary: "Return the role of the instance in the context of replication",
			Handler: protocol.HandlerFunc(s.role)},
	}
}

// replica is a follower with a known client address.
type replica struct {
	host, port string
	lag        time.Duration
}

// replicas lists the followers whose client address is known.
func (s *Server) replicas() []replica {
	ms, _ := s.admin.Members()
	var out []replica
	for _, m := range ms {
		if m.Leader || m.ClientAddr == "" {
			continue
		}
		if host, port, err := net.SplitHostPort(m.ClientAddr); err == nil {
			out = append(out, replica{host: host, port: port, lag: m.LastContact})
		}
	}
	return out
}

// leaderHostPort splits the leader's client address; ok is false when no
// leader is known or it has not announced its address.
func (s *Server) leaderHostPort() (host string, port int64, ok bool) {
	addr, ok := s.router.LeaderClientAddr()
	if !ok {
		return "", 0, false
	}
	h, p, err := net.SplitHostPort(addr)
	n, perr := strconv.ParseInt(p, 10, 64)
	if err != nil || perr != nil {
		return "", 0, false
	}
	return h, n, true
}

// ROLE
func (s *Server) role(c *protocol.Ctx) {
	if u := s.master.Load(); u != nil {
		u.role(c.Out)
		return
	}
	offset := int64(s.linear.AppliedIndex())
	if s.router.IsLeader() || s.alone() {
		reps := s.replicas()
		c.Out.Array(3)
		c.Out.BulkString("master")
		c.Out.Int(offset)
		c.Out.Array(len(reps))
		for _, r := range reps {
			c.Out.Array(3)
			c.Out.BulkString(r.host)
			c.Out.BulkString(r.port)
			c.Out.BulkString("0")
		}
		return
	}
	host, port, ok := s.leaderHostPort()
	c.Out.Array(5)
	c.Out.BulkString("slave")
	c.Out.BulkString(host)
	c.Out.Int(ifElse(ok, port, -1))
	c.Out.BulkString(ifElse(ok, "connected", "connect"))
	c.Out.Int(offset)
}

// alone reports whether this node is the whole configuration: a single
// node is always the master, even while it has no leader (as at startup).
// A node with no configuration yet (waiting to join) is not.
func (s *Server) alone() bool {
	ms, _ := s.admin.Members()
	return len(ms) == 1 && ms[0].ID == s.admin.NodeID()
}

// followerMembers returns the other members of the configuration.
func (s *Server) followerMembers() []cluster.Member {
	ms, _ := s.admin.Members()
	var out []cluster.Member
	for _, m := range ms {
		if m.ID != s.admin.NodeID() {
			out = append(out, m)
		}
	}
	return out
}

// infoReplication reports the leader as a master with its followers as
// replicas, and a follower as a replica of the leader.
func (s *Server) infoReplication(b []byte) []byte {
	if u := s.master.Load(); u != nil {
		return s.infoMasterLink(b, u)
	}
	if s.router.IsLeader() || s.alone() {
		return s.infoMaster(b)
	}
	host, port, ok := s.leaderHostPort()
	b = infoLine(b, "role", "slave")
	b = infoLine(b, "master_host", host)
	b = infoInt(b, "master_port", ifElse(ok, port, -1))
	b = infoLine(b, "master_link_status", ifElse(ok, "up", "down"))
	b = infoInt(b, "master_last_io_seconds_ago", s.lastIOSeconds())
	b = infoLine(b, "master_sync_in_progress", "0")
	b = infoInt(b, "slave_read_repl_offset", int64(s.linear.AppliedIndex()))
	b = infoInt(b, "slave_repl_offset", int64(s.linear.AppliedIndex()))
	b = s.infoReplicaLines(b, 0)
	b = infoLine(b, "master_failover_state", s.failovers.current())
	return infoInt(b, "master_repl_offset", int64(s.linear.AppliedIndex()))
}

func (s *Server) infoMaster(b []byte) []byte {
	reps := s.replicas()
	b = infoLine(b, "role", "master")
	links := s.replicaLinks()
	b = infoInt(b, "connected_slaves", int64(len(reps)+len(links)))
	for i, r := range reps {
		b = infoLine(b, "slave"+strconv.Itoa(i), "ip="+r.host+",port="+r.port+",state=online,offset=0,lag="+
			strconv.FormatInt(int64(r.lag.Seconds()), 10))
	}
	b = s.infoLinks(b, len(reps), links) // SYNC replicas (replication.go)
	b = infoLine(b, "master_failover_state", s.failovers.current())
	return infoInt(b, "master_repl_offset", int64(s.linear.AppliedIndex())) // offsets are applied log indexes
}

// lastIOSeconds is how long ago this follower heard from the leader, -1
// if never.
func (s *Server) lastIOSeconds() int64 {
	if c := s.ownContact(); c >= 0 {
		return int64(c.Seconds())
	}
	return -1
}
