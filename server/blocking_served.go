package server

import (
	"sync"
	"sync/atomic"
	"time"
)

// Redis serves the clients a write unblocks before it reads the writer's
// next command: after XADD's reply, the consumer blocked in XREADGROUP has
// its entry. Here a woken client retries through the log after the write
// was applied, so a write's reply waits (a bounded time) until the takers
// woken meanwhile have their answers: their next attempt is applied, or
// they left.

// servedWait bounds how long a write's reply waits for woken takers.
const servedWait = 200 * time.Millisecond

// servedMark is a taker's record of wake-ups not yet answered.
type servedMark struct {
	mu       sync.Mutex
	wakes    int64 // wake-ups so far
	woken    bool  // some wake-up is not yet answered
	unserved *atomic.Int64
}

// markWoken records a taker's wake-up until an attempt submitted after it
// is answered. A reader (XREAD) answers on the node, nothing to wait for.
func (w *waiter) markWoken() {
	if w.reader || w.served.unserved == nil {
		return
	}
	m := &w.served
	m.mu.Lock()
	m.wakes++
	if !m.woken {
		m.woken = true
		m.unserved.Add(1)
	}
	m.mu.Unlock()
}

// wakesSoFar is what an attempt about to be submitted will answer.
func (w *waiter) wakesSoFar() int64 {
	w.served.mu.Lock()
	defer w.served.mu.Unlock()
	return w.served.wakes
}

// answered records the reply of an attempt submitted after wakes
// wake-ups; a later wake-up waits for the next attempt. all (the waiter
// leaves) answers every wake-up.
func (w *waiter) answered(wakes int64, all bool) {
	m := &w.served
	m.mu.Lock()
	if m.woken && (all || m.wakes == wakes) {
		m.woken = false
		m.unserved.Add(-1)
	}
	m.mu.Unlock()
}

// awaitServed waits until no woken taker is waiting for its answer, at
// most servedWait. One atomic load when nobody was woken.
func (b *blocker) awaitServed() {
	if b.unserved.Load() <= 0 {
		return
	}
	deadline := time.Now().Add(servedWait)
	for b.unserved.Load() > 0 && time.Now().Before(deadline) {
		time.Sleep(200 * time.Microsecond)
	}
}
