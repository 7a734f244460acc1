package datatypes

import (
	"crypto/sha1"
	"encoding/hex"
	"strconv"
)

// DefaultDatabases is how many databases a node has unless configured
// otherwise: Redis's `databases` default.
const DefaultDatabases = 16

// DBs is a node's numbered databases (SELECT's indexes), database 0
// first: one Keyspace each. Every method that changes the set or its
// keyspaces is for the writer (the state machine); like a Keyspace, DBs is
// not safe for concurrent use, and readers may call Len, DB and the
// counting methods between writes.
type DBs struct {
	list []*Keyspace
	// swapped is, per index, the stamp of the last SWAPDB that put another
	// database there (0: none): WATCH's ChangedSince.
	swapped []uint64
	limit   int    // the configured number of databases (Limit)
	stamp   uint64 // the last SetStamp
}

// NewDBs returns n empty databases (at least one).
func NewDBs(n int) *DBs {
	d := &DBs{limit: max(n, 1)}
	d.Grow(d.limit)
	return d
}

// Limit is the configured number of databases: SELECT's bound for a
// script. Len may be larger when a log entry or snapshot named more.
func (d *DBs) Limit() int { return d.limit }

// Len returns how many databases there are.
func (d *DBs) Len() int { return len(d.list) }

// DB returns database i, or nil when there is no such database.
func (d *DBs) DB(i int) *Keyspace {
	if i < 0 || i >= len(d.list) {
		return nil
	}
	return d.list[i]
}

// Grow makes sure databases 0..n-1 exist, new ones empty and with database
// 0's encoding limits, observer-less and recording to database 0's
// recorder. A log entry written by a node configured with more databases
// than this one may name one past Len: the writer grows to it rather than
// apply it elsewhere.
func (d *DBs) Grow(n int) {
	for len(d.list) < n {
		ks := NewKeyspace()
		if len(d.list) > 0 {
			ks.enc, ks.rec = d.list[0].enc, d.list[0].rec
			ks.stamp, ks.now = d.list[0].stamp, d.list[0].now
		}
		d.list = append(d.list, ks)
		d.swapped = append(d.swapped, 0)
	}
}

// Swap exchanges databases a and b (SWAPDB); both exist. A key watched
// in either counts as changed (ChangedSince), as Redis's SWAPDB touches
// them.
func (d *DBs) Swap(a, b int) {
	d.list[a], d.list[b] = d.list[b], d.list[a]
	// An observer names its database's number: it stays with the number,
	// not with the keyspace that moved ("new" and "expired" events).
	d.list[a].obs, d.list[b].obs = d.list[b].obs, d.list[a].obs
	d.swapped[a], d.swapped[b] = d.stamp, d.stamp
}

// ChangedSince is Keyspace.ChangedSince for key in database db, which
// also counts a key that exists, or existed, in a database swapped into
// place after stamp at.
func (d *DBs) ChangedSince(db int, key string, at uint64, existed bool, now int64) bool {
	ks := d.DB(db)
	if ks == nil {
		return existed
	}
	if ks.ChangedSince(key, at, existed, now) {
		return true
	}
	return d.swapped[db] > at && (existed || ks.Lookup(key, now) != nil)
}

// Each calls fn for each database in index order.
func (d *DBs) Each(fn func(i int, ks *Keyspace)) {
	for i, ks := range d.list {
		fn(i, ks)
	}
}

// SetStamp sets every database's stamp (Keyspace.SetStamp).
func (d *DBs) SetStamp(stamp uint64) {
	d.stamp = stamp
	for _, ks := range d.list {
		ks.stamp = stamp
	}
}

// SetTime sets every database's access time base (Keyspace.SetTime).
func (d *DBs) SetTime(now int64) {
	for _, ks := range d.list {
		ks.now = now
	}
}

// Settle settles every database's memory figure (Keyspace.Settle).
func (d *DBs) Settle() {
	for _, ks := range d.list {
		if len(ks.dirty) > 0 {
			ks.Settle()
		}
	}
}

// Used is the sum of every database's memory figure.
func (d *DBs) Used() int64 {
	var n int64
	for _, ks := range d.list {
		n += ks.used
	}
	return n
}

// Keys returns the number of keys in every database, expired keys not yet
// removed included; Volatile the number with an expiry.
func (d *DBs) Keys() (keys, volatile int) {
	for _, ks := range d.list {
		keys += ks.Len()
		volatile += ks.VolatileLen()
	}
	return keys, volatile
}

// Record makes every database tell r of the keys its writes change
// (Keyspace.Record); Recording reports whether one is set.
func (d *DBs) Record(r Recorder) {
	for _, ks := range d.list {
		ks.rec = r
	}
}

// Recording reports whether the databases tell a Recorder of changes.
func (d *DBs) Recording() bool { return d.list[0].rec != nil }

// SetEncodingLimits sets every database's OBJECT ENCODING limits.
func (d *DBs) SetEncodingLimits(l EncodingLimits) {
	for _, ks := range d.list {
		ks.enc = l
	}
}

// Freeze returns a read-only point-in-time copy of every database
// (Keyspace.Freeze).
func (d *DBs) Freeze() *DBs {
	frozen := &DBs{list: make([]*Keyspace, len(d.list)), swapped: append([]uint64(nil), d.swapped...), limit: d.limit}
	for i, ks := range d.list {
		frozen.list[i] = ks.Freeze()
	}
	return frozen
}

// Digest is DEBUG DIGEST: database 0's Keyspace.Digest while every other
// database is empty, else a SHA-1 over each non-empty database's index and
// digest; forty zeros when every database is empty.
func (d *DBs) Digest() string {
	others := false
	for _, ks := range d.list[1:] {
		others = others || ks.Len() > 0
	}
	if !others {
		return d.list[0].Digest()
	}
	h := sha1.New()
	for i, ks := range d.list {
		if ks.Len() > 0 {
			h.Write([]byte(strconv.Itoa(i) + ":" + ks.Digest() + "\n"))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
