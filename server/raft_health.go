package server

import (
	"strconv"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// RAFT READY and RAFT HANDOVER serve orchestration: a readiness probe and
// a pre-stop hook (docs/operations.md, "Kubernetes"; cmd/geetcache's
// "ready" and "handover" subcommands send them).

// readyApplyWait is how long RAFT READY waits for this node to apply the
// leader's read index before it answers that the node is behind.
const readyApplyWait = time.Second

// RAFT READY
//
// OK once this node knows a leader (it answered a read index) and has
// applied that index, i.e. the node serves reads and writes with nothing
// left to catch up on; otherwise LOADING, CLUSTERDOWN (no leader), or
// "ERR not ready: ..." naming how far behind it is. It changes nothing.
func (s *Server) raftReady(c *protocol.Ctx) {
	if s.linear.Loading() {
		c.Out.Error(protocol.ErrLoading)
		return
	}
	index, errMsg := s.leaderReadIndex()
	if errMsg != "" {
		c.Out.Error(errMsg)
		return
	}
	if s.linear.WaitApplied(index, readyApplyWait) != nil {
		c.Out.Error("ERR not ready: applied index " + strconv.FormatUint(s.linear.AppliedIndex(), 10) +
			" is behind the leader's commit index " + strconv.FormatUint(index, 10))
		return
	}
	c.Out.OK()
}

// leaderReadIndex is the leader's read index: its own on the leader,
// asked of the leader (RAFT READINDEX) elsewhere.
func (s *Server) leaderReadIndex() (uint64, string) {
	if s.router.IsLeader() {
		index, _, err := s.linear.ReadIndex()
		return index, s.errorReply(err)
	}
	ri, errMsg := s.fetchReadIndex(time.Now().Add(s.cfg.ElectionWait))
	return ri.index, errMsg
}

// RAFT HANDOVER
//
// On the leader: what SIGTERM and SHUTDOWN do before stopping, without
// stopping (cluster.Node.HandOver, within shutdown-timeout): no write it
// took comes back UNCERTAIN. OK once another node leads, or at once on a
// follower or a single voter; "ERR ..." if no voter took over in time
// (this node may still lead).
func (s *Server) raftHandOver(c *protocol.Ctx) {
	if !s.raftAllowed(c, "") {
		return
	}
	s.AbortFailover("RAFT HANDOVER")
	err := s.admin.HandOver(s.ShutdownTimeout(), nil)
	s.logRaftChange(c, err)
	if err != nil {
		c.Out.Error("ERR " + err.Error())
		return
	}
	c.Out.OK()
}
