package server

import (
	"strconv"

	"github.com/geetcache/geetcache/discovery"
	"github.com/geetcache/geetcache/protocol"
)

// SENTINEL answers, on every node, the Sentinel commands client libraries
// use to find the master (redis-py Sentinel, go-redis NewFailoverClient,
// ioredis sentinels:), about one master named Config.MasterName: the Raft
// leader, with the followers as its replicas and every other member as a
// fellow sentinel. See package discovery and docs/operations.md.
func (s *Server) sentinelCommands() []*protocol.Command {
	const flags = protocol.Admin | protocol.NoScript | protocol.Loading | protocol.Stale
	sub := func(name string, arity int, summary string, h protocol.HandlerFunc) *protocol.Command {
		return &protocol.Command{Name: "sentinel|" + name, Arity: arity, Flags: flags, Group: "sentinel", Since: "2.8.4",
			Summary: summary, Handler: h}
	}
	ct := newContainer(nil,
		sub("get-master-addr-by-name", 3, "Get port and address of a master with that name", s.sentinelMasterAddr),
		sub("masters", 2, "List the monitored masters", s.sentinelMasters),
		sub("master", 3, "Shows the state of a master", s.sentinelMaster),
		sub("replicas", 3, "List the monitored replicas", s.sentinelReplicas),
		sub("slaves", 3, "List the monitored slaves", s.sentinelReplicas),
		sub("sentinels", 3, "List the Sentinel instances", s.sentinelSentinels),
		sub("ckquorum", 3, "Check for a Sentinel quorum", s.sentinelCKQuorum),
		sub("myid", 2, "Get the Sentinel instance ID", s.sentinelMyID),
		sub("is-master-down-by-addr", 6, "Check if a master is down", s.sentinelIsMasterDown),
		sub("help", 2, "Show helpful text about the different subcommands", sentinelHelp),
	)
	return []*protocol.Command{{Name: "sentinel", Arity: -2, Flags: flags, Group: "sentinel", Since: "2.8.4",
		Summary: "A container for Redis Sentinel commands", Handler: ct}}
}

var sentinelHelpLines = []string{
	"CKQUORUM <master-name>",
	"    Check if the current Sentinel configuration is able to reach the quorum",
	"    needed to failover a master and the majority needed to authorize the",
	"    failover.",
	"GET-MASTER-ADDR-BY-NAME <master-name>",
	"    Return the ip and port number of the master with that name.",
	"IS-MASTER-DOWN-BY-ADDR <ip> <port> <current-epoch> <runid>",
	"    Check if the master specified by ip:port is down from current Sentinel's",
	"    point of view.",
	"MASTER <master-name>",
	"    Show the state and info of the specified master.",
	"MASTERS",
	"    Show a list of monitored masters and their state.",
	"MYID",
	"    Return the ID of the Sentinel instance.",
	"REPLICAS <master-name>",
	"    Show a list of replicas for this master and their state.",
	"SENTINELS <master-name>",
	"    Show a list of Sentinel instances for this master and their state.",
}

// SENTINEL HELP
func sentinelHelp(c *protocol.Ctx) { replyHelp(c, sentinelHelpLines) }

const (
	errNoSuchMaster = "ERR No such master with that name"
	errIDontKnow    = "IDONTKNOW I have not enough information to reply. Please ask another Sentinel."
)

// sentinelNamed reports whether c.Args[2] is the master's name, answering
// the error when it is not.
func (s *Server) sentinelNamed(c *protocol.Ctx) bool {
	if string(c.Args[2]) != s.masterName() {
		c.Out.Error(errNoSuchMaster)
		return false
	}
	return true
}

// SENTINEL GET-MASTER-ADDR-BY-NAME master-name: the leader's client
// address; during an election it waits for the new leader (ElectionWait at
// most), then names the last leader it knew.
func (s *Server) sentinelMasterAddr(c *protocol.Ctx) {
	if string(c.Args[2]) != s.masterName() {
		c.Out.NullArray()
		return
	}
	s.awaitMaster()
	t := s.topology(c)
	m := t.Master()
	if m == nil {
		c.Out.Error(errIDontKnow)
		return
	}
	c.Out.Array(2)
	c.Out.BulkString(m.Host)
	c.Out.BulkString(strconv.Itoa(m.Port))
}

// SENTINEL MASTERS
func (s *Server) sentinelMasters(c *protocol.Ctx) {
	s.awaitMaster()
	t := s.topology(c)
	if t.Master() == nil {
		c.Out.Array(0)
		return
	}
	c.Out.Array(1)
	discovery.WriteMaster(c.Out, &t, s.masterName())
}

// SENTINEL MASTER master-name
func (s *Server) sentinelMaster(c *protocol.Ctx) {
	if !s.sentinelNamed(c) {
		return
	}
	s.awaitMaster()
	t := s.topology(c)
	if t.Master() == nil {
		c.Out.Error(errIDontKnow)
		return
	}
	discovery.WriteMaster(c.Out, &t, s.masterName())
}

// SENTINEL REPLICAS|SLAVES master-name
func (s *Server) sentinelReplicas(c *protocol.Ctx) {
	if s.sentinelNamed(c) {
		t := s.topology(c)
		discovery.WriteReplicas(c.Out, &t)
	}
}

// SENTINEL SENTINELS master-name
func (s *Server) sentinelSentinels(c *protocol.Ctx) {
	if s.sentinelNamed(c) {
		t := s.topology(c)
		discovery.WriteSentinels(c.Out, &t)
	}
}

// SENTINEL CKQUORUM master-name: the leader counts itself and the voters
// that answered it within DownAfter; a follower that hears from a leader
// counts every voter (a leader holds a majority), else only itself.
func (s *Server) sentinelCKQuorum(c *protocol.Ctx) {
	if !s.sentinelNamed(c) {
		return
	}
	t := s.topology(c)
	reply, ok := discovery.CKQuorum(&t, s.usableVoters(&t))
	if ok {
		c.Out.Simple(reply)
		return
	}
	c.Out.Error(reply)
}

func (s *Server) usableVoters(t *discovery.Topology) int {
	switch {
	case s.router.IsLeader():
		ms, _ := s.admin.Members()
		n := 0
		for _, m := range ms {
			if m.Voter && m.LastContact >= 0 && m.LastContact < s.cfg.DownAfter {
				n++
			}
		}
		return n
	case s.masterTrusted():
		return t.Voters
	}
	return 1
}

// SENTINEL MYID
func (s *Server) sentinelMyID(c *protocol.Ctx) {
	c.Out.BulkString(discovery.RunID(s.admin.NodeID()))
}

// SENTINEL IS-MASTER-DOWN-BY-ADDR ip port current-epoch runid: whether
// ip:port is the master and no leader is known now; with a runid other
// than "*" (a vote request) it answers the leader of the current term and
// the term, as Raft already voted.
func (s *Server) sentinelIsMasterDown(c *protocol.Ctx) {
	port, ok1 := protocol.ParseInt(c.Args[3])
	_, ok2 := protocol.ParseInt(c.Args[4])
	if !ok1 || !ok2 {
		c.Out.Error(protocol.ErrNotInteger)
		return
	}
	t := s.topology(c)
	m := t.Master()
	isMaster := m != nil && m.Host == string(c.Args[2]) && int64(m.Port) == port
	leader, epoch := "*", int64(0)
	if isMaster && string(c.Args[5]) != "*" && !m.Down {
		leader, epoch = m.RunID(), int64(t.Epoch)
	}
	c.Out.Array(3)
	c.Out.Int(ifElse(isMaster && m.Down, int64(1), 0))
	c.Out.BulkString(leader)
	c.Out.Int(epoch)
}
