package server

// A read that may store what it computes (protocol.Command.MayStore: a
// single-key PFCOUNT, which stores the count in the HyperLogLog's header
// when it was stale) routes as a write that may change nothing
// (unchanged.go). In a pipeline, after a read, or once the pipeline is
// past its read barrier with no write waiting (barrierHeld), it joins the
// read group instead (leadingReads): under the group's read lock it is
// tried first (Command.TryUnchanged), and answered as the read it is when
// there is nothing to store; otherwise the group ends before it and it is
// dispatched as the write it is. A pipeline of PFCOUNTs then costs one
// read barrier and one read lock per chunk, as a pipeline of GETs.

// cachedRead reports whether cl is a read that may store what it computes.
func cachedRead(cl *call) bool { return cl.cmd != nil && cl.cmd.MayStore(cl.args) }
