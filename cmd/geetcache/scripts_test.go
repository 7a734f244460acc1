package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// randomScript writes what its random sources gave: SPOP and SRANDMEMBER
// (seeded from the log entry), math.random (seeded from it too) and TIME
// (the entry's time), so replicas that ran it differently hold different
// data.
const randomScript = `
local n = redis.call('INCR', KEYS[1])
for i = 1, 10 do redis.call('SADD', KEYS[2], n * 100 + i) end
local popped = redis.call('SPOP', KEYS[2], 2)
local some = redis.call('SRANDMEMBER', KEYS[2], 3)
local t = redis.call('TIME')
redis.call('RPUSH', KEYS[3], n, popped[1], popped[2], some[1], some[2], some[3], math.random(1000000), t[1], t[2])
return n`

// TestScriptsReplicate: a script that increments and reads random members
// is one log entry that every node applies alike (equal DEBUG DIGESTs),
// whichever node it is sent to; scripts loaded before the leader is
// killed run on the new leader, on followers, and on the old leader once
// it restarts (from a snapshot for one script, from the log for another).
func TestScriptsReplicate(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	sha, err := nodes[0].Client(noRetries).ScriptLoad(ctx, randomScript).Result()
	if err != nil {
		t.Fatal(err)
	}
	keys := []string{"{s}n", "{s}set", "{s}log"}
	for i := range 30 {
		n := nodes[i%3]
		got, err := n.Client(noRetries).EvalSha(ctx, sha, keys).Int()
		if err != nil || got != i+1 {
			t.Fatalf("EVALSHA on %s: %d %v, want %d", n.addr(), got, err, i+1)
		}
	}
	waitSameDigest(t, nodes)
	for _, n := range nodes {
		if err := n.Client(noRetries).Do(ctx, "RAFT", "SNAPSHOT").Err(); err != nil {
			t.Fatalf("RAFT SNAPSHOT on %s: %v", n.addr(), err)
		}
	}
	// In the log only, after the snapshots.
	getSHA, err := leader.Client(noRetries).ScriptLoad(ctx, "return redis.call('GET', KEYS[1])").Result()
	if err != nil {
		t.Fatal(err)
	}
	leader.Kill9()
	rest := others(nodes, leader)
	next := waitForLeader(t, rest, 10*time.Second)
	waitFor(t, 10*time.Second, func() error { return next.Client(noRetries).EvalSha(ctx, sha, keys).Err() })
	for _, n := range rest {
		checkScripts(t, n, sha, getSHA, 31)
	}
	leader.Restart()
	waitFor(t, 15*time.Second, func() error { return leader.ping() })
	for _, n := range nodes {
		checkScripts(t, n, sha, getSHA, 31)
	}
	waitSameDigest(t, nodes)
}

// checkScripts checks that n knows both scripts (SCRIPT EXISTS) and runs
// them: the write one through the log, the read one as EVALSHA_RO and,
// on a READONLY connection, locally.
func checkScripts(t *testing.T, n *node, sha, getSHA string, minN int) {
	t.Helper()
	c := n.Client(noRetries)
	waitFor(t, 10*time.Second, func() error {
		exists, err := c.ScriptExists(ctx, sha, getSHA).Result()
		if err != nil || !exists[0] || !exists[1] {
			return fmt.Errorf("SCRIPT EXISTS on %s: %v %v", n.addr(), exists, err)
		}
		if got, err := c.EvalShaRO(ctx, getSHA, []string{"{s}n"}).Int(); err != nil || got < minN {
			return fmt.Errorf("EVALSHA_RO on %s: %d %v, want at least %d", n.addr(), got, err, minN)
		}
		ro := redis.NewClient(&redis.Options{Addr: n.addr(), MaxRetries: -1, PoolSize: 1,
			OnConnect: func(ctx2 context.Context, cn *redis.Conn) error { return cn.ReadOnly(ctx2).Err() }})
		defer ro.Close()
		if err := ro.EvalShaRO(ctx, getSHA, []string{"{s}n"}).Err(); err != nil {
			return fmt.Errorf("EVALSHA_RO on a READONLY connection to %s: %v", n.addr(), err)
		}
		return nil
	})
	if err := c.EvalSha(ctx, sha, []string{"{s}n", "{s}set", "{s}log"}).Err(); err != nil {
		t.Fatalf("EVALSHA on %s: %v", n.addr(), err)
	}
}
