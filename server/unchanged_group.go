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
// in a group of b's reads: it may change nothing, the pipeline is past its
// barrier (barrierHeld), and memory is not above maxmemory (dispatch
// answers OOM to a denyoom call first, as Redis does whether or not it
// would change anything).
func (s *Server) unchangedJoins(c *client, b *batch, cl *call) bool {
	return unchangedWrite(cl) && cl.cmd.Check == nil && barrierHeld(c, b) && !s.overMaxMemory()
}

// barrierHeld reports whether b passed its read barrier and has no write
// waiting (unchangedCounted's conditions: else a write that may change
// nothing is proposed with the waiting ones), and c reads at the barrier's
// time (not READONLY). A write that may change nothing, or a read that may
// store what it computes, may then start a group of reads.
func barrierHeld(c *client, b *batch) bool {
	return len(b.pending) == 0 && b.passedBarrier(c) && !c.readonly
}
