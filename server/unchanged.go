package server

import (
	"time"

	"github.com/geetcache/geetcache/datatypes"
)

// A write that would change nothing (protocol.Command.Unchanged: an SADD
// of members the set holds, a ZADD of members at their scores, a ZPOPMIN of
// a missing key, a PFCOUNT of an HLL whose cached count is valid) is answered as a linearizable read on the node that
// proposes writes, with no log entry: Redis neither propagates nor fsyncs
// such a call either. It is tried only when this connection has no write of
// the same pipeline still waiting (else it would have to wait for them,
// and the pipeline's writes share one group commit today). Before the
// pipeline's read barrier it is tried on the local state first (a call
// that would change something goes into the log at the cost of one
// lookup); behind the barrier, the check decides. Everything before the
// route (ACL, OOM and eviction for denyoom commands, min-replicas) has
// run already.

// unchangedCounted answers one[0] as a read when it changes nothing, and
// counts it; false means propose it.
func (s *Server) unchangedCounted(c *client, b *batch, one []call) bool {
	if len(b.pending) > 0 || !s.router.IsLeader() {
		return false
	}
	cl := &one[0]
	if !b.passedBarrier(c) && !s.unchangedAt(c, s.view.LocalTime(), cl, time.Time{}) {
		return false
	}
	start, mark := time.Now(), len(c.out.B)
	if errMsg, behind := s.passBarrier(c, b); errMsg != "" || behind {
		return false // the write path has the error to give
	}
	s.awaitExpiry(c) // this connection's earlier reads' expired keys are gone first
	if !s.unchangedAt(c, b.readTime, cl, start) {
		return false
	}
	s.countSince(c, start, mark)
	return true
}

// unchangedAt runs cl's Unchanged on the keyspace at time t. The final
// run (at, the call's start, set) counts the key's access at that time and
// keeps the reply when it answered the call; a trial (at zero) only tells,
// and leaves no reply (Command.TryUnchanged).
func (s *Server) unchangedAt(c *client, t int64, cl *call, at time.Time) bool {
	p := c.viewPassOf(s)
	p.cl, p.at, p.answered = cl, at, false
	mark := len(c.out.B)
	s.view.ViewAt(t, p.unchanged)
	p.cl = nil
	if !p.answered {
		c.out.B = c.out.B[:mark]
	}
	return p.answered
}

// serveUnchanged runs p.cl's Unchanged on dbs at now, as a trial when
// p.at is zero. A call it answered has its keys remembered for
// client-side caching when it is a read (a PFCOUNT, Command.MayStore),
// under the read lock as any read's, and the expired keys it met deleted,
// as Redis's lookups delete them.
func (p *viewPass) serveUnchanged(dbs *datatypes.DBs, now int64) {
	ctx := p.s.readCtx(p.c, dbs, now, p.at.UnixMilli())
	if p.at.IsZero() {
		p.answered = p.cl.cmd.TryUnchanged(ctx, p.cl.args, &p.scratch)
		return
	}
	ctx.Args = p.cl.args
	p.answered = p.cl.cmd.Unchanged(ctx)
	if p.answered {
		p.s.rememberRead(p.c, p.cl.cmd, p.cl.args)
		p.s.expireRead(p.c, ctx.DB, now, p.cl.cmd, p.cl.args) // an expired key it met goes, as a read's
	}
}
