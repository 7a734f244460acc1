package server

import (
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// catchUp makes a follower's applied state include what the connection
// sent to the leader since it last caught up, before a server command
// reports that state (INFO's number_of_cached_scripts, keyspace...): the
// follower applies the leader's read index, waiting at most the election
// wait; if that fails the command answers from the state it has. Nothing
// to do on the leader, or when the connection sent nothing since.
func (s *Server) catchUp(c *protocol.Ctx) {
	cl, ok := c.Conn.(*client)
	if !ok || s.router == nil || cl.forwards == cl.caughtUp || s.router.IsLeader() {
		return
	}
	seen := cl.forwards
	if ri, errMsg := s.fetchReadIndex(time.Now().Add(s.cfg.ElectionWait)); errMsg == "" {
		_ = s.linear.WaitApplied(ri.index, s.cfg.ElectionWait)
	}
	cl.caughtUp = seen
}
