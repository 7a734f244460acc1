package server

import "github.com/geetcache/geetcache/protocol"

// A read that may store what it computes (protocol.Command.Caches: a
// single-key PFCOUNT, which stores the count in the HyperLogLog's header
// when it was stale) routes as a write that may change nothing
// (unchanged.go). In a pipeline, after a read, it joins the read group
// instead (leadingReads): under the group's read lock it is checked first,
// quietly (unchangedHere), and answered as the read it is when there is
// nothing to store; otherwise the group ends before it and it is
// dispatched as the write it is. A pipeline of PFCOUNTs then costs one read
// barrier and one read lock per chunk, as a pipeline of GETs.

// cachedRead reports whether cl is a read that may store what it computes.
func cachedRead(cl *call) bool {
	return cl.cmd != nil && cl.cmd.Caches != nil && cl.cmd.Unchanged != nil && cl.cmd.Caches(cl.args)
}

// unchangedHere runs cl's Unchanged on ctx's keyspace as a trial: no
// access, lookup or keymiss event counted, its reply dropped. It reports
// whether the call has nothing to store.
func (p *viewPass) unchangedHere(ctx *protocol.Ctx, cl *call) bool {
	trial := *ctx
	trial.Args, trial.Access, trial.Stats, trial.Events = cl.args, nil, nil, nil
	p.scratch.B, p.scratch.Proto = p.scratch.B[:0], ctx.Out.Proto
	trial.Out = &p.scratch
	return cl.cmd.Unchanged(&trial)
}
