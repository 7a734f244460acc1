package main

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestEvictionBeforeReadMatchesRedis: while memory is above maxmemory, a
// read first evicts, as Redis's processCommand does before every command,
// and a RESP3 connection tracking the evicted key gets its invalidation
// before the read's reply (Redis's unit/tracking "Tracking invalidation
// message of eviction keys should be before response"). The same steps run
// on redis-server 7.0 and on a node; the frames that answer the read must
// be the same. Before, the node evicted only before a write that needs
// memory (and every 100 ms), so the read's reply came first.
func TestEvictionBeforeReadMatchesRedis(t *testing.T) {
	redisAddr := startRedisServer(t)
	n := startNode(t)
	rc := redis.NewClient(&redis.Options{Addr: redisAddr, MaxRetries: -1})
	defer rc.Close()
	for _, s := range []struct {
		side *diffSide
		info *redis.Client
	}{{dialDiffSide(t, "redis", redisAddr), rc}, {dialDiffSide(t, "geetcache", n.addr()), n.Client(noRetries)}} {
		side := s.side
		got := evictBeforeRead(t, side, s.info)
		want := []string{invalidation("volatile-key"), ":0\r\n"}
		if strings.Join(got, "") != strings.Join(want, "") {
			t.Fatalf("%s: GETBIT over maxmemory answered %q, want %q", side.name, got, want)
		}
	}
}

// evictBeforeRead tracks a volatile key on side in RESP3, sets maxmemory
// 100 KiB above the memory used (read through info, a client of the same
// server), grows a 200 KB bitmap past it under volatile-random, and
// returns the first two frames that answer the GETBIT sent next; it puts
// maxmemory back to 0 at the end.
func evictBeforeRead(t *testing.T, side *diffSide, info *redis.Client) []string {
	t.Helper()
	do := func(args ...string) string {
		t.Helper()
		rep, err := side.roundTrip(args)
		if err != nil {
			t.Fatal(err)
		}
		return string(rep.raw)
	}
	do("HELLO", "3")
	do("FLUSHALL")
	if got := do("CLIENT", "TRACKING", "ON"); got != "+OK\r\n" {
		t.Fatalf("%s: CLIENT TRACKING ON: %q", side.name, got)
	}
	used := infoInt(t, info, "memory", "used_memory") - infoInt(t, info, "memory", "mem_not_counted_for_evict")
	do("CONFIG", "SET", "maxmemory", strconv.FormatInt(used+100<<10, 10))
	t.Cleanup(func() { side.roundTrip([]string{"CONFIG", "SET", "maxmemory", "0"}) })
	do("CONFIG", "SET", "maxmemory-policy", "volatile-random")
	do("SETEX", "volatile-key", "10000", "x")
	do("GET", "volatile-key")
	do("SETBIT", "big-key", "1600000", "0") // about 200 KB: above the limit now
	side.send([][]string{{"GETBIT", "big-key", "0"}})
	reps, err := side.replies(2)
	if err != nil {
		t.Fatal(err)
	}
	return []string{string(reps[0].raw), string(reps[1].raw)}
}

// TestEvictionBeforeReadThroughFollower: the same steps through a follower
// of three nodes (readindex reads): the follower's read, once past its read
// index, finds its state above maxmemory, asks the leader to evict (RAFT
// MAKEROOM), applies the eviction and sends the invalidation before the
// read's reply, as on one node. Before, the follower read at once and the
// leader's eviction came later.
func TestEvictionBeforeReadThroughFollower(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 15*time.Second)
	f := others(nodes, leader)[0]
	side := dialDiffSide(t, "follower", f.addr())
	got := evictBeforeRead(t, side, f.Client(noRetries))
	want := []string{invalidation("volatile-key"), ":0\r\n"}
	if strings.Join(got, "") != strings.Join(want, "") {
		t.Fatalf("GETBIT over maxmemory through a follower answered %q, want %q", got, want)
	}
}
