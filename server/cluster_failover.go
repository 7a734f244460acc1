package server

import (
	"time"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/protocol"
)

// CLUSTER FAILOVER [FORCE|TAKEOVER], sent to a replica, makes it its
// master's master, as Redis Cluster's manual failover: here a follower
// asks the leader (RAFT FAILOVER, over a link of its own) to hand its
// leadership to it (cluster.Node.HandOverTo): the leader stops taking
// writes, waits until every write it took is applied, and has Raft
// transfer the leadership to the follower, so no acknowledged write is
// lost whichever option is given. The reply is +OK once the request is
// accepted; the failover runs after it and gives up after
// clusterFailoverTimeout, as Redis's manual failover does (CLUSTER_MF_TIMEOUT).
// FORCE and TAKEOVER skip nothing: Raft lets no node lead without a
// majority, and a follower the leader cannot reach gets no leadership from
// it; with no leader known they are accepted and the follower asks
// whichever node the election makes leader.

// clusterFailoverTimeout is how long a CLUSTER FAILOVER tries.
const clusterFailoverTimeout = 5 * time.Second

// clusterFailoverRetry is how long a follower waits between two asks.
const clusterFailoverRetry = 50 * time.Millisecond

// CLUSTER FAILOVER [FORCE|TAKEOVER]
func (s *Server) clusterFailover(c *protocol.Ctx) {
	if len(c.Args) > 3 {
		c.Out.Error(protocol.ErrSubcommandSyntax(c.Args[1], "CLUSTER"))
		return
	}
	force := len(c.Args) == 3
	if force && !protocol.EqualFold(c.Args[2], "force") && !protocol.EqualFold(c.Args[2], "takeover") {
		c.Out.Error(protocol.ErrSyntax)
		return
	}
	if msg := s.clusterFailoverRefusal(force); msg != "" {
		c.Out.Error(msg)
		return
	}
	if force {
		s.log.Warn("Forced failover user request accepted.")
	} else {
		s.log.Warn("Manual failover user request accepted.")
	}
	go s.runClusterFailover(time.Now().Add(clusterFailoverTimeout))
	c.Out.OK()
}

// clusterFailoverRefusal is Redis's refusal of a manual failover this node
// cannot ask for, in Redis's order, or "".
func (s *Server) clusterFailoverRefusal(force bool) string {
	if s.admin == nil || s.router.IsLeader() || s.alone() {
		return "ERR You should send CLUSTER FAILOVER to a replica"
	}
	self, member := s.selfMember()
	_, leaderKnown := s.router.LeaderClientAddr()
	switch {
	case !member:
		return "ERR I'm a replica but my master is unknown to me"
	case !force && !leaderKnown:
		return "ERR Master is down or failed, please use CLUSTER FAILOVER FORCE"
	case !self.Voter:
		return "ERR CLUSTER FAILOVER needs a voter: this node is a nonvoter, which Raft never makes leader"
	}
	return ""
}

// runClusterFailover asks the leader to hand its leadership to this node
// until this node leads or the deadline passes.
func (s *Server) runClusterFailover(deadline time.Time) {
	req := appendCommand(nil, [][]byte{[]byte("RAFT"), []byte("FAILOVER"), []byte(s.admin.NodeID())})
	for !s.closing.Load() {
		if s.router.IsLeader() {
			s.log.Warn("Manual failover: this node leads now.")
			return
		}
		if !time.Now().Before(deadline) {
			s.log.Warn("Manual failover timed out.")
			return
		}
		if _, ok := s.router.LeaderClientAddr(); ok {
			s.askOn(&s.failoverAsks, req)
		}
		time.Sleep(clusterFailoverRetry)
	}
}

// RAFT FAILOVER id: the leader hands its leadership to the voter id, as a
// CLUSTER FAILOVER sent to id asks; OK once another node leads.
func (s *Server) raftFailover(c *protocol.Ctx) {
	if !s.router.IsLeader() {
		c.Out.Error("ERR RAFT FAILOVER: this node does not lead")
		return
	}
	id := string(c.Args[2])
	s.AbortFailover("CLUSTER FAILOVER of " + id)
	s.log.Info("handing leadership over for a CLUSTER FAILOVER", "to", id)
	s.replyAdmin(c, s.admin.HandOverTo(cluster.HandOverPlan{Target: id, Timeout: clusterFailoverTimeout}))
}
