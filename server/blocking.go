package server

import (
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
)

// blocker queues connections blocked on keys (BLPOP and friends), first
// come first served per key, in the order their commands arrived
// (arrival.go). A write applied to a key wakes the head of its
// queue, which retries its command through the log; when a waiter leaves
// (served, timed out, gone) the new heads of its queues are woken too, so a
// push of several elements serves several waiters in arrival order.
type blocker struct {
	// execs is read-held by every EXEC while it runs (exec_gate.go).
	execs   sync.RWMutex
	mu      sync.Mutex
	queues  map[string][]*waiter
	waiting atomic.Int64
	blocked atomic.Int64 // waiters past their first attempt (markBlocked)
	closed  bool
	// unserved counts takers woken and not yet answered (blocking_served.go).
	unserved atomic.Int64
	// forwarded counts this node's clients whose blocking command the
	// leader holds (forward.go): blocked clients too, for INFO.
	forwarded atomic.Int64
	// forwarding orders the blocking commands a follower forwards
	// (arrival_forward.go).
	forwarding forwardOrder
	// arriving are the pops read and not yet tried (block_arriving.go).
	arriving arrivingPops
	// changes notes when keys went (no stream left), for XREADGROUP
	// (stream_gone.go).
	changes changeNotes
	// streams notes what keys held before writes, while blocking XREADs
	// are served (xread_notes.go).
	streams xreadNotes
	// offsets estimates followers' clock offsets, for the windows of the
	// XREADGROUPs they forward (stream_gone_forward.go).
	offsets clockOffsets
}

// waiter is one blocked connection.
type waiter struct {
	keys []string
	wake chan struct{} // capacity 1: a wake-up is never lost, never blocks
	// reader marks a client that takes nothing (XREAD): every write to
	// one of its keys wakes it, wherever it is in the queue, and it is
	// passed over when the first taker is woken.
	reader bool
	served servedMark // wake-ups of a taker not yet answered (blocking_served.go)
	shown  bool       // counted in blocked (markBlocked)
	// unblock carries CLIENT UNBLOCK's request (client_unblock.go);
	// capacity 1.
	unblock chan unblockMode
	// gone counts the writes that left one of its keys without a stream
	// since it was queued (blocker.Gone): a wake-up a leaving waiter
	// passes on is not one (stream_gone.go).
	gone atomic.Int64
	// sources are the keys (queue names) a blocking pop takes from, set
	// under the blocker's lock (block_turn.go); nil: every key it waits on.
	sources []string
	arrived arrival // when its command arrived (arrival.go)
}

func newBlocker() *blocker { return &blocker{queues: map[string][]*waiter{}} }

// add queues a waiter, whose command arrived at, on keys of database db.
// It returns nil once the server is closing.
func (b *blocker) add(db int, keys [][]byte, at arrival) *waiter {
	return b.addWaiter(db, keys, false, at)
}

// addReader queues a reader (see waiter.reader) on keys of database db.
func (b *blocker) addReader(db int, keys [][]byte, at arrival) *waiter {
	return b.addWaiter(db, keys, true, at)
}

// blockKey is the queue name of key in database db: the key itself in
// database 0. Two names that meet (a key of database 0 spelled like
// another database's name) only cost a waiter a wake-up that finds
// nothing, after which it waits again.
func blockKey(db int, key []byte) string {
	if db == 0 {
		return string(key)
	}
	return "\xff" + strconv.Itoa(db) + "\xff" + string(key)
}

func (b *blocker) addWaiter(db int, keys [][]byte, reader bool, at arrival) *waiter {
	w := &waiter{wake: make(chan struct{}, 1), reader: reader, served: servedMark{unserved: &b.unserved},
		unblock: make(chan unblockMode, 1), arrived: at}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil
	}
	for _, k := range keys {
		key := blockKey(db, k)
		if !w.has(key) {
			w.keys = append(w.keys, key)
			b.queues[key] = inArrivalOrder(b.queues[key], w)
		}
	}
	b.waiting.Add(1)
	return w
}

// inArrivalOrder adds w to the queue q before the first waiter whose
// command arrived after w's, else at its end.
func inArrivalOrder(q []*waiter, w *waiter) []*waiter {
	for i, other := range q {
		if w.arrived.before(other.arrived) {
			return slices.Insert(q, i, w)
		}
	}
	return append(q, w)
}

func (w *waiter) has(key string) bool {
	for _, k := range w.keys {
		if k == key {
			return true
		}
	}
	return false
}

// remove takes w out of its queues and wakes whoever is now first in them.
func (b *blocker) remove(w *waiter) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, key := range w.keys {
		q := b.queues[key]
		for i, other := range q {
			if other == w {
				q = append(q[:i:i], q[i+1:]...)
				break
			}
		}
		if len(q) == 0 {
			delete(b.queues, key)
			continue
		}
		b.queues[key] = q
		pokeFirstTaker(q, key)
	}
	b.waiting.Add(-1)
	if w.shown {
		b.blocked.Add(-1)
	}
}

// markBlocked counts w in INFO's blocked_clients: its command's first
// attempt found nothing, so the client now really waits. A waiter is
// queued before that attempt (so no wake-up is lost) but is not shown as
// blocked until then, so a client that sees it blocked and then changes
// its keys changes them after the first attempt, as in Redis.
func (b *blocker) markBlocked(w *waiter) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !w.shown {
		w.shown = true
		b.blocked.Add(1)
	}
}

// blockClient marks w blocked (markBlocked) as the wait of c, for CLIENT
// UNBLOCK and CLIENT LIST (flag b, cmd the blocking command); the returned
// function ends that.
func (b *blocker) blockClient(c *client, w *waiter) (done func()) {
	b.markBlocked(w)
	c.touch(c.cmdName)
	c.waiting.Store(w)
	return func() { c.waiting.Store(nil) }
}

// pokeFirstTaker wakes the first waiter of q, the queue of key, that
// takes from key (not a reader, not a BLMOVE waiting on its source
// whose destination key is: block_turn.go).
func pokeFirstTaker(q []*waiter, key string) {
	for _, w := range q {
		if !w.reader && w.takes(key) {
			w.poke()
			return
		}
	}
}

// Watching reports whether anyone is blocked or changes are noted
// (stream_gone.go): two atomic loads, so the state machine pays nothing
// for blocking support while nobody waits and no consumer group is served.
func (b *blocker) Watching() bool { return b.waiting.Load() > 0 || b.changes.on.Load() }

// Ready wakes the first taker waiting on key, which holds a value after a
// write, and every reader waiting on it. The state machine calls it with
// its lock held: it never blocks.
func (b *blocker) Ready(db int, key []byte) {
	if b.waiting.Load() == 0 {
		return // as if Watching had been false
	}
	b.mu.Lock()
	bk := blockKey(db, key)
	q := b.queues[bk]
	pokeFirstTaker(q, bk)
	for _, w := range q {
		if w.reader {
			w.poke()
		}
	}
	b.mu.Unlock()
}

// ReadyAll wakes the first taker on every key (FLUSHALL); readers have
// nothing to find after a flush. The state machine calls it with its lock
// held: it never blocks.
func (b *blocker) ReadyAll() {
	b.mu.Lock()
	for key, q := range b.queues {
		pokeFirstTaker(q, key)
	}
	b.mu.Unlock()
}

func (w *waiter) poke() {
	select {
	case w.wake <- struct{}{}:
		w.markWoken()
	default:
	}
}

// shutdown wakes every waiter and refuses new ones.
func (b *blocker) shutdown() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for _, q := range b.queues {
		for _, w := range q {
			w.poke()
		}
	}
}

func (b *blocker) isClosed() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closed
}
