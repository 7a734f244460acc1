package server

import (
	"github.com/geetcache/geetcache/protocol"
)

// readModeCommands are Redis Cluster's READONLY and READWRITE. Redis 7.0
// without cluster mode rejects both; geetcache uses them to choose, per
// connection, between linearizable reads (READWRITE, the default) and
// local, possibly stale reads on any node (READONLY). See
// docs/consistency.md.
func readModeCommands() []*protocol.Command {
	const flags = protocol.Fast | protocol.Loading | protocol.Stale
	return []*protocol.Command{
		{Name: "readonly", Arity: 1, Flags: flags, Group: "cluster", Since: "3.0.0",
			Summary: "Enables read queries for a connection to a Redis Cluster replica node", Handler: protocol.HandlerFunc(readOnly)},
		{Name: "readwrite", Arity: 1, Flags: flags, Group: "cluster", Since: "3.0.0",
			Summary: "Disables read queries for a connection to a Redis Cluster replica node", Handler: protocol.HandlerFunc(readWrite)},
	}
}

// READONLY
func readOnly(c *protocol.Ctx) {
	conn(c).readonly = true
	c.Out.OK()
}

// READWRITE
func readWrite(c *protocol.Ctx) {
	conn(c).readonly = false
	c.Out.OK()
}

// readBarrier passes the read barrier for a server command that reads the
// keyspace (DEBUG DIGEST, DIGEST-VALUE, OBJECT), or on a READONLY
// connection readies the local state (readonlyState); on failure it
// writes the error reply and returns false. A follower in readindex mode
// applies the leader's read index and answers from its own state, as its
// other reads; otherwise (forward mode, or behind the index) the command
// goes to the leader, whose reply is written here, and it returns false.
func (s *Server) readBarrier(c *protocol.Ctx) bool {
	cl, _ := c.Conn.(*client)
	if cl != nil && cl.readonly {
		if errMsg := s.readonlyState(cl); errMsg != "" {
			c.Out.Error(errMsg)
			return false
		}
		return true
	}
	if cl != nil && !s.router.IsLeader() && !s.alone() {
		return s.followerBarrier(c, cl)
	}
	if _, err := s.linear.ReadBarrier(); err != nil {
		c.Out.Error(s.router.ErrorReply(err))
		return false
	}
	return true
}

// followerBarrier is readBarrier on a follower.
func (s *Server) followerBarrier(c *protocol.Ctx, cl *client) bool {
	if s.cfg.FollowerReads == ReadIndexReads {
		_, errMsg, behind := s.followerReadIndex(readIndexGrace)
		switch {
		case errMsg != "":
			c.Out.Error(errMsg)
			return false
		case !behind:
			return true
		}
	}
	c.Out.Raw(s.forwardReply(cl, c.Args, false))
	return false
}
