package cluster

import (
	"errors"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/raft"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// Eviction. Only the leader decides: when the memory figure (UsedMemory,
// the same on every replica) is above maxmemory under a policy other than
// noeviction, it samples keys as Redis's evict.c does (maxmemory-samples
// per pick, a pool of the best candidates kept between picks), picks by the
// policy and proposes their deletion as one EntryEvict. Every replica
// deletes the same keys at the same index. The access figures (LRU time,
// LFU counter) the picks rank by are the leader's own, fed by its reads
// and by the accesses followers report (TouchKeys).

// evictBatchMax bounds the keys one EntryEvict deletes.
const evictBatchMax = 1024

// evictPoolSize is how many candidates the pool keeps (Redis's EVPOOL_SIZE).
const evictPoolSize = 16

// evictInterval is how often the leader checks memory without a write
// asking (a lowered maxmemory, a follower's burst of forwarded writes).
const evictInterval = 100 * time.Millisecond

// ErrEvictNothing says memory is above maxmemory and the policy found no
// key it may evict.
var errEvictNothing = errors.New("no key to evict")

// evictor serialises the leader's eviction rounds.
type evictor struct {
	mu   sync.Mutex
	pool []evictCandidate
	held atomic.Pointer[func() bool] // HoldEviction's (evict_hold.go)
}

type evictCandidate struct {
	db    int
	key   string
	score uint64 // higher is evicted first
}

// dbKey names a key of a database.
type dbKey struct {
	db  int
	key string
}

// MakeRoom, on the leader, evicts until memory is at or below maxmemory
// or the round's time budget (maxmemory-eviction-tenacity) runs out. It
// returns false when memory is still above maxmemory and nothing more may
// be evicted (noeviction, or no candidate for the policy): the caller then
// refuses the write with OOM.
func (n *Node) MakeRoom() bool {
	s := n.Eviction()
	if s.MaxMemory == 0 || n.UsedMemory() <= s.MaxMemory || n.evictionHeld() {
		return true
	}
	if s.Policy == NoEviction || n.raft.State() != raft.Leader {
		return false
	}
	n.evict.mu.Lock()
	defer n.evict.mu.Unlock()
	start := time.Now()
	defer func() { n.noteLatency("eviction-cycle", time.Since(start)) }()
	deadline := start.Add(evictBudget(s.Tenacity))
	for n.UsedMemory() > s.MaxMemory {
		err := n.evictRound(s)
		if errors.Is(err, errEvictNothing) {
			return false
		}
		if err != nil || time.Now().After(deadline) {
			return err == nil // still evicting: let the write through, as Redis's EVICT_RUNNING
		}
	}
	return true
}

// evictBudget is how long one MakeRoom may evict: Redis's
// evictionTimeLimitUs scaled to a log round trip: 50 ms at the default
// tenacity 10, growing 15% per step, unlimited (a minute) at 100.
func evictBudget(tenacity int) time.Duration {
	if tenacity >= maxEvictionTenacityLimit {
		return time.Minute
	}
	return time.Duration(float64(50*time.Millisecond) * math.Pow(1.15, float64(tenacity-10)))
}

// evictLoop runs on every node; only the leader acts.
func (n *Node) evictLoop() {
	defer n.done.Done()
	tick := time.NewTicker(evictInterval)
	defer tick.Stop()
	for {
		select {
		case <-n.stop:
			return
		case <-tick.C:
			if n.raft.State() == raft.Leader {
				n.MakeRoom()
			}
		}
	}
}

// evictRound picks keys worth what memory is above maxmemory and proposes
// their eviction.
func (n *Node) evictRound(s EvictionSettings) error {
	need := n.UsedMemory() - s.MaxMemory
	var units []protocol.Unit
	n.View(func(dbs *datatypes.DBs) { units = n.evict.pick(dbs, s, need, time.Now().UnixMilli()) })
	if len(units) == 0 {
		return errEvictNothing
	}
	e := &protocol.Entry{Kind: protocol.EntryEvict, Units: units}
	if err := n.propose(e); err != nil {
		var d *DiskError
		if !errors.As(err, &d) {
			n.cfg.Logger.Warn("eviction failed", "err", err)
		}
		return err
	}
	return nil
}

// pick chooses keys by s.Policy whose estimates add up to need, at most
// evictBatchMax of them, from every database: one unit per database that
// gives some, in database order.
func (ev *evictor) pick(dbs *datatypes.DBs, s EvictionSettings, need int64, now int64) []protocol.Unit {
	chosen := map[dbKey]bool{}
	byDB := make([][][]byte, dbs.Len())
	var freed int64
	for picked := 0; freed < need && picked < evictBatchMax; picked++ {
		db, e := ev.next(dbs, s, now, chosen)
		if e == nil {
			break
		}
		chosen[dbKey{db, e.Key}] = true
		byDB[db] = append(byDB[db], []byte(e.Key))
		freed += e.MemSize()
	}
	var units []protocol.Unit
	for db, keys := range byDB {
		if len(keys) > 0 {
			units = append(units, protocol.Unit{Proto: 2, DB: db, Cmds: [][][]byte{keys}})
		}
	}
	return units
}

// next returns the next key to evict that is not in chosen, and its
// database, or nil. Samples are drawn across every database, each key as
// likely as any other, as Redis's eviction pool samples every database.
func (ev *evictor) next(dbs *datatypes.DBs, s EvictionSettings, now int64, chosen map[dbKey]bool) (int, *datatypes.Entry) {
	keys, volatile := dbs.Keys()
	if s.Policy.Volatile() && volatile == 0 || keys == 0 {
		return 0, nil
	}
	if s.Policy.Random() {
		return randomCandidate(dbs, s.Policy.Volatile(), chosen)
	}
	for range s.Samples {
		if db, e := sampleKey(dbs, s.Policy.Volatile()); e != nil && !chosen[dbKey{db, e.Key}] {
			ev.offer(evictCandidate{db: db, key: e.Key, score: evictScore(e, s, now)})
		}
	}
	for len(ev.pool) > 0 {
		c := ev.pool[len(ev.pool)-1]
		ev.pool = ev.pool[:len(ev.pool)-1]
		ks := dbs.DB(c.db)
		if ks == nil {
			continue
		}
		if e := ks.Find(c.key); e != nil && !chosen[dbKey{c.db, c.key}] && (!s.Policy.Volatile() || e.ExpireAt != 0) {
			return c.db, e
		}
	}
	return 0, nil
}

// offer puts c in the pool (kept sorted by score, best last) if it is
// among the best evictPoolSize.
func (ev *evictor) offer(c evictCandidate) {
	for _, p := range ev.pool {
		if p.key == c.key && p.db == c.db {
			return
		}
	}
	i := 0
	for i < len(ev.pool) && ev.pool[i].score < c.score {
		i++
	}
	if len(ev.pool) == evictPoolSize {
		if i == 0 {
			return
		}
		ev.pool = ev.pool[1:]
		i--
	}
	ev.pool = append(ev.pool, evictCandidate{})
	copy(ev.pool[i+1:], ev.pool[i:])
	ev.pool[i] = c
}

// evictScore ranks e for s.Policy: idle time (LRU), 255 minus the LFU
// counter then idle time (LFU), or how soon it expires (volatile-ttl).
func evictScore(e *datatypes.Entry, s EvictionSettings, now int64) uint64 {
	idle := uint64(min(e.IdleMillis(now), 1<<40-1))
	switch {
	case s.Policy.LFU():
		return uint64(255-e.Freq(now, s.LFU))<<40 | idle
	case s.Policy == VolatileTTL:
		return math.MaxUint64 - uint64(e.ExpireAt)
	}
	return idle
}

// sampleKey returns a random key's entry (a volatile one if volatile) of
// any database, and the database: every key is as likely.
func sampleKey(dbs *datatypes.DBs, volatile bool) (int, *datatypes.Entry) {
	keys, vol := dbs.Keys()
	if volatile {
		keys = vol
	}
	if keys == 0 {
		return 0, nil
	}
	i := rand.IntN(keys)
	for db := range dbs.Len() {
		ks := dbs.DB(db)
		n := ks.Len()
		if volatile {
			n = ks.VolatileLen()
		}
		if i >= n {
			i -= n
			continue
		}
		if volatile {
			return db, ks.Find(ks.VolatileKeyAt(i))
		}
		return db, ks.EntryAt(i)
	}
	return 0, nil
}

// randomCandidate returns a random key not in chosen, trying a few times.
func randomCandidate(dbs *datatypes.DBs, volatile bool, chosen map[dbKey]bool) (int, *datatypes.Entry) {
	for range 16 {
		if db, e := sampleKey(dbs, volatile); e != nil && !chosen[dbKey{db, e.Key}] {
			return db, e
		}
	}
	return 0, nil
}
