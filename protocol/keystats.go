package protocol

import "sync/atomic"

// KeyStats counts what read lookups find, as Redis's keyspace_hits and
// keyspace_misses (INFO stats): the lookups Redis makes with lookupKeyRead
// (every lookup of a read command, Lookup and Peek outside the state
// machine or for a ReadCall; a write's LookupRead; OBJECT's). A
// connection keeps its own, so that concurrent readers share no counter.
type KeyStats struct{ Hits, Misses atomic.Int64 }

// count counts one lookup; a nil KeyStats counts nothing.
func (k *KeyStats) count(found bool) {
	switch {
	case k == nil:
	case found:
		k.Hits.Add(1)
	default:
		k.Misses.Add(1)
	}
}

// Add adds o's counts to k.
func (k *KeyStats) Add(o *KeyStats) {
	k.Hits.Add(o.Hits.Load())
	k.Misses.Add(o.Misses.Load())
}
