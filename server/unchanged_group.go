package server

import "github.com/geetcache/geetcache/protocol"

// In a pipeline, a write that may change nothing (protocol.Command.Unchanged:
// an SADD of members the set holds...) joins a group of reads when the
// pipeline has passed its read barrier and has no write waiting: under the
// group's read lock it is checked on the keyspace and answered as the read
// it is, as unchangedCounted answers one alone; the group ends before one
// that would change something, which is dispatched into the log. A pipeline
// of such writes then costs one read lock and one clock reading per chunk,
// as a pipeline of GETs, instead of one of each per call.

// unchangedWrite reports whether cl is a write that may change nothing
// (not a read that may store what it computes, as PFCOUNT: cachedRead).
func unchangedWrite(cl *call) bool {
	return cl.cmd != nil && cl.cmd.Unchanged != nil && cl.cmd.FlagsFor(cl.args)&protocol.Write != 0
}

// unchangedJoins reports whether cl, a write on this leader, may be tried
// in a group of reads of b: it may change nothing, b passed its read
// barrier and has no write waiting (unchangedCounted's conditions), the
// connection reads at the barrier's time (not READONLY), and memory is not
// above maxmemory (dispatch answers OOM to a denyoom call first, as Redis
// does whether or not it would change anything).
func (s *Server) unchangedJoins(c *client, b *batch, cl *call) bool {
	return unchangedWrite(cl) && cl.cmd.Check == nil && len(b.pending) == 0 && b.passedBarrier(c) &&
		!c.readonly && !s.overMaxMemory()
}
