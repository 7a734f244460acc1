package server

import (
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// readonlyReady readies this node's state for a group of reads on a
// READONLY connection (readonlyState); on failure it answers each command
// of the group with the error and returns false.
func (s *Server) readonlyReady(c *client, cmds []call) bool {
	errMsg := s.readonlyState(c)
	if errMsg == "" {
		return true
	}
	for range cmds {
		c.out.Error(errMsg)
	}
	return false
}

// readonlyState returns "" once this node's local state may serve a READONLY
// read, or the error reply: LOADING while the node has not yet applied
// what it had applied before it started (a READONLY read would go back in
// time), then whatever readYourWrites answers.
func (s *Server) readonlyState(c *client) string {
	if s.linear.Loading() {
		return protocol.ErrLoading
	}
	return s.readYourWrites(c)
}

// readYourWrites makes a READONLY read see the connection's own writes. A
// write run here was applied here before it was answered; one sent to the
// leader (from a follower) has an index this node does not know, so after
// any request went to the leader, the next READONLY read waits, once,
// until this node has applied the leader's read index, which covers it.
func (s *Server) readYourWrites(c *client) string {
	if c.readonlyAt == c.forwards {
		return ""
	}
	deadline := time.Now().Add(s.cfg.ElectionWait)
	var index uint64
	var errMsg string
	if s.router.IsLeader() {
		var err error
		index, _, err = s.linear.ReadIndex()
		errMsg = s.errorReply(err)
	} else {
		var ri readIndex
		ri, errMsg = s.fetchReadIndex(deadline)
		index = ri.index
	}
	if errMsg == "" {
		errMsg = s.errorReply(s.linear.WaitApplied(index, max(time.Until(deadline), time.Millisecond)))
	}
	if errMsg == "" {
		c.readonlyAt = c.forwards
	}
	return errMsg
}
