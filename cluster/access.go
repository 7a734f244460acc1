package cluster

import (
	"math/rand/v2"
	"time"

	"github.com/geetcache/geetcache/datatypes"
)

// maxReportedTouches bounds the accesses one report counts for a key:
// past a few dozen, the LFU counter (logarithmic) hardly moves.
const maxReportedTouches = 64

// TouchKeys records accesses a follower reported (its reads of each key,
// counts[i] times) on this node's access metadata, so the leader, which
// picks what to evict, ranks a key read hot through a follower as hot.
// Nothing goes through the log: the access figures are each node's own.
func (n *Node) TouchKeys(keys []string, counts []int64) {
	now := time.Now().UnixMilli() // access figures follow the node's own clock
	lfu := n.Eviction().LFU
	n.View(func(dbs *datatypes.DBs) {
		for i, k := range keys {
			e := lookupAny(dbs, k, now)
			if e == nil {
				continue
			}
			for range min(max(counts[i], 1), maxReportedTouches) {
				e.Touch(now, lfu, rand.Float64())
			}
		}
	})
}

// lookupAny returns key's live entry in the first database that holds it:
// access reports name keys, not databases (an access figure is a hint).
func lookupAny(dbs *datatypes.DBs, key string, now int64) *datatypes.Entry {
	for i := range dbs.Len() {
		if e := dbs.DB(i).Lookup(key, now); e != nil {
			return e
		}
	}
	return nil
}
