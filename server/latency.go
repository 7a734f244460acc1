package server

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/geetcache/geetcache/cluster"
)

// The latency monitor, as Redis 7.0 keeps it (latency.c): while
// latency-monitor-threshold (milliseconds) is above 0, each event that
// took at least that long is sampled into its event's series: the last
// 160 seconds that had one, one sample per second (the highest of that
// second), and the highest ever. geetcache records "command" and
// "fast-command" (a call, by the time commandstats counts for it),
// "expire-cycle" (a round of the leader's active expiry that deleted keys,
// its commit included) and "eviction-cycle" (a round of eviction). Like
// the slow log it is this node's own (docs/operations.md).
const latencyTSLen = 160 // LATENCY_TS_LEN

// latencyHooked is a backend that reports its expiry and eviction rounds
// (cluster.Node).
type latencyHooked interface {
	SetLatencyHook(h cluster.LatencyHook)
}

// latencySample is one second's highest latency of an event.
type latencySample struct {
	unix    int64 // 0: unused
	latency int64 // milliseconds
}

// latencySeries is one event's samples (a ring; idx is the next slot)
// and its highest latency ever.
type latencySeries struct {
	samples [latencyTSLen]latencySample
	idx     int
	max     int64
}

// latencyMonitor holds latency-monitor-threshold and every event's
// series; safe for concurrent use.
type latencyMonitor struct {
	threshold atomic.Int64 // milliseconds; 0: off

	mu     sync.Mutex
	events map[string]*latencySeries
	order  []string // events by first sample, for LATENCY LATEST and DOCTOR
}

func newLatencyMonitor() *latencyMonitor {
	return &latencyMonitor{events: map[string]*latencySeries{}}
}

// noteCommand samples a call that took d into "fast-command" or
// "command", if it took at least the threshold.
func (m *latencyMonitor) noteCommand(fast bool, d time.Duration) {
	m.note(ifElse(fast, "fast-command", "command"), d)
}

// note samples event, which took d, if it took at least the threshold
// (latencyAddSampleIfNeeded).
func (m *latencyMonitor) note(event string, d time.Duration) {
	t := m.threshold.Load()
	if ms := d.Milliseconds(); t > 0 && ms >= t {
		m.add(event, ms, time.Now().Unix())
	}
}

// add samples latency ms into event's series at the unix second now
// (latencyAddSample): a second that has a sample keeps the higher one.
func (m *latencyMonitor) add(event string, ms, now int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ts := m.events[event]
	if ts == nil {
		ts = &latencySeries{}
		m.events[event] = ts
		m.order = append(m.order, event)
	}
	ts.max = max(ts.max, ms)
	prev := &ts.samples[(ts.idx+latencyTSLen-1)%latencyTSLen]
	if prev.unix == now {
		prev.latency = max(prev.latency, ms)
		return
	}
	ts.samples[ts.idx] = latencySample{unix: now, latency: ms}
	ts.idx = (ts.idx + 1) % latencyTSLen
}

// latencyEvent is a copy of one event's series, samples oldest first.
type latencyEvent struct {
	name    string
	samples []latencySample
	max     int64
}

// snapshot copies the series of the named events (every event when none
// is named), in the order they were first sampled; unknown names are
// left out.
func (m *latencyMonitor) snapshot(names ...string) []latencyEvent {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []latencyEvent
	for _, name := range m.order {
		if len(names) > 0 && !slices.Contains(names, name) {
			continue
		}
		ts := m.events[name]
		ev := latencyEvent{name: name, max: ts.max}
		for j := range latencyTSLen {
			if s := ts.samples[(ts.idx+j)%latencyTSLen]; s.unix != 0 {
				ev.samples = append(ev.samples, s)
			}
		}
		out = append(out, ev)
	}
	return out
}

// reset forgets the named events (every event when none is named) and
// returns how many it forgot.
func (m *latencyMonitor) reset(names ...string) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	var n int64
	kept := m.order[:0]
	for _, name := range m.order {
		if len(names) == 0 || slices.Contains(names, name) {
			delete(m.events, name)
			n++
			continue
		}
		kept = append(kept, name)
	}
	m.order = kept
	return n
}
