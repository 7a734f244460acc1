package server

import (
	"sync"

	"github.com/geetcache/geetcache/datatypes"
)

// xreadNotes keep, while a node serves blocking XREADs or consumer groups,
// what each key held just before the last few writes to it (a stream and
// its last ID, nothing, or another type), by when the leader appended each
// write's entry (its clock): an XREAD with "$" that arrived before those
// writes is judged as of then (xread_retyped.go), and an XREADGROUP's
// error is taken as Redis's when its key held no stream then
// (stream_gone.go). The notes are a fixed table of
// small rings by key hash; a key whose records were pushed out by later
// writes (its own or another key's in the same slot) after a time is not
// known as of that time.
type xreadNotes struct {
	spanSwitch
	mu    sync.Mutex // guards slots and flushed
	slots []noteRing
	// flushed is when the leader appended the last FLUSHALL, FLUSHDB or
	// SWAPDB (unix ns, its clock): what keys held before it is not known.
	flushed int64
}

// noteSlots is the size of the table (a power of two); noteDepth the
// records a slot keeps.
const (
	noteSlots = 4096
	noteDepth = 4
)

// What a key held before a write.
const (
	heldNothing uint8 = iota
	heldStream
	heldOther
)

// keyBefore is what a key held just before a write the leader appended at
// appended (unix ns, its clock).
type keyBefore struct {
	key      uint64 // changeHash of the database and key
	appended int64
	held     uint8
	last     datatypes.StreamID // the stream's last ID, when held is heldStream
}

// noteRing is a slot's records, oldest first from next once full.
type noteRing struct {
	recs    [noteDepth]keyBefore
	n, next int
	dropped int64 // the latest appended time of a record pushed out
}

// note records that key of database db held e (nil: nothing) just before
// a write appended at appended.
func (n *xreadNotes) note(db int, key []byte, appended int64, e *datatypes.Entry) {
	rec := keyBefore{key: changeHash(db, key), appended: appended, held: heldNothing}
	if e != nil {
		rec.held = heldOther
		if s, ok := e.Value.(*datatypes.Stream); ok {
			rec.held, rec.last = heldStream, s.LastID()
		}
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.slots == nil {
		n.slots = make([]noteRing, noteSlots)
	}
	r := &n.slots[rec.key&(noteSlots-1)]
	if r.n == noteDepth {
		r.dropped = max(r.dropped, r.recs[r.next].appended)
	} else {
		r.n++
	}
	r.recs[r.next] = rec
	r.next = (r.next + 1) % noteDepth
}

// flush records a FLUSHALL, FLUSHDB or SWAPDB appended at appended.
func (n *xreadNotes) flush(appended int64) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.flushed = max(n.flushed, appended)
}

// before returns what key of database db held just before the first write
// to it appended after from (unix ns, the leader's clock); ok is false when
// there was none, when a record after from was pushed out, or when a
// flush was appended after from.
func (n *xreadNotes) before(db int, key []byte, from int64) (rec keyBefore, ok bool) {
	h := changeHash(db, key)
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.slots == nil || n.flushed > from {
		return keyBefore{}, false
	}
	r := &n.slots[h&(noteSlots-1)]
	if r.dropped > from {
		return keyBefore{}, false
	}
	oldest := 0
	if r.n == noteDepth {
		oldest = r.next
	}
	for i := range r.n {
		if rec := r.recs[(oldest+i)%noteDepth]; rec.key == h && rec.appended > from {
			return rec, true
		}
	}
	return keyBefore{}, false
}
