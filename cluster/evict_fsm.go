package cluster

import (
	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// usedMemoryBase is the fixed part of the memory figure: what Redis calls
// used_memory_startup. With it an empty node is above `maxmemory 1`, as
// Redis is (Redis's tests set maxmemory 1 to refuse every write).
const usedMemoryBase = 1 << 20

// evictKeys deletes the keys of database db an EntryEvict names that
// exist (expired or not: the leader picked them by its policy), counting
// each in evicted_keys, and tells the watchers and the keyspace events.
func (f *FSM) evictKeys(db int, cmds [][][]byte) {
	ks := f.dbs.DB(db)
	for _, argv := range cmds {
		for _, k := range argv {
			if !ks.Delete(string(k)) {
				continue
			}
			f.evicted.Add(1)
			f.keyEvicted(db, k)
			if l := f.replLog(); l != nil {
				l.Evicted(db, k)
				f.flushRepl()
			}
		}
	}
}

// keyEvicted is told of each key eviction deleted, on every node alike:
// it publishes the "evicted" keyspace event (class e), and a blocked
// XREADGROUP learns its stream is gone.
func (f *FSM) keyEvicted(db int, key []byte) {
	f.NotifyEvicted(db, key)
	if f.watcher != nil && f.watcher.Watching() {
		f.watcher.Gone(db, key)
		f.watcher.Ready(db, key)
	}
}

// touch is the state machine's access hook: a write's lookups count as
// accesses on every node, at the entry's time, with a pseudo-random figure
// drawn from the entry's index and the key (never the state machine's own
// source, whose draws decide replies).
func (f *FSM) touch(e *datatypes.Entry, now int64) {
	e.Touch(now, f.evictionSettings().LFU, unitFloat(f.index^e.Hash()))
}

// unitFloat maps x to [0, 1) through splitmix64.
func unitFloat(x uint64) float64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	x ^= x >> 31
	return float64(x>>11) / (1 << 53)
}

// UsedMemory is the memory figure maxmemory is judged by (INFO
// used_memory): the keyspace's deterministic estimate (datatypes
// memsize.go) after the last applied batch, plus a fixed base. Replicas
// agree on it at the same applied index.
func (n *Node) UsedMemory() int64 { return n.fsm.used.Load() + usedMemoryBase }

// DatasetMemory is the keyspace's estimate alone (used_memory_dataset).
func (n *Node) DatasetMemory() int64 { return n.fsm.used.Load() }

// EvictedKeys is how many keys this node's state machine deleted by
// eviction since it started (the same count on every node that applied
// the same log since then).
func (n *Node) EvictedKeys() int64 { return n.fsm.evicted.Load() }

// ExpiredKeys is the number of expired keys this node's state machine
// removed (expiry entries, writes meeting one), counted from its start.
func (n *Node) ExpiredKeys() int64 { return n.fsm.expired.Load() }

// KeyStats counts the read lookups of the entries this node's state
// machine applied (a write's lookupKeyRead, a read in a transaction or a
// script), counted from its start.
func (n *Node) KeyStats() *protocol.KeyStats { return &n.fsm.keyStats }
