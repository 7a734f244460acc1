package server

import "github.com/geetcache/geetcache/protocol"

// On a follower the leader's reply to a forwarded write can come before
// this node applied the write. A key remembered then is invalidated when
// the write applies here, though the client read it after the write: a
// stray push, before the reply of the client's next command (Redis's
// unit/tracking "not interleaved" tests through a follower). So a
// transaction of a tracking connection on a follower remembers its keys
// only once this node caught up with the leader's read index (every write
// acknowledged before): before the block for the keys remembered then,
// and after its reply for those it read after writing them.

// rememberBlock remembers the keys a transaction's reads name, for a
// connection that tracks them. A key no earlier command of the block writes
// is remembered now, before the unit applies, so that no later change can
// slip between; a key an earlier command writes is returned instead, to be
// remembered once the block's reply is in (remembering it now would have
// the block's own write invalidate it, which Redis, reading it after that
// write, does not send). Such a key, changed by another client between the
// unit and its reply, goes uninvalidated (docs/consistency.md).
func (s *Server) rememberBlock(c *client, items []queued) (after [][]byte) {
	if !c.remembers() {
		return nil
	}
	s.trackCatchUp()
	written := map[string]bool{}
	for _, it := range items {
		keys := keysOf(it.cmd, it.args)
		if it.cmd.FlagsFor(it.args)&protocol.Write != 0 || !readTracked(c, it.cmd) {
			for _, k := range keys {
				written[string(k)] = true
			}
			continue
		}
		var now [][]byte
		for _, k := range keys {
			if written[string(k)] {
				after = append(after, k)
			} else {
				now = append(now, k)
			}
		}
		if len(now) > 0 {
			s.tracking.Remember(c.id, now)
		}
	}
	return after
}

// rememberAfter remembers keys for c once a transaction's reply is in.
func (s *Server) rememberAfter(c *client, keys [][]byte) {
	if len(keys) > 0 {
		s.trackCatchUp()
		s.tracking.Remember(c.id, keys)
	}
}

// trackCatchUp waits, on a follower serving reads after a read index, until
// this node applied the leader's read index (at most trackedReadWait: a
// node still behind then goes on, at the cost of a stray invalidation).
func (s *Server) trackCatchUp() {
	if s.cfg.FollowerReads != ReadIndexReads || s.router.IsLeader() {
		return
	}
	s.followerReadIndex(trackedReadWait)
}
