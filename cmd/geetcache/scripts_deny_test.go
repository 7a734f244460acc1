package main

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestDenyScriptsSwitchReplicated: DEBUG SET-DISABLE-DENY-SCRIPTS sent to a
// follower goes through the log, so a write script calling DEBUG PROTOCOL
// (run inside every replica's state machine) gets the same answer
// everywhere, and the replicas stay equal; switched off again, every
// node refuses it.
func TestDenyScriptsSwitchReplicated(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	f := others(nodes, leader)[0].Client(noRetries)
	waitFor(t, 10*time.Second, func() error { return f.Do(ctx, "DEBUG", "SET-DISABLE-DENY-SCRIPTS", "1").Err() })
	const script = "local m = redis.call('debug', 'protocol', 'map') redis.call('set', KEYS[1], #m) return m"
	for _, n := range nodes {
		got, err := n.Client(noRetries).Eval(ctx, script, []string{"k-" + nodeID(n)}).Result()
		if err != nil {
			t.Fatalf("EVAL on %s after the switch: %v", nodeID(n), err)
		}
		if s, ok := got.([]any); !ok || len(s) != 6 {
			t.Fatalf("EVAL on %s: %#v, want DEBUG PROTOCOL map's 6 items", nodeID(n), got)
		}
	}
	waitSameDigest(t, nodes)
	if err := leader.Client(noRetries).Do(ctx, "DEBUG", "SET-DISABLE-DENY-SCRIPTS", "0").Err(); err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes {
		waitFor(t, 10*time.Second, func() error {
			err := n.Client(noRetries).Eval(ctx, script, []string{"k"}).Err()
			if err == nil || !strings.Contains(err.Error(), "This Redis command is not allowed from script") {
				return fmt.Errorf("EVAL on %s after the switch off: %v", nodeID(n), err)
			}
			return nil
		})
	}
}
