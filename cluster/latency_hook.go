package cluster

import "time"

// LatencyHook receives how long a round of the leader's background work
// took: "expire-cycle" (an active expiry round that deleted keys, its
// commits included) or "eviction-cycle" (a MakeRoom that evicted). The
// server's latency monitor (LATENCY LATEST) samples them. It must be
// quick and safe for concurrent use.
type LatencyHook func(event string, d time.Duration)

// SetLatencyHook sets the hook (nil: none).
func (n *Node) SetLatencyHook(h LatencyHook) { n.latencyHook.Store(&h) }

// noteLatency gives the hook an event that took d.
func (n *Node) noteLatency(event string, d time.Duration) {
	if h := n.latencyHook.Load(); h != nil && *h != nil {
		(*h)(event, d)
	}
}
