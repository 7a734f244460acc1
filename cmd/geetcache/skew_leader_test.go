package main

import (
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// skewTrialKeys is how many keys each trial of TestExpiryAcrossLeaderChange
// sets, with deadlines 1 ms apart.
const skewTrialKeys = 2000

// TestExpiryAcrossLeaderChange: a leader whose clock runs 4 s ahead reports
// keys expired, then hands leadership to a node whose clock is on time;
// no key the old leader reported expired may show again through the new
// one. The keys expire 1 ms apart, so at any moment some have expired that
// no deletion entry has removed yet: only the time line decides them.
func TestExpiryAcrossLeaderChange(t *testing.T) {
	nodes := startClusterWith(t, func(i int, n *node) {
		n.env = append(n.env, testClockOffsetEnv+"="+skewOffsets[i].String())
	})
	ahead, onTime := nodes[1], nodes[0] // n2 runs ahead, n1 on time
	reappeared, gone := 0, 0
	for trial := range 3 {
		skewTransfer(t, nodes, 1)
		keys := make([]string, skewTrialKeys)
		pipe := ahead.Client(noRetries).Pipeline()
		for i := range keys {
			keys[i] = "xl:" + strconv.Itoa(trial) + ":" + strconv.Itoa(i)
			pipe.Set(ctx, keys[i], "v", time.Second+time.Duration(i)*time.Millisecond)
		}
		if _, err := pipe.Exec(ctx); err != nil {
			t.Fatalf("trial %d: SET: %v", trial, err)
		}
		time.Sleep(time.Second + skewTrialKeys*time.Millisecond/2) // half the keys have expired
		seenGone := exists(t, ahead, keys)
		if err := ahead.Client(noRetries).Do(ctx, "RAFT", "TRANSFER", "n1").Err(); err != nil {
			// An election got there first (a loaded machine): whoever
			// leads now, the keys must still not come back.
			t.Logf("trial %d: RAFT TRANSFER n1: %v", trial, err)
		}
		after := exists(t, onTime, keys)
		n := 0
		for i := range keys {
			if !seenGone[i] {
				gone++
				if after[i] {
					n++
				}
			}
		}
		t.Logf("trial %d: %d keys reported expired by n2 (clock +4 s) showed again through n1 after it took the lead", trial, n)
		reappeared += n
	}
	if reappeared > 0 {
		t.Fatalf("%d of %d keys reported expired showed again after the change of leader", reappeared, gone)
	}
}

// exists reads every key through n in one pipeline: which exist.
func exists(t *testing.T, n *node, keys []string) []bool {
	t.Helper()
	rdb := n.Client(noRetries)
	defer rdb.Close()
	pipe := rdb.Pipeline()
	cmds := make([]*redis.IntCmd, len(keys))
	for i, k := range keys {
		cmds[i] = pipe.Exists(ctx, k)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatalf("EXISTS through %s: %v", n.addr(), err)
	}
	out := make([]bool, len(keys))
	for i, c := range cmds {
		out[i] = c.Val() == 1
	}
	return out
}
