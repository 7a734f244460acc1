package server

import "time"

// A big bulk's slice (a bulk of bigArg bytes or more, read straight into
// its own slice) is kept once its batch is done, as Redis keeps a query
// buffer the size of the last big argument, expecting another
// (processMultibulkBuffer): the next big bulk that fits is read straight
// into it, with no growing and copying. Like Redis's query buffer
// (clientsCronResizeQueryBuffer) it is dropped once the bulks that arrive
// after it stay under half its size for spareJudge, and with the read
// buffer when the connection idles (readbuf.go); a reader that cannot give
// its buffer back when idle (TLS) keeps none. CLIENT LIST's qbuf-free
// counts it with the read buffer.

// spareJudge is how often a kept big slice is judged against the bulks
// that arrived since (Redis's clients cron, at its default hz of 10, visits
// each of a few clients every 100 ms, and each of many at least once a
// second).
const spareJudge = 100 * time.Millisecond

// takeSpare returns the kept slice, emptied, for a big bulk of n bytes if
// it fits, else nil (the bulk's slice then grows as it arrives).
func (r *reader) takeSpare(n int) []byte {
	spare := r.spare
	r.spare = nil
	switch {
	case spare == nil:
		return nil
	case cap(spare) < n:
		r.publishSize() // it is dropped
		return nil
	}
	return spare[:0]
}

// keepSpare, as a batch starts, keeps the last big bulk of the commands
// handed out before (none of which is used any more), and drops the kept
// slice when the bulks of the last spareJudge were all under half its
// size.
func (r *reader) keepSpare() {
	switch {
	case r.lastBig != nil:
		if r.spare == nil && r.waiter != nil {
			r.spare = r.lastBig
			r.peak, r.judged = 0, r.lastStamp
		}
		r.lastBig = nil
	case r.spare != nil && r.lastStamp-r.judged >= int64(spareJudge):
		if 2*r.peak < int64(cap(r.spare)) {
			r.spare = nil
		}
		r.peak, r.judged = 0, r.lastStamp
	default:
		return // nothing changed: the size stands
	}
	r.publishSize()
}

// heldBytes is the memory the reader holds for requests: the read buffer
// and the big bulks' slices it keeps.
func (r *reader) heldBytes() int64 {
	return int64(len(r.buf) + cap(r.big) + cap(r.cmdBig) + cap(r.lastBig) + cap(r.spare))
}

// publishSize publishes heldBytes for other goroutines (CLIENT LIST).
func (r *reader) publishSize() {
	if r.size != nil {
		r.size.Store(r.heldBytes())
	}
}
