package server

import (
	"net"
	"strconv"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/protocol"
)

// RAFT is geetcache's own admin namespace for the Raft cluster (CLUSTER is
// Redis Cluster's protocol, answered only for cluster-mode clients'
// discovery: cluster_cmd.go). Membership changes and leadership transfer must run on the
// leader; on a follower they fail with the CLUSTERDOWN reply that names
// the leader's client address (docs/consistency.md).
func (s *Server) raftCommands() []*protocol.Command {
	const flags = protocol.Admin | protocol.NoScript | protocol.Loading | protocol.Stale
	sub := func(name string, arity int, summary string, h protocol.HandlerFunc) *protocol.Command {
		return &protocol.Command{Name: "raft|" + name, Arity: arity, Flags: flags, Group: "server", Since: "7.0.0",
			Summary: summary, Handler: h}
	}
	ct := newContainer(nil,
		sub("members", 2, "List the Raft members", s.raftMembers),
		sub("addvoter", 4, "Add a voter to the Raft configuration", s.raftAddVoter),
		sub("advertise", 4, "Record a member's client address", s.raftAdvertise),
		sub("remove", 3, "Remove a member from the Raft configuration", s.raftRemove),
		sub("transfer", -2, "Transfer Raft leadership", s.raftTransfer),
		sub("snapshot", 2, "Take a Raft snapshot on this node now", s.raftSnapshot),
		sub("handover", 2, "Hand this node's leadership over safely, as a stopping leader does", s.raftHandOver),
		sub("ready", 2, "Reply OK once this node knows a leader and has applied the leader's commit index", s.raftReady),
		sub("readindex", -2, "Return the leader's read index for a linearizable read on a follower", s.raftReadIndex),
		sub("watched", -3, "Set this connection's watched keys as a follower saw them (internal)", s.memberOnly(raftWatched)),
		sub("expire", -4, "Delete keys a follower's read found expired, through the log; reply once applied (internal)", s.memberOnly(s.raftExpire)),
		sub("replicas", 2, "Answer NOREPLICAS while this leader lacks the good replicas min-replicas-to-write asks for, else OK (internal)", s.memberOnly(s.raftReplicas)),
		sub("makeroom", 2, "Evict by the policy while memory is above maxmemory, then return the applied index (internal)", s.memberOnly(s.raftMakeRoom)),
		sub("touched", -4, "Count a follower's reads of keys as accesses here (internal)", s.memberOnly(s.raftTouched)),
		sub("queued", 2, "Judge only EXEC of this connection's next transaction against maxmemory: a follower queued it (internal)", s.memberOnly(raftQueued)),
		sub("origin", 3, "Mark the units this connection writes as a follower's connection's (internal)", s.memberOnly(raftOrigin)),
		sub("arrived", -4, "Order the next blocking command of this connection by when it arrived at a follower (internal)", s.memberOnly(s.raftArrived)),
		sub("failover", 3, "Hand this leader's leadership to the voter id, as a CLUSTER FAILOVER sent there asks (internal)", s.memberOnly(s.raftFailover)),
		sub("help", 2, "Show helpful text about the different subcommands", raftHelp),
		&protocol.Command{Name: "raft|auth", Arity: 4, Flags: flags | protocol.NoAuth, Group: "server", Since: "7.0.0",
			Summary: "Log a node's link in as a user, by one of its password digests (internal)", Handler: s.memberOnly(s.raftAuth)},
	)
	return []*protocol.Command{{Name: "raft", Arity: -2, Flags: flags, Group: "server", Since: "7.0.0",
		Summary: "A container for Raft cluster administration commands", Handler: ct}}
}

var raftHelpLines = []string{
	"MEMBERS",
	"    List every member: id, raft address, client address, role, last contact with the leader in ms (-1: unknown).",
	"ADDVOTER <id> <raft-host:port>",
	"    Add a voter (run on the leader).",
	"ADVERTISE <id> <client-host:port>",
	"    Record a member's client address (run on the leader; members do it themselves).",
	"REMOVE <id>",
	"    Remove a member (run on the leader).",
	"TRANSFER [<id>]",
	"    Hand leadership to <id>, or to the most up-to-date follower (run on the leader).",
	"SNAPSHOT",
	"    Take a Raft snapshot of this node's state now.",
	"HANDOVER",
	"    On the leader: stop proposing, let what it proposed be answered, hand leadership to the most up-to-date follower and return once another node leads (at most shutdown-timeout). Elsewhere: OK at once.",
	"READY",
	"    OK once this node knows a leader and has applied the leader's read index; else the error that says why (a readiness probe).",
	"READINDEX [TIME]",
	"    Pass the read barrier and return the commit index a follower must apply before a linearizable read; with TIME, an array of that index and the leader's time in ms that the read judges expiry by (run on the leader; followers in readindex mode send it themselves).",
}

// RAFT HELP
func raftHelp(c *protocol.Ctx) { replyHelp(c, raftHelpLines) }

// RAFT MEMBERS
func (s *Server) raftMembers(c *protocol.Ctx) {
	ms, err := s.admin.Members()
	if err != nil {
		c.Out.Error(s.router.ErrorReply(err))
		return
	}
	c.Out.Array(len(ms))
	for _, m := range ms {
		c.Out.Map(5)
		c.Out.BulkString("id")
		c.Out.BulkString(m.ID)
		c.Out.BulkString("raft_addr")
		c.Out.BulkString(m.RaftAddr)
		c.Out.BulkString("client_addr")
		c.Out.BulkString(m.ClientAddr)
		c.Out.BulkString("role")
		c.Out.BulkString(memberRole(m))
		c.Out.BulkString("last_contact_ms")
		c.Out.Int(contactMillis(m))
	}
}

// contactMillis is m's last contact with the leader in ms, -1 if unknown
// (see cluster.Member).
func contactMillis(m cluster.Member) int64 {
	return ifElse(m.LastContact < 0, -1, m.LastContact.Milliseconds())
}

func memberRole(m cluster.Member) string {
	switch {
	case m.Leader:
		return "leader"
	case m.Voter:
		return "follower"
	}
	return "nonvoter"
}

// RAFT ADDVOTER id raft-host:port
func (s *Server) raftAddVoter(c *protocol.Ctx) {
	addr := string(c.Args[3])
	if host, port, err := net.SplitHostPort(addr); err != nil || host == "" || !validPort(port) {
		c.Out.Error(protocol.ErrRaftAddr)
		return
	}
	if s.raftAllowed(c, addr) {
		s.replyAdmin(c, s.admin.AddVoter(string(c.Args[2]), addr))
	}
}

func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535
}

// RAFT ADVERTISE id client-host:port
func (s *Server) raftAdvertise(c *protocol.Ctx) {
	addr := string(c.Args[3])
	if host, port, err := net.SplitHostPort(addr); err != nil || host == "" || !validPort(port) {
		c.Out.Error(protocol.ErrRaftAddr)
		return
	}
	if s.raftAllowed(c, s.memberRaftAddr(string(c.Args[2]))) {
		s.replyAdmin(c, s.admin.Advertise(string(c.Args[2]), addr))
	}
}

// RAFT REMOVE id
func (s *Server) raftRemove(c *protocol.Ctx) {
	if s.raftAllowed(c, "") {
		s.replyAdmin(c, s.admin.RemoveServer(string(c.Args[2])))
	}
}

// memberRaftAddr is member id's Raft address, "" if it is not a member.
func (s *Server) memberRaftAddr(id string) string {
	ms, _ := s.admin.Members()
	for _, m := range ms {
		if m.ID == id {
			return m.RaftAddr
		}
	}
	return ""
}

// RAFT TRANSFER [id]
func (s *Server) raftTransfer(c *protocol.Ctx) {
	if !s.raftAllowed(c, "") {
		return
	}
	switch len(c.Args) {
	case 2:
		s.replyAdmin(c, s.admin.TransferLeadership(""))
	case 3:
		s.replyAdmin(c, s.admin.TransferLeadership(string(c.Args[2])))
	default:
		c.Out.Error(protocol.ErrWrongArity("raft|transfer"))
	}
}

// RAFT SNAPSHOT: nothing new to write counts as success, as for SAVE.
func (s *Server) raftSnapshot(c *protocol.Ctx) {
	if s.raftAllowed(c, "") {
		s.replyAdmin(c, s.snapshot())
	}
}

// replyAdmin answers a RAFT change and logs it with its caller.
func (s *Server) replyAdmin(c *protocol.Ctx, err error) {
	s.logRaftChange(c, err)
	switch {
	case err == nil:
		c.Out.OK()
	case cluster.ErrNoSuchMember(err):
		c.Out.Error(protocol.ErrRaftNoSuchMember)
	default:
		c.Out.Error(s.router.ErrorReply(err))
	}
}
