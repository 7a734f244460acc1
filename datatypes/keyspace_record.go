package datatypes

// Recorder hears, from a keyspace's own write paths, of every key a write
// changes: what Redis signals as a modified key (WATCH, client-side
// caching), here told by the keyspace itself so that no command can forget
// it. A key is told when a value is stored under it, when it is deleted
// (an expired key removed included), when its entry is made writable
// (Own, Mutable: a value or expiry change) and, for a rename, under its
// old and its new name; a change Redis does not signal (MutableUnstamped)
// is not told. A key may be told more than once per write. Flushed is told
// when every key goes at once. The recorder runs inside the writer (the
// state machine): it must be quick and must not touch the keyspace.
type Recorder interface {
	Modified(key string)
	Flushed()
}

// Record makes ks tell r of the keys its writes change from now on; nil
// stops it. A frozen copy (Freeze) tells nobody.
func (ks *Keyspace) Record(r Recorder) { ks.rec = r }

func (ks *Keyspace) record(key string) {
	if ks.rec != nil {
		ks.rec.Modified(key)
	}
}

// Recording reports whether a Recorder is set.
func (ks *Keyspace) Recording() bool { return ks.rec != nil }

// HoldsExpired reports whether any key is held but expired at now (the
// earliest expiry has passed): when it is false, no HeldExpired can be
// true. O(log n); concurrent readers may call it.
func (ks *Keyspace) HoldsExpired(now int64) bool {
	first, ok := ks.expires.Min()
	return ok && now > first.at
}

// HeldExpired reports whether key is held but expired at now: a read
// hides it, a deletion has yet to remove it. Concurrent readers may call it.
func (ks *Keyspace) HeldExpired(key string, now int64) bool {
	e := ks.find(key)
	return e != nil && e.expired(now)
}
