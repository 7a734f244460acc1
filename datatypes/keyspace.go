package datatypes

import (
	"github.com/cespare/xxhash/v2"
	"github.com/tidwall/btree"
)

// Entry is one key with its value and absolute expiry.
//
// An Entry reachable from a frozen snapshot must not change; Keyspace hands
// out writable entries only through Own and Mutable, which copy first when
// the entry is shared with a snapshot.
//
// The struct is 64 bytes (a Go size class), paid once per key: its place
// in the key order (KeyHash) is recomputed from Key when needed instead of
// kept, the memory estimate is kept in 8-byte units, and which generation
// made the value is one bit beside the entry's own generation.
type Entry struct {
	Key      string
	Value    Value
	ExpireAt int64 // unix ms; 0 means the key does not expire
	// mod is the stamp (the Raft log index) of the write that last created
	// or changed the key: WATCH's "modified since" test. It is part of the
	// replicated state, so it is in snapshots, but not in the digest.
	mod uint64
	// gen is the keyspace generation the Entry struct was made in (its
	// low 31 bits, genMask) and, in valueOwned, whether the Value was made
	// in that generation too (else it is shared with a frozen copy, or
	// with memory the keyspace does not own: SetShared).
	gen uint32
	// size is the estimate of the entry's memory last added to the
	// keyspace's used figure (memsize.go), in sizeUnit-byte units:
	// replicated state, derived from the value, in neither snapshots nor
	// the digest.
	size uint32
	// atime and lfu are this node's access metadata (access.go): not
	// replicated, read and written atomically by concurrent readers.
	atime, lfu uint32
}

// genMask selects an Entry's generation in its gen field; valueOwned is
// the bit that says its Value was made in the same generation.
const (
	genMask    = 1<<31 - 1
	valueOwned = 1 << 31
)

// madeIn reports whether e's struct was made in generation g (so it is
// shared with no frozen copy when g is the keyspace's current one).
func (e *Entry) madeIn(g uint32) bool { return e.gen&genMask == g }

// ownsValue reports whether e's Value was made in generation g.
func (e *Entry) ownsValue(g uint32) bool { return e.madeIn(g) && e.gen&valueOwned != 0 }

// Mod returns the stamp of the write that last created or changed e.
func (e *Entry) Mod() uint64 { return e.mod }

// expired reports whether e is logically gone at now. As in Redis, a key
// lives through its expiry millisecond and is gone after it.
func (e *Entry) expired(now int64) bool { return e.ExpireAt != 0 && now > e.ExpireAt }

type expiryItem struct {
	at  int64
	key string
}

// Keyspace is one database: keys ordered by (hash, key), which makes SCAN
// cursors stable under inserts and deletes, plus an index of volatile keys
// ordered by expiry time.
//
// A Keyspace is not safe for concurrent use; its owner serialises writes and
// may allow concurrent readers between writes.
type Keyspace struct {
	keys    *btree.BTreeG[slot]
	expires *btree.BTreeG[expiryItem]
	gen     uint32
	stamp   uint64 // given to every entry written; see SetStamp
	enc     EncodingLimits
	obs     KeyObserver // nil: nobody listens
	// now (unix ms) is the time new entries' access metadata starts at
	// (SetTime); used is the sum of the entries' size estimates once the
	// entries in dirty are settled (memsize.go). Every entry in dirty is
	// of the current gen; one removed since is marked (removedSize).
	now   int64
	used  int64
	dirty []*Entry
	rec   Recorder // told of every key a write changes; may be nil
}

// KeyObserver hears, from a keyspace's writer, of keys it creates and of
// expired keys it removes (keyspace notifications' "new" and "expired").
// Calls happen in the order of the writes, so they are as deterministic
// as the writes; the observer must not modify the keyspace.
type KeyObserver interface {
	KeyAdded(key string)   // Set, SetShared or Rename created key
	KeyExpired(key string) // LookupWrite removed key, whose TTL had passed
}

// Observe makes o hear of this keyspace's new and expired keys (nil:
// nobody). Frozen copies and restored keyspaces have no observer.
func (ks *Keyspace) Observe(o KeyObserver) { ks.obs = o }

// SetStamp sets the stamp that entries created or changed from now on
// carry: the state machine sets it to each log entry's index before
// applying it, so that every replica stamps the same keys alike.
func (ks *Keyspace) SetStamp(stamp uint64) { ks.stamp = stamp }

// slot is a key's place in the tree: 16 bytes, the key's hash and its
// entry, whose Key breaks ties between equal hashes. A slot with no entry
// is a probe that sorts before every key of its hash, so a lookup starts
// there and reads the keys of that hash (almost always one) without
// building an Entry.
type slot struct {
	hash uint64
	e    *Entry
}

func slotLess(a, b slot) bool {
	switch {
	case a.hash != b.hash:
		return a.hash < b.hash
	case a.e == nil:
		return b.e != nil
	case b.e == nil:
		return false
	}
	return a.e.Key < b.e.Key
}

func slotOf(e *Entry) slot { return slot{hash: KeyHash(e.Key), e: e} }

func expiryLess(a, b expiryItem) bool {
	if a.at != b.at {
		return a.at < b.at
	}
	return a.key < b.key
}

// NewKeyspace returns an empty keyspace.
func NewKeyspace() *Keyspace {
	opts := btree.Options{NoLocks: true}
	return &Keyspace{
		keys:    btree.NewBTreeGOptions(slotLess, opts),
		expires: btree.NewBTreeGOptions(expiryLess, opts),
		enc:     DefaultEncodingLimits,
	}
}

// KeyHash is the hash that orders keys and backs SCAN cursors. It is never 0,
// so a cursor of 0 always means "start" or "done".
func KeyHash(key string) uint64 {
	h := xxhash.Sum64String(key)
	if h == 0 {
		h = 1
	}
	return h
}

func (ks *Keyspace) find(key string) *Entry {
	h := KeyHash(key)
	var found *Entry
	ks.keys.Ascend(slot{hash: h}, func(s slot) bool {
		if s.hash == h && s.e.Key == key {
			found = s.e
		}
		return s.hash == h && found == nil
	})
	return found
}

// Len returns the number of keys, counting expired keys not yet removed.
func (ks *Keyspace) Len() int { return ks.keys.Len() }

// VolatileLen returns the number of keys with an expiry.
func (ks *Keyspace) VolatileLen() int { return ks.expires.Len() }

// Lookup returns the live entry for key at now, or nil. It never modifies
// the keyspace, so concurrent readers may call it.
func (ks *Keyspace) Lookup(key string, now int64) *Entry {
	e := ks.find(key)
	if e == nil || e.expired(now) {
		return nil
	}
	return e
}

// LookupWrite is Lookup for writers: an expired entry is removed first.
func (ks *Keyspace) LookupWrite(key string, now int64) *Entry {
	e := ks.find(key)
	if e != nil && e.expired(now) {
		ks.Delete(key)
		if ks.obs != nil {
			ks.obs.KeyExpired(key)
		}
		return nil
	}
	return e
}

// Set stores v under key with the given absolute expiry (0 for none),
// replacing any previous value.
func (ks *Keyspace) Set(key string, v Value, expireAt int64) {
	ks.set(key, v, expireAt, true)
}

// SetShared is Set for a value whose memory the keyspace does not own,
// such as an argument aliasing a log entry that others still read: like a
// value shared with a snapshot, Mutable copies it before it is changed.
func (ks *Keyspace) SetShared(key string, v Value, expireAt int64) {
	ks.set(key, v, expireAt, false)
}

// set stores a new entry; owned says whether v's memory is the keyspace's
// to change in place.
func (ks *Keyspace) set(key string, v Value, expireAt int64, owned bool) {
	e := &Entry{Key: key, Value: v, ExpireAt: expireAt, gen: ks.gen, mod: ks.stamp}
	if owned {
		e.gen |= valueOwned
	}
	e.initAccess(ks.now)
	ks.record(key)
	old, ok := ks.keys.Set(slotOf(e))
	if ok {
		ks.unlink(old.e)
	}
	if !ok && ks.obs != nil {
		ks.obs.KeyAdded(key)
	}
	ks.dirty = append(ks.dirty, e)
	if expireAt != 0 {
		ks.expires.Set(expiryItem{expireAt, key})
	}
}

// Delete removes key and reports whether it existed (expired or not).
func (ks *Keyspace) Delete(key string) bool {
	old, ok := ks.keys.Delete(slot{hash: KeyHash(key), e: &Entry{Key: key}})
	if ok {
		ks.unlink(old.e)
		ks.record(key)
	}
	return ok
}

// unlink accounts for e, just taken out of the key tree: its memory and
// its expiry index item. An entry of the current gen (shared with no
// frozen copy) is marked removed, so Settle skips it if it is in dirty.
func (ks *Keyspace) unlink(e *Entry) {
	ks.used -= e.MemSize()
	if e.ExpireAt != 0 {
		ks.expires.Delete(expiryItem{e.ExpireAt, e.Key})
	}
	if e.madeIn(ks.gen) {
		e.size = removedSize
	}
}

// SetExpire changes the expiry of an existing key (0 removes it).
func (ks *Keyspace) SetExpire(e *Entry, expireAt int64) {
	if e.ExpireAt == expireAt {
		return
	}
	if e.ExpireAt != 0 {
		ks.expires.Delete(expiryItem{e.ExpireAt, e.Key})
	}
	e = ks.Own(e)
	e.ExpireAt = expireAt
	if expireAt != 0 {
		ks.expires.Set(expiryItem{expireAt, e.Key})
	}
}

// Own returns an entry for e's key whose fields may be changed in place,
// stamped as changed now. The value is shared with e: use Mutable to change
// the value itself.
func (ks *Keyspace) Own(e *Entry) *Entry {
	ks.record(e.Key)
	return ks.own(e)
}

func (ks *Keyspace) own(e *Entry) *Entry {
	if e.madeIn(ks.gen) {
		e.mod = ks.stamp
		ks.dirty = append(ks.dirty, e)
		return e
	}
	e2 := *e
	e2.gen, e2.mod = ks.gen, ks.stamp // the value stays shared
	ks.keys.Set(slotOf(&e2))
	ks.dirty = append(ks.dirty, &e2)
	return &e2
}

// Mutable returns an entry for e's key whose value may be changed in place.
// The entry and the value are copied separately: Own may have made the
// entry writable while its value is still shared with a snapshot. A small
// string stored with its key (SetString) becomes a plain String.
func (ks *Keyspace) Mutable(e *Entry) *Entry {
	return ks.mutable(ks.Own(e))
}

func (ks *Keyspace) mutable(e *Entry) *Entry {
	if _, compact := e.Value.(compactString); compact || !e.ownsValue(ks.gen) {
		e.Value = e.Value.Clone()
		e.gen |= valueOwned
	}
	return e
}

// MutableUnstamped is Mutable for a change Redis does not signal to WATCH
// (a stream's consumer groups: XREADGROUP, XACK, XCLAIM, XGROUP): the key
// keeps the stamp of its last signalled change.
func (ks *Keyspace) MutableUnstamped(e *Entry) *Entry {
	mod := e.mod
	e = ks.mutable(ks.own(e))
	e.mod = mod
	return e
}

// Flush removes every key.
func (ks *Keyspace) Flush() {
	if ks.rec != nil {
		ks.rec.Flushed()
	}
	fresh := NewKeyspace()
	ks.keys, ks.expires = fresh.keys, fresh.expires
	ks.used, ks.dirty = 0, nil
}

// Freeze returns a read-only point-in-time copy in O(1). Later writes to ks
// never show through the copy, so it may be read by another goroutine while
// ks keeps changing.
func (ks *Keyspace) Freeze() *Keyspace {
	ks.Settle()
	frozen := &Keyspace{keys: ks.keys.Copy(), expires: ks.expires.Copy(), gen: ks.gen, stamp: ks.stamp, used: ks.used}
	ks.gen = (ks.gen + 1) & genMask
	return frozen
}

// Ascend calls fn for each entry, expired or not, in key order starting at
// the first key whose hash is >= fromHash, until fn returns false.
func (ks *Keyspace) Ascend(fromHash uint64, fn func(*Entry) bool) {
	ks.keys.Ascend(slot{hash: fromHash}, func(s slot) bool { return fn(s.e) })
}

// Expired reports whether e is logically gone at now (now > ExpireAt).
func (e *Entry) Expired(now int64) bool { return e.expired(now) }

// Hash returns KeyHash(e.Key), the first part of e's place in key order.
func (e *Entry) Hash() uint64 { return KeyHash(e.Key) }

// Rename moves e to newKey, replacing any entry there, with its value and
// expiry; newKey counts as created (as Redis's RENAME adds it anew). The moved value keeps e's sharing with frozen snapshots, so Mutable
// still copies it before it is first changed in place; no copy is made now.
func (ks *Keyspace) Rename(e *Entry, newKey string) {
	moved := *e // before the deletes mark e removed
	ks.Delete(newKey)
	ks.Delete(e.Key)
	if !moved.madeIn(ks.gen) { // the value stays shared with a frozen copy
		moved.gen = ks.gen
	}
	moved.Key, moved.mod = newKey, ks.stamp
	if c, ok := moved.Value.(compactString); ok { // keep it with its new key
		moved.Key, moved.Value = newCompact(newKey, c.Bytes())
	}
	ks.record(newKey)
	ks.keys.Set(slotOf(&moved))
	ks.used += moved.MemSize()
	ks.dirty = append(ks.dirty, &moved)
	if moved.ExpireAt != 0 {
		ks.expires.Set(expiryItem{moved.ExpireAt, newKey})
	}
	if ks.obs != nil {
		ks.obs.KeyAdded(newKey)
	}
}

// EntryAt returns the i'th entry in key order (0 <= i < Len()).
func (ks *Keyspace) EntryAt(i int) *Entry {
	s, _ := ks.keys.GetAt(i)
	return s.e
}

// ExpiredKeys returns up to limit keys whose expiry is before now, oldest first.
func (ks *Keyspace) ExpiredKeys(now int64, limit int) []string {
	var keys []string
	ks.expires.Scan(func(it expiryItem) bool {
		if it.at >= now || len(keys) >= limit {
			return false
		}
		keys = append(keys, it.key)
		return true
	})
	return keys
}

// ChangedSince reports whether key may have been created, changed, deleted
// or expired after stamp at, given whether it existed when WATCH looked at
// it then. A key absent both times counts as unchanged, even if it existed
// in between.
func (ks *Keyspace) ChangedSince(key string, at uint64, existed bool, now int64) bool {
	e := ks.Lookup(key, now)
	if e == nil {
		return existed
	}
	return !existed || e.mod > at
}
