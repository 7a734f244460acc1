package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Eviction under consensus, on a three-node cluster of real processes.
// Each policy starts from an empty keyspace with the same mix of keys:
// cold and hot, volatile and not; the hot ones are then read through a
// follower only (its reads reach the leader as access reports), and
// fillers push memory past maxmemory. The test checks which classes lost
// keys, that the leader evicted (evicted_keys), that every node holds the
// same keys (DEBUG DIGEST), and each process's RSS.

const (
	evictMaxMemory = 8 << 20  // maxmemory of every policy's run
	evictValueSize = 512      // bytes per value
	evictRSSBase   = 64 << 20 // the fixed base the RSS bound allows
	evictKeyCost   = 700      // used_memory per key of the mix, about
)

// evictClass is one class of keys of the mix, by name prefix.
type evictClass struct {
	prefix   string
	volatile bool
	hot      bool
	share    float64 // of maxmemory, in value bytes
}

var evictMix = []evictClass{
	{"cn:", false, false, 0.25}, {"cv:", true, false, 0.25},
	{"hn:", false, true, 0.05}, {"hv:", true, true, 0.05},
}

// evictExpect says, for a policy, which classes may lose keys and which
// must keep them all.
type evictExpect struct {
	policy    string
	mayLose   string // class prefixes (and "f:" for fillers) that may lose keys
	mustLose  string // prefixes that must lose some
	tolerance float64
}

func TestEvictionPolicies(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	follower := others(nodes, leader)[0]
	lc, fc := leader.Client(noRetries), follower.Client(noRetries)
	for _, ex := range []evictExpect{
		{"allkeys-lru", "cn: cv: f:", "cn: cv:", 0.02},
		{"allkeys-lfu", "cn: cv: f:", "cn: cv:", 0.02},
		{"allkeys-random", "cn: cv: hn: hv: f:", "cn: cv: f:", 0},
		{"volatile-lru", "cv:", "cv:", 0.02},
		{"volatile-lfu", "cv:", "cv:", 0.02},
		{"volatile-random", "cv: hv:", "cv:", 0},
		// CI run 24 (2026-12-05) lost 1 of 599 hv: here, 1,147 cv: where 1,148
		// are usual: a pick takes the best of its five samples and the pool, as
		// Redis's does, so when every sample of a run's first pick is an hv:
		// key (1 in 7,776) one goes (cluster's
		// TestVolatileTTLPicksShortestAfterAnotherPolicy). The log line's
		// evicted_keys tells eviction from a key that went otherwise.
		{"volatile-ttl", "cv:", "cv:", 0.01},
	} {
		t.Run(ex.policy, func(t *testing.T) {
			start := time.Now()
			doOK(t, lc, "FLUSHALL")
			doOK(t, fc, "CONFIG", "SET", "maxmemory", "0", "maxmemory-policy", ex.policy)
			doOK(t, lc, "CONFIG", "RESETSTAT")
			counts := fillMix(t, lc)
			time.Sleep(2100 * time.Millisecond) // LRU's clock has a resolution of one second
			readHot(t, fc, counts)
			time.Sleep(600 * time.Millisecond) // two access reports
			doOK(t, fc, "CONFIG", "SET", "maxmemory", strconv.Itoa(evictMaxMemory))
			fillers := fillFillers(t, lc, 0.45)
			lost := lostByClass(t, lc, counts, fillers)
			evicted := infoInt(t, lc, "stats", "evicted_keys")
			t.Logf("%s: lost %v of %v, fillers %d, evicted_keys %d (%.1fs)", ex.policy, lost, counts, fillers, evicted, time.Since(start).Seconds())
			checkLosses(t, ex, lost, counts, fillers)
			if evicted == 0 {
				t.Errorf("evicted_keys 0")
			}
			waitFor(t, 5*time.Second, func() error { // the last writes may end above it, until the next round
				if used := infoInt(t, lc, "memory", "used_memory"); used > evictMaxMemory {
					return fmt.Errorf("used_memory %d > maxmemory %d", used, evictMaxMemory)
				}
				return nil
			})
			waitSameDigest(t, nodes)
			for _, n := range nodes {
				if rss := processRSS(t, n.pid()); rss > evictMaxMemory*3/2+evictRSSBase {
					t.Errorf("node %s RSS %d > 1.5 x maxmemory + %d", n.addr(), rss, evictRSSBase)
				} else {
					t.Logf("node %s RSS %.1f MB", n.addr(), float64(rss)/(1<<20))
				}
			}
		})
	}
}

// TestEvictionNoEviction: under noeviction past maxmemory, writes get
// OOM (through a follower, in a transaction too, and nothing of the
// transaction is applied), reads and deletions work, and the replicas
// agree.
func TestEvictionNoEviction(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	fc := others(nodes, leader)[0].Client(noRetries)
	lc := leader.Client(noRetries)
	doOK(t, fc, "CONFIG", "SET", "maxmemory", strconv.Itoa(evictMaxMemory), "maxmemory-policy", "noeviction")
	const oom = "OOM command not allowed when used memory > 'maxmemory'."
	val := strings.Repeat("x", evictValueSize)
	n := 0
	for ; ; n++ {
		if n > 4*evictMaxMemory/evictValueSize {
			t.Fatalf("%d SETs of %d bytes, no OOM", n, evictValueSize)
		}
		err := lc.Set(ctx, "k:"+strconv.Itoa(n), val, 0).Err()
		if err != nil {
			if err.Error() != oom {
				t.Fatalf("SET %d: %v, want %q", n, err, oom)
			}
			break
		}
	}
	if err := fc.Set(ctx, "other", "v", 0).Err(); err == nil || err.Error() != oom {
		t.Fatalf("SET through a follower: %v", err)
	}
	pipe := fc.TxPipeline()
	pipe.Del(ctx, "k:0")
	pipe.Set(ctx, "k:1", "changed", 0)
	if _, err := pipe.Exec(ctx); err == nil || !strings.Contains(err.Error(), "EXECABORT") {
		t.Fatalf("MULTI DEL SET: %v, want EXECABORT", err)
	}
	if v, err := fc.Get(ctx, "k:1").Result(); err != nil || v != val {
		t.Fatalf("GET k:1 after the refused transaction: %d bytes, %v", len(v), err)
	}
	if v, err := fc.Exists(ctx, "k:0").Result(); err != nil || v != 1 {
		t.Fatalf("k:0 half-applied: EXISTS %d %v", v, err)
	}
	if d, err := fc.Del(ctx, "k:0", "k:2").Result(); err != nil || d != 2 {
		t.Fatalf("DEL while over maxmemory: %d %v", d, err)
	}
	if e := infoInt(t, lc, "stats", "evicted_keys"); e != 0 {
		t.Fatalf("noeviction evicted %d keys", e)
	}
	if k, _ := lc.DBSize(ctx).Result(); k != int64(n-2) {
		t.Fatalf("DBSIZE %d, want %d", k, n-2)
	}
	waitSameDigest(t, nodes)
}

func doOK(t *testing.T, c *redis.Client, args ...any) {
	t.Helper()
	if err := c.Do(ctx, args...).Err(); err != nil {
		t.Fatalf("%v: %v", args, err)
	}
}

// fillMix writes the classes of evictMix and returns how many keys each
// got. Volatile keys expire in hours: cv: soonest first, hv: last.
func fillMix(t *testing.T, c *redis.Client) map[string]int {
	t.Helper()
	counts := map[string]int{}
	val := strings.Repeat("v", evictValueSize)
	for _, cl := range evictMix {
		n := int(cl.share * evictMaxMemory / evictKeyCost)
		counts[cl.prefix] = n
		pipe := c.Pipeline()
		for i := range n {
			ttl := time.Duration(0)
			if cl.volatile {
				ttl = time.Hour + time.Duration(i)*time.Second
				if cl.hot {
					ttl += 10 * time.Hour
				}
			}
			pipe.Set(ctx, cl.prefix+strconv.Itoa(i), val, ttl)
			if i%200 == 199 || i == n-1 {
				execAgain(t, pipe, "fill "+cl.prefix)
			}
		}
	}
	return counts
}

// execAgain runs a pipeline of SETs, again while the cluster answers
// that leadership moved (a loaded machine: the SETs are idempotent).
func execAgain(t *testing.T, pipe redis.Pipeliner, what string) {
	t.Helper()
	for try := 0; ; try++ {
		cmds, err := pipe.Exec(ctx)
		if err == nil {
			return
		}
		if try == 20 || !strings.HasPrefix(err.Error(), "UNCERTAIN") && !strings.HasPrefix(err.Error(), "CLUSTERDOWN") {
			t.Fatalf("%s: %v", what, err)
		}
		time.Sleep(250 * time.Millisecond)
		for _, c := range cmds {
			pipe.Process(ctx, c)
		}
	}
}

// readHot reads every hot key a dozen times through c (a follower).
func readHot(t *testing.T, c *redis.Client, counts map[string]int) {
	t.Helper()
	for _, cl := range evictMix {
		if !cl.hot {
			continue
		}
		for range 12 {
			pipe := c.Pipeline()
			for i := range counts[cl.prefix] {
				pipe.Get(ctx, cl.prefix+strconv.Itoa(i))
			}
			if _, err := pipe.Exec(ctx); err != nil {
				t.Fatalf("read %s: %v", cl.prefix, err)
			}
		}
	}
}

// fillFillers writes non-volatile fillers worth share of maxmemory and
// returns how many.
func fillFillers(t *testing.T, c *redis.Client, share float64) int {
	t.Helper()
	n := int(share * evictMaxMemory / evictKeyCost)
	val := strings.Repeat("f", evictValueSize)
	pipe := c.Pipeline()
	for i := range n {
		pipe.Set(ctx, "f:"+strconv.Itoa(i), val, 0)
		if i%100 == 99 || i == n-1 {
			execAgain(t, pipe, "fillers")
		}
	}
	return n
}

// lostByClass counts, per class prefix, the keys no longer there.
func lostByClass(t *testing.T, c *redis.Client, counts map[string]int, fillers int) map[string]int {
	t.Helper()
	all := map[string]int{"f:": fillers}
	for k, v := range counts {
		all[k] = v
	}
	lost := map[string]int{}
	for prefix, n := range all {
		pipe := c.Pipeline()
		cmds := make([]*redis.IntCmd, n)
		for i := range n {
			cmds[i] = pipe.Exists(ctx, prefix+strconv.Itoa(i))
		}
		if _, err := pipe.Exec(ctx); err != nil {
			t.Fatal(err)
		}
		for _, cmd := range cmds {
			if cmd.Val() == 0 {
				lost[prefix]++
			}
		}
	}
	return lost
}

func checkLosses(t *testing.T, ex evictExpect, lost, counts map[string]int, fillers int) {
	t.Helper()
	total := map[string]int{"f:": fillers}
	for k, v := range counts {
		total[k] = v
	}
	for prefix, n := range total {
		l := lost[prefix]
		if !strings.Contains(ex.mayLose, prefix) && float64(l) > ex.tolerance*float64(n) {
			t.Errorf("%s lost %d of %d %s keys (may lose only %s)", ex.policy, l, n, prefix, ex.mayLose)
		}
	}
	for _, prefix := range strings.Fields(ex.mustLose) {
		if lost[prefix] == 0 && ex.policy != "allkeys-random" {
			t.Errorf("%s lost no %s key", ex.policy, prefix)
		}
	}
	if ex.policy == "allkeys-random" && lost["hn:"]+lost["hv:"]+lost["f:"] == 0 {
		t.Errorf("allkeys-random evicted only cold keys: %v", lost)
	}
}

// infoInt reads an integer field of an INFO section.
func infoInt(t *testing.T, c *redis.Client, section, field string) int64 {
	t.Helper()
	info, err := c.Info(ctx, section).Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	t.Fatalf("INFO %s has no %s", section, field)
	return 0
}

// processRSS is a process's resident set size in bytes (Linux).
func processRSS(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// TestMaxMemoryFlags: --maxmemory and --maxmemory-policy seed the
// replicated settings when the cluster never had them.
func TestMaxMemoryFlags(t *testing.T) {
	n := startNode(t, "--maxmemory", "10mb", "--maxmemory-policy", "ALLKEYS-LFU")
	c := n.Client(noRetries)
	waitFor(t, 5*time.Second, func() error {
		v, err := c.ConfigGet(ctx, "maxmemory*").Result()
		if err != nil || v["maxmemory"] != "10485760" || v["maxmemory-policy"] != "allkeys-lfu" {
			return fmt.Errorf("CONFIG GET maxmemory*: %v %v", v, err)
		}
		return nil
	})
}
