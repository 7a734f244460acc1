package server

import (
	"hash/maphash"
	"sync"
	"sync/atomic"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// A blocking XREADGROUP that arrived before another client's DEL (or
// FLUSHALL, SET, XGROUP DESTROY...) of its stream is answered as Redis
// answers it: Redis reads the XREADGROUP first, blocks it, and the DEL
// unblocks it with -UNBLOCKED the stream key no longer exists. Here the
// two connections' goroutines may run in either order, and the DEL can be
// read and applied before the XREADGROUP is even read; its first attempt
// then finds the stream gone and would answer -NOGROUP, the error of a call
// made after the DEL (Redis's unit/type/stream-cgroups "Blocking
// XREADGROUP: key deleted" and "flushed DB"; here about one round in a
// thousand on an idle machine, more under load).
//
// So the state machine tells the blocker of every write that leaves a key
// without a stream, or changes its groups (blocker.Gone; a DEL, a SET over
// it, XGROUP, an expiry, an eviction; every key for FLUSHALL, FLUSHDB and
// SWAPDB), and a first attempt that finds its stream or group gone
// (goneMeanwhile) asks whether that happened to one of its keys after its
// command arrived (the kernel's stamp, arrival.go): while it was queued
// (each waiter counts them, waiter.gone), or before (the blocker notes
// when, by this node's clock). Such a change was concurrent with the call
// (the call was already sent, the change not yet answered), so the call
// may come first: it is taken as having blocked and is retried as a woken
// call is. A wake-up alone does not count: a waiter that leaves wakes the
// next, and an XADD that makes the stream wakes it too. The connection's
// own writes are left out: those of earlier pipelines were applied before
// its last pipeline ended (client.lastUsed), and the notes are asked only
// for a call that begins its pipeline.
//
// Noting runs only on a node that read an XGROUP or XREADGROUP call in the
// last changeSpan (a group is made before it is read from, and a consumer
// reads again and again), so the first blocking XREADGROUP of a node that
// had seen none has only its waiter's count. A change is noted with the
// time its batch of entries began to be applied (one clock reading per
// batch, blocker.Applying): a batch that began after the call arrived was
// committed after it. Notes are kept in a fixed table by key hash: a key
// whose slot another key took since is not found, and the call answers as
// before (-NOGROUP), never wrongly -UNBLOCKED. A change is not taken as
// concurrent when the first write to the key appended after the call's
// window opened found it missing or of another type (streamsAsOf, by the
// records of xread_notes.go): the call's -NOGROUP or -WRONGTYPE is then
// Redis's answer too. A FLUSHALL while a call on a stream that never
// existed is on its way is still taken as concurrent (-UNBLOCKED, where
// Redis answers -NOGROUP either way: what keys held before a flush is not
// recorded). Followers forward
// blocking commands to the leader with when the call's window opened there
// and when they sent it, by their clock; the leader moves the window into
// its own clock by an estimate of their offset (stream_gone_forward.go).

// changeSpan is how long after an XGROUP or XREADGROUP changes are noted.
const changeSpan = 5 * time.Minute

// changeSlots is the size of the table of notes (a power of two).
const changeSlots = 4096

var changeSeed = maphash.MakeSeed()

// changeNotes are the times keys were last left without a stream, while
// armed.
type changeNotes struct {
	spanSwitch
	batchAt atomic.Int64 // when the batch being applied began (unix ns)
	mu      sync.Mutex   // guards slots and allAt
	slots   []changeSlot
	allAt   int64 // the last change of every key (unix ns)
}

type changeSlot struct {
	key uint64 // hash of the database and key
	at  int64  // unix ns
}

// arm turns noting on for changeSpan from now.
func (n *changeNotes) arm() {
	if !n.on.Load() {
		n.batchAt.Store(time.Now().UnixNano()) // the batch applied now began before
	}
	n.spanSwitch.arm()
}

// spanSwitch is on for changeSpan after it was last armed.
type spanSwitch struct {
	on    atomic.Bool
	mu    sync.Mutex // guards timer
	timer *time.Timer
}

// arm turns s on for changeSpan from now.
func (s *spanSwitch) arm() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.timer == nil {
		s.timer = time.AfterFunc(changeSpan, func() { s.on.Store(false) })
	} else {
		s.timer.Reset(changeSpan)
	}
	s.on.Store(true) // after Reset: the timer may have fired before it
}

// Gone is told by the state machine that a write left key of database
// db without a stream (or changed its groups): it is noted, and counted
// by every waiter on it. Called with the state machine's lock held.
func (b *blocker) Gone(db int, key []byte) {
	if b.changes.on.Load() {
		b.changes.note(db, key)
	}
	if b.waiting.Load() == 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, w := range b.queues[blockKey(db, key)] {
		w.gone.Add(1)
	}
}

// GoneAll is Gone for every key (FLUSHALL, FLUSHDB, SWAPDB).
func (b *blocker) GoneAll() {
	if b.changes.on.Load() {
		b.changes.noteAll()
	}
	if b.waiting.Load() == 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, q := range b.queues {
		for _, w := range q {
			w.gone.Add(1)
		}
	}
}

// Applying is told by the state machine that a batch of entries begins.
func (b *blocker) Applying() {
	if b.changes.on.Load() {
		b.changes.batchAt.Store(time.Now().UnixNano())
	}
}

func changeHash(db int, key []byte) uint64 {
	return maphash.Bytes(changeSeed, key) ^ uint64(db)*0x9e3779b97f4a7c15
}

// note records that key of database db was left without a stream in the
// batch being applied.
func (n *changeNotes) note(db int, key []byte) {
	h := changeHash(db, key)
	at := n.batchAt.Load()
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.slots == nil {
		n.slots = make([]changeSlot, changeSlots)
	}
	n.slots[h&(changeSlots-1)] = changeSlot{key: h, at: at}
}

// noteAll records that every key may have gone in the batch being applied.
func (n *changeNotes) noteAll() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.allAt = n.batchAt.Load()
}

// changedWithin reports whether one of keys of database db is known to
// have gone after from and before to (unix ns); never for an empty window.
func (n *changeNotes) changedWithin(db int, keys [][]byte, from, to int64) bool {
	if from == 0 || to <= from {
		return false
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.allAt > from && n.allAt < to {
		return true
	}
	if n.slots == nil {
		return false
	}
	for _, k := range keys {
		h := changeHash(db, k)
		if s := n.slots[h&(changeSlots-1)]; s.key == h && s.at > from && s.at < to {
			return true
		}
	}
	return false
}

// streamWindow is when the blocking XREADGROUP that begins c's pipeline
// may have met another client's change before it was queued: after it
// arrived and after c's previous pipeline ended (from), until it was
// queued (to, taken by takeStreamWindow). from is zero when unknown or
// when the call is not the pipeline's first (the writes before it are c's
// own); through a follower it is set by RAFT ARRIVED
// (stream_gone_forward.go).
type streamWindow struct{ from, to int64 }

// openStreamWindow arms the change notes when the pipeline holds an
// XGROUP or XREADGROUP call, and opens the window when a blocking
// XREADGROUP begins it.
func (s *Server) openStreamWindow(c *client, calls []call) {
	c.streamWin = streamWindow{}
	groups := false
	for i := range calls {
		groups = groups || isGroupCall(&calls[i])
	}
	if !groups {
		return
	}
	s.blocker.changes.arm()
	s.blocker.streams.arm() // what keys held before writes (streamsAsOf)
	at := localArrival(c)
	if !isBlockingGroupRead(&calls[0]) || at == 0 || c.forwarded.origin != "" {
		return
	}
	c.mu.Lock()
	last := c.lastUsed
	c.mu.Unlock()
	c.streamWin.from = max(at, last.UnixNano())
}

// streamsAsOf reports whether each of keys of database db may have held a
// stream when the call whose window opened at from (unix ns, the leader's
// clock) arrived: false when the first write to one of them appended after
// from found it missing or of another type (xread_notes.go), so that the
// call's -NOGROUP or -WRONGTYPE is what Redis, reading it first, answers
// too, not the effect of a concurrent write. True when from or the records
// are unknown.
func (s *Server) streamsAsOf(db int, keys [][]byte, from int64) bool {
	if from == 0 {
		return true
	}
	for _, k := range keys {
		if rec, ok := s.blocker.streams.before(db, k, from); ok && rec.held != heldStream {
			return false
		}
	}
	return true
}

// takeStreamWindow closes c's window now, once its call is queued (a
// change applied after that wakes it; one applied while the call waited
// to be queued, behind the state machine's wake-ups, is before now), and
// clears it for the pipeline's later calls.
func (c *client) takeStreamWindow() streamWindow {
	win := c.streamWin
	c.streamWin = streamWindow{}
	if win.from != 0 {
		win.to = time.Now().UnixNano()
	}
	return win
}

// isGroupCall reports whether cl is an XGROUP or XREADGROUP call: a node
// that serves consumer groups notes changes (changeNotes).
func isGroupCall(cl *call) bool {
	return cl.ok && (cl.cmd.Name == "xgroup" || cl.cmd.Name == "xreadgroup")
}

func isBlockingGroupRead(cl *call) bool {
	return cl.ok && cl.cmd.Name == "xreadgroup" && cl.cmd.FlagsFor(cl.args)&protocol.Blocking != 0
}
