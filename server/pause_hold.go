package server

import (
	"github.com/geetcache/geetcache/protocol"
)

// heldByPause waits while CLIENT PAUSE holds cl (pause.go) and reports
// whether it waited: dispatch then judges the call again from the start.
// A call Redis refused before its pause check was answered already; a
// node's own RAFT call and a replica's commands are never held.
func (s *Server) heldByPause(c *client, b *batch, cl *call) bool {
	if !cl.ok || !s.pause.on.Load() || cl.cmd.Name == "raft" || c.replica.Load() {
		return false
	}
	mode, lifted := s.pause.current()
	if !mode.holds(func() bool { return s.mayReplicateIn(c, cl) }) {
		return false
	}
	s.settle(c, b)
	if s.flush(c) { // the replies before it are the client's while it waits
		s.awaitLifted(c, cl, lifted)
	}
	return true
}

// awaitLifted waits, as a blocked client, until lifted is closed, or the
// client leaves or the server closes (the connection then quits).
func (s *Server) awaitLifted(c *client, cl *call, lifted <-chan struct{}) {
	c.touch(cl.cmd.Name) // CLIENT LIST's cmd
	c.paused.Store(true)
	s.pause.held.Add(1)
	gone, stop := s.watchClient(c)
	select {
	case <-lifted:
	case <-gone:
		c.quit = true
	}
	stop()
	s.pause.held.Add(-1)
	c.paused.Store(false)
	if s.closing.Load() {
		c.quit = true
	}
}

// mayReplicateIn reports whether Redis 7.0 may replicate cl, so that
// CLIENT PAUSE WRITE holds it (processCommand's is_may_replicate_command):
// a command flagged write, or may_replicate (PUBLISH, SPUBLISH, PFCOUNT,
// and EVAL, EVALSHA and FCALL whose script or function declares no flags);
// a script or function by the flags it declares (no-writes: neither); an
// EXEC by the commands its transaction queued.
func (s *Server) mayReplicateIn(c *client, cl *call) bool {
	if cl.cmd.Name != "exec" || c.multi == nil {
		return s.mayReplicate(cl.cmd, cl.args)
	}
	return c.multi.queuedAny(s.mayReplicate)
}

// mayReplicate is mayReplicateIn for one command: Redis's write flag
// (redisWrite), or its may_replicate flag kept by a script or function
// that declares no flags.
func (s *Server) mayReplicate(cmd *protocol.Command, args [][]byte) bool {
	switch {
	case s.redisWrite(cmd, args):
		return true
	case cmd.Flags&protocol.MayReplicate == 0:
		return false
	case scriptCalls[cmd.Name]:
		return !s.declaresFlags(args)
	}
	return true
}

// declaresFlags is the engine's DeclaresFlags; a follower that does not
// know the SHA-1 or function named first applies the leader's read index
// (waiting at most the election wait), since it may have been loaded on
// another connection or node just before.
func (s *Server) declaresFlags(args [][]byte) bool {
	if s.cfg.Scripts == nil {
		return false
	}
	known := s.cfg.Scripts.DeclaresFlags(args)
	if known || protocol.EqualFold(args[0], "eval") || s.router == nil || s.router.IsLeader() {
		return known
	}
	s.linearizeWithin(s.cfg.ElectionWait)
	return s.cfg.Scripts.DeclaresFlags(args)
}
