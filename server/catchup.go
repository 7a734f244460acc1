package server

import "github.com/geetcache/geetcache/protocol"

// catchUp makes a follower's applied state include what the connection
// sent to the leader since it last caught up, before a server command
// reports that state (INFO's number_of_cached_scripts, keyspace...,
// FUNCTION STATS): the
// follower applies the leader's read index, waiting at most the election
// wait; if that fails the command answers from the state it has. Nothing
// to do when the connection sent nothing since (so on a leader that
// never was a follower to it).
func (s *Server) catchUp(c *protocol.Ctx) {
	if cl, ok := c.Conn.(*client); ok {
		s.catchUpClient(cl)
	}
}

// catchUpStats catches a follower up before FUNCTION STATS, as INFO,
// unless a script runs on this node: STATS answers while one runs
// (allow_busy), and catching up could wait for it.
func (s *Server) catchUpStats(c *client, cl *call) {
	if cl.cmd.Name != "function" || len(cl.args) < 2 || !protocol.EqualFold(cl.args[1], "stats") {
		return
	}
	if _, running := s.scripts.Current(); !running {
		s.catchUpClient(c)
	}
}

// catchUpClient is catchUp for cl's connection: readYourWrites
// (readonly.go), whose error it drops.
func (s *Server) catchUpClient(cl *client) {
	_ = s.readYourWrites(cl)
}
