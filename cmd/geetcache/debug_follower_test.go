package main

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestDebugReadsThroughFollower: DEBUG OBJECT, DIGEST-VALUE and DIGEST
// sent to a follower answer as on the leader, right after a write through
// that follower, in both follower-read modes (readindex: the follower
// applies the leader's read index and answers; forward: the leader
// answers). Before, the follower answered CLUSTERDOWN (its read barrier is
// the leader's), and Redis's unit/scripting stopped there through a
// follower ("Script delete the expired key").
func TestDebugReadsThroughFollower(t *testing.T) {
	for _, mode := range []string{"readindex", "forward"} {
		t.Run(mode, func(t *testing.T) {
			nodes := startClusterWith(t, func(_ int, n *node) { n.args = append(n.args, "--follower-reads", mode) })
			leader := waitForLeader(t, nodes, 10*time.Second)
			fc := others(nodes, leader)[0].Client(noRetries)
			lc := leader.Client(noRetries)
			waitFor(t, 10*time.Second, func() error { return fc.Set(ctx, "k", "v", 0).Err() })
			for round := range 3 {
				if err := fc.Append(ctx, "k", "w").Err(); err != nil {
					t.Fatal(err)
				}
				obj, err := fc.Do(ctx, "DEBUG", "OBJECT", "k").Text()
				if err != nil || !strings.HasPrefix(obj, "Value at:") {
					t.Fatalf("round %d: DEBUG OBJECT through the follower: %q %v", round, obj, err)
				}
				for _, args := range [][]any{{"DEBUG", "DIGEST-VALUE", "k"}, {"DEBUG", "DIGEST"}} {
					got, err := fc.Do(ctx, args...).Result()
					want, lerr := lc.Do(ctx, args...).Result()
					if err != nil || lerr != nil || fmt.Sprint(got) != fmt.Sprint(want) {
						t.Fatalf("round %d: %v through the follower: %v %v; the leader: %v %v", round, args, got, err, want, lerr)
					}
				}
			}
		})
	}
}

// TestDebugSetActiveExpireThroughFollower: DEBUG SET-ACTIVE-EXPIRE 0 sent
// to a follower stops the leader's active expiry too (Redis's unit/expire
// "Redis should lazy expire keys" through a follower: DBSIZE still counts a
// key past its expiry until a read meets it); 1 starts it again. Before,
// only the follower's own switch changed, and the leader deleted the key.
func TestDebugSetActiveExpireThroughFollower(t *testing.T) {
	_, _, follower := startClusterWithFollower(t)
	fc := follower.Client(noRetries)
	if err := fc.Do(ctx, "DEBUG", "SET-ACTIVE-EXPIRE", "0").Err(); err != nil {
		t.Fatal(err)
	}
	if err := fc.Set(ctx, "ek", "v", 100*time.Millisecond).Err(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(700 * time.Millisecond) // active expiry runs every 100 ms
	if n, err := fc.DBSize(ctx).Result(); err != nil || n != 1 {
		t.Fatalf("DBSIZE with active expiry off: %d, %v; want 1", n, err)
	}
	if err := fc.Do(ctx, "DEBUG", "SET-ACTIVE-EXPIRE", "1").Err(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, func() error {
		if n, err := fc.DBSize(ctx).Result(); err != nil || n != 0 {
			return fmt.Errorf("DBSIZE with active expiry on: %d, %v; want 0", n, err)
		}
		return nil
	})
}
