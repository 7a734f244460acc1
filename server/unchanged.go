package server

import (
	"time"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// A write that would change nothing (protocol.Command.Unchanged: an SADD
// of members the set holds, a ZADD of members at their scores, a ZPOPMIN of
// a missing key) is answered as a linearizable read on the node that
// proposes writes, with no log entry: Redis neither propagates nor fsyncs
// such a call either. It is tried only when this connection has no write of
// the same pipeline still waiting (else it would have to wait for them,
// and the pipeline's writes share one group commit today), first on the
// local state (a call that would change something goes into the log at
// the cost of one lookup), then behind the read barrier, which decides.
// Everything before the route (ACL, OOM for denyoom commands, min-replicas)
// has refused the call already if it refuses writes.

// unchangedCounted answers one[0] as a read when it changes nothing, and
// counts it; false means propose it.
func (s *Server) unchangedCounted(c *client, b *batch, one []call) bool {
	if len(b.pending) > 0 || s.view == nil || s.router == nil || !s.router.IsLeader() {
		return false
	}
	cl := &one[0]
	start, mark := time.Now(), len(c.out.B)
	if !(b.reads && b.readsAt == c.forwards) { // the pipeline has passed no barrier yet
		if !s.unchangedAt(c, s.view.LocalTime(), cl, 0) {
			return false
		}
		c.out.B = c.out.B[:mark] // the local state's answer: it stands only behind the barrier
		t, errMsg, behind := s.linearizeWithin(s.readGrace(c))
		if errMsg != "" || behind {
			return false // the write path has the error to give
		}
		b.reads, b.readsAt, b.readTime = true, c.forwards, t
	}
	s.awaitExpiry(c) // this connection's earlier reads' expired keys are gone first
	if !s.unchangedAt(c, b.readTime, cl, start.UnixMilli()) {
		return false
	}
	s.countSince(c, start, mark)
	return true
}

// unchangedAt runs cl's Unchanged on the keyspace at time t, counting the
// key's access at clock (unix ms) unless it is 0; the reply it wrote stays
// only when it answered the call.
func (s *Server) unchangedAt(c *client, t int64, cl *call, clock int64) bool {
	answered, mark := false, len(c.out.B)
	s.view.ViewAt(t, func(dbs *datatypes.DBs, now int64) {
		ctx := &c.ctx
		*ctx = protocol.Ctx{DB: dbs.DB(c.db), DBs: dbs, DBIndex: c.db, Now: now, Out: &c.out, Conn: c,
			LFU: s.lfuTracked(), Clock: clock, Args: cl.args}
		if clock != 0 {
			ctx.Access = s.readAccess()
		}
		answered = cl.cmd.Unchanged(ctx)
	})
	if !answered {
		c.out.B = c.out.B[:mark]
	}
	return answered
}
