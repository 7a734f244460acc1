package cluster

import (
	"math"
	"sync"
	"time"
)

// leaderClock estimates how far this node's clock is ahead of the leader's,
// from the entries it stores: each carries when the leader appended it
// (raft.Log.AppendedAt, the leader's clock), and the time it is stored
// here is later by the transit, never earlier, so the least of (stored
// here - appended there) is the offset plus the shortest transit. A window
// opened by this node's clock and moved into the leader's by the estimate
// opens a few µs early, never late (server/xread_retyped.go). Samples count
// for one to two spans, and a new term starts afresh: its leader's clock
// may differ from the last one's.
type leaderClock struct {
	mu        sync.Mutex
	term      uint64
	start     int64 // when the current span began (this node's clock)
	cur, prev int64 // least sample of the current span and of the one before
}

// leaderClockSpan is how long a sample counts at least.
const leaderClockSpan = 10 * time.Second

// observe records that an entry of term the leader appended at appended
// (unix ns, its clock) is stored here at now (unix ns, this clock).
func (k *leaderClock) observe(term uint64, appended, now int64) {
	if appended == 0 {
		return
	}
	sample := now - appended
	k.mu.Lock()
	defer k.mu.Unlock()
	switch span := int64(leaderClockSpan); {
	case term != k.term || now-k.start >= 2*span || now < k.start:
		k.term, k.start, k.cur, k.prev = term, now, sample, math.MaxInt64
	case now-k.start >= span:
		k.start, k.cur, k.prev = now, sample, k.cur
	default:
		k.cur = min(k.cur, sample)
	}
}

// ahead returns the estimate at now (unix ns): how far this clock is ahead
// of the leader's, plus the shortest transit; ok is false without a recent
// sample.
func (k *leaderClock) ahead(now int64) (offset int64, ok bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.start == 0 || now-k.start >= 2*int64(leaderClockSpan) || now < k.start {
		return 0, false
	}
	return min(k.cur, k.prev), true
}

// LeaderClockAhead is how far this node's clock is ahead of the leader's
// (ns), the shortest transit of an entry included; ok is false when no
// entry was stored here lately.
func (n *Node) LeaderClockAhead() (offset int64, ok bool) {
	return n.leaderClock.ahead(time.Now().UnixNano())
}
