package server

import "time"

// trackedReadWait is how long a follower behind the leader waits to
// catch up before a tracking connection's reads, instead of sending them
// to the leader.
const trackedReadWait = 250 * time.Millisecond

// readGrace is how long a follower waits to apply the leader's read index
// before c's reads (linearizeGroup): readIndexGrace, or, for a
// connection that tracks its reads, trackedReadWait. Its reads sent on
// to the leader have their keys remembered here first, where writes the
// leader acknowledged may not have applied yet: when they do, they
// invalidate keys the client read after them (a stray push, Redis's
// unit/tracking "not interleaved" tests through a follower). And a script
// must run where the connection is: the keys it declares are remembered
// only if it calls a read command (Redis's rule), which only its run
// tells; sent on to the leader, its keys would not be tracked at all and
// the client would miss their invalidations (unit/tracking "Tracking only
// occurs for scripts when a command calls a read-only command").
func (s *Server) readGrace(c *client) time.Duration {
	if c.remembers() {
		return trackedReadWait
	}
	return readIndexGrace
}
