package server

import (
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// Redis queues the invalidations a write causes before the write's reply:
// once a client has its reply, every tracking connection of the server
// has been sent what the write changed. On a follower the leader's reply
// to a forwarded write can come before this node applied the write, and
// its tracking connections got their invalidations only then, some
// milliseconds later (the follower learns the commit with the leader's
// next append). So a follower that forwarded writes one of its tracking
// connections follows waits, at most trackedReadWait, until it applied
// them before it relays the reply (Redis's unit/tracking
// "tracking-redir-broken" test, whose PINGs look for the push at once).
// Writes to keys no connection here follows pay nothing.

// settleForwarded is the one wait a follower makes before it relays the
// reply of the commands cmds (each a command's arguments) it had the
// leader run, whose forward took took: for a long script, until this node
// ran it too, at most the election wait plus took (script_forward.go);
// for an ACL write, the wait above in either --follower-reads mode, so
// that the user table here has the change (a connection whose user it
// deleted closes after the reply, and answers nothing more), which also
// covers tracking; for other writes a tracking connection here follows,
// the wait above. Either way one read index, once.
func (s *Server) settleForwarded(cmds [][][]byte, took time.Duration) {
	switch {
	case s.router.IsLeader():
	case s.longScript(cmds, took):
		s.followerReadIndex(s.cfg.ElectionWait + took)
	case changesUsers(cmds): // the client's next command is checked against the change
		s.followerReadIndex(trackedReadWait)
	case s.followsAny(cmds):
		s.trackCatchUp()
	}
}

// followsAny reports whether a tracking connection of this node follows
// a key one of the writes among cmds names (tracking.Follows).
func (s *Server) followsAny(cmds [][][]byte) bool {
	for _, args := range cmds {
		cmd := s.table.Lookup(args[0])
		if cmd == nil || cmd.FlagsFor(args)&protocol.Write == 0 && !scriptCalls[cmd.Name] {
			continue
		}
		if s.tracking.Follows(keysOf(cmd, args)) {
			return true
		}
	}
	return false
}
