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
	mu    sync.Mutex
	term  uint64
	least RecentLeast
}

// leaderClockSpan is how long a sample counts at least.
const leaderClockSpan = 10 * time.Second

// observe records that an entry of term the leader appended at appended
// (unix ns, its clock) is stored here at now (unix ns, this clock).
func (k *leaderClock) observe(term uint64, appended, now int64) {
	if appended == 0 {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if term != k.term {
		k.term, k.least = term, RecentLeast{}
	}
	k.least.Observe(now-appended, now, leaderClockSpan)
}

// ahead returns the estimate at now (unix ns): how far this clock is ahead
// of the leader's, plus the shortest transit; ok is false without a recent
// sample.
func (k *leaderClock) ahead(now int64) (offset int64, ok bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.least.Least(now, leaderClockSpan)
}

// LeaderClockAhead is how far this node's clock is ahead of the leader's
// (ns), the shortest transit of an entry included; ok is false when no
// entry was stored here lately.
func (n *Node) LeaderClockAhead() (offset int64, ok bool) {
	return n.leaderClock.ahead(time.Now().UnixNano())
}

// RecentLeast is the least of recent samples of a clock offset: of the
// current span and of the one before, so a sample counts for one to two
// spans. Times are unix ns by the observer's clock; a clock that went back
// starts afresh. The zero value holds no sample; it is not safe for
// concurrent use.
type RecentLeast struct {
	some      bool  // a sample was observed
	start     int64 // when the current span began
	cur, prev int64 // least sample of the current span and of the one before
}

// Observe records sample at now.
func (r *RecentLeast) Observe(sample, now int64, span time.Duration) {
	switch s := int64(span); {
	case !r.some || now-r.start >= 2*s || now < r.start:
		*r = RecentLeast{some: true, start: now, cur: sample, prev: math.MaxInt64}
	case now-r.start >= s:
		r.start, r.cur, r.prev = now, sample, r.cur
	default:
		r.cur = min(r.cur, sample)
	}
}

// Least returns the least recent sample at now; ok is false when there is
// none.
func (r *RecentLeast) Least(now int64, span time.Duration) (least int64, ok bool) {
	if !r.some || now-r.start >= 2*int64(span) || now < r.start {
		return 0, false
	}
	return min(r.cur, r.prev), true
}
