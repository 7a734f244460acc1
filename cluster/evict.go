package cluster

import (
	"errors"
	"math"
	"math/rand/v2"
	"sync"
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
}

type evictCandidate struct {
	key   string
	score uint64 // higher is evicted first
}

// MakeRoom, on the leader, evicts until memory is at or below maxmemory
// or the round's time budget (maxmemory-eviction-tenacity) runs out. It
// returns false when memory is still above maxmemory and nothing more may
// be evicted (noeviction, or no candidate for the policy): the caller then
// refuses the write with OOM.
func (n *Node) MakeRoom() bool {
	s := n.Eviction()
	if s.MaxMemory == 0 || n.UsedMemory() <= s.MaxMemory {
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
	var keys [][]byte
	n.View(func(ks *datatypes.Keyspace) { keys = n.evict.pick(ks, s, need, time.Now().UnixMilli()) })
	if len(keys) == 0 {
		return errEvictNothing
	}
	e := &protocol.Entry{Kind: protocol.EntryEvict, Units: []protocol.Unit{{Proto: 2, Cmds: [][][]byte{keys}}}}
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
// evictBatchMax of them.
func (ev *evictor) pick(ks *datatypes.Keyspace, s EvictionSettings, need int64, now int64) [][]byte {
	chosen := map[string]bool{}
	var keys [][]byte
	var freed int64
	for freed < need && len(keys) < evictBatchMax {
		e := ev.next(ks, s, now, chosen)
		if e == nil {
			break
		}
		chosen[e.Key] = true
		keys = append(keys, []byte(e.Key))
		freed += e.MemSize()
	}
	return keys
}

// next returns the next key to evict that is not in chosen, or nil.
func (ev *evictor) next(ks *datatypes.Keyspace, s EvictionSettings, now int64, chosen map[string]bool) *datatypes.Entry {
	if s.Policy.Volatile() && ks.VolatileLen() == 0 || ks.Len() == 0 {
		return nil
	}
	if s.Policy.Random() {
		return randomCandidate(ks, s.Policy.Volatile(), chosen)
	}
	for range s.Samples {
		if e := sampleKey(ks, s.Policy.Volatile()); e != nil && !chosen[e.Key] {
			ev.offer(evictCandidate{key: e.Key, score: evictScore(e, s, now)})
		}
	}
	for len(ev.pool) > 0 {
		c := ev.pool[len(ev.pool)-1]
		ev.pool = ev.pool[:len(ev.pool)-1]
		if e := ks.Find(c.key); e != nil && !chosen[c.key] && (!s.Policy.Volatile() || e.ExpireAt != 0) {
			return e
		}
	}
	return nil
}

// offer puts c in the pool (kept sorted by score, best last) if it is
// among the best evictPoolSize.
func (ev *evictor) offer(c evictCandidate) {
	for _, p := range ev.pool {
		if p.key == c.key {
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

// sampleKey returns a random key's entry (a volatile one if volatile).
func sampleKey(ks *datatypes.Keyspace, volatile bool) *datatypes.Entry {
	if volatile {
		n := ks.VolatileLen()
		if n == 0 {
			return nil
		}
		return ks.Find(ks.VolatileKeyAt(rand.IntN(n)))
	}
	n := ks.Len()
	if n == 0 {
		return nil
	}
	return ks.EntryAt(rand.IntN(n))
}

// randomCandidate returns a random key not in chosen, trying a few times.
func randomCandidate(ks *datatypes.Keyspace, volatile bool, chosen map[string]bool) *datatypes.Entry {
	for range 16 {
		if e := sampleKey(ks, volatile); e != nil && !chosen[e.Key] {
			return e
		}
	}
	return nil
}
