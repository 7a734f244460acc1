package server

import (
	"sync"
	"time"

	"github.com/geetcache/geetcache/cluster"
)

// A blocking XREADGROUP a follower forwards reaches the leader after RAFT
// ARRIVED, and another client's DEL of its stream, sent after it to the
// same follower, has less to do on the way (no turn among the blocking
// commands, no new link to the leader), so it often reached the leader and
// was applied before the XREADGROUP arrived there. Its first attempt then
// found no stream: -NOGROUP, the answer to a call made after the DEL,
// where Redis, which read the XREADGROUP first, answers -UNBLOCKED (Redis's
// unit/type/stream-cgroups "Blocking XREADGROUP: key deleted" through a
// follower). Two things keep the order:
//
//   - the follower holds a write that arrived after a blocking command
//     until the leader has queued it (block_arriving.go, as the leader
//     does for pops): the DEL then wakes the queued call;
//   - for the DEL that still gets there first (its goroutine ran before
//     the call's was read), the follower says, when the call begins its
//     client's pipeline, when the call's window opened there (its arrival,
//     or the end of the client's previous pipeline, if later: its own
//     writes come before the call) and when it sent the call, both by its
//     own clock. The leader opens the call's window (stream_gone.go) at
//     that opening plus the follower clock's offset from its own, which it
//     estimates as the least of (arrival here - sent) over the follower's
//     recent RAFT ARRIVEDs (the transit is never negative, so the least
//     sample is the offset plus the shortest transit: the window opens a
//     few µs late, never early, while the clocks keep their offset; taking
//     one sample's own transit instead opened it up to 0.8 ms late under
//     load, after the DEL). Samples older than offsetSpan are dropped, so a
//     follower's clock stepped back can open a window early for that long
//     at most.

// offsetSpan is how long a sample of a follower clock's offset counts.
const offsetSpan = 10 * time.Second

// offsetNodes bounds how many followers' offsets are kept: RAFT ARRIVED
// names its node, and a client without tls-cluster may send any name.
const offsetNodes = 64

// clockOffsets estimates each follower's clock offset from this node's.
type clockOffsets struct {
	mu sync.Mutex
	by map[string]*cluster.RecentLeast
}

// observe records sample (arrival here - sent there, ns) from node at now
// and returns the estimated offset: the least sample of the last one to
// two spans.
func (o *clockOffsets) observe(node string, sample, now int64) int64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	m := o.by[node]
	if m == nil {
		if o.by == nil || len(o.by) >= offsetNodes {
			o.by = map[string]*cluster.RecentLeast{}
		}
		m = &cluster.RecentLeast{}
		o.by[node] = m
	}
	m.Observe(sample, now, offsetSpan)
	least, _ := m.Least(now, offsetSpan)
	return least
}

// forwardedWindow is when the window of c's blocking call opened here
// (unix ns), for RAFT ARRIVED; 0 when the call does not begin c's
// pipeline or its arrival is unknown.
func forwardedWindow(c *client) int64 {
	at := localArrival(c)
	if at == 0 || !c.headCall() {
		return 0
	}
	c.mu.Lock()
	last := c.lastUsed
	c.mu.Unlock()
	return max(at, last.UnixNano())
}

// openForwardedStreamWindow opens c's window (a follower's link) for its
// next blocking XREADGROUP, whose window opened at the follower node at
// opened, and which it sent at sent (both by its clock).
func (s *Server) openForwardedStreamWindow(c *client, node string, opened, sent int64) {
	at := localArrival(c)
	if at == 0 {
		return
	}
	offset := s.blocker.offsets.observe(node, at-sent, time.Now().UnixNano())
	c.streamWin.from = opened + offset
}

// headCall reports whether the call being routed begins its pipeline.
func (c *client) headCall() bool {
	return len(c.calls) > 0 && c.cur == &c.calls[0]
}
