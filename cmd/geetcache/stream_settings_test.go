package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestStreamNodeSettingReplicated: CONFIG SET stream-node-max-entries on a
// follower reaches every node through the log, and streams appended
// through every node then split into the same nodes everywhere: an
// approximate trim removes the same entries and the digests agree.
func TestStreamNodeSettingReplicated(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	follower := nodes[0]
	if follower == leader {
		follower = nodes[1]
	}
	ctx := context.Background()
	waitFor(t, 10*time.Second, func() error {
		return follower.Client(noRetries).ConfigSet(ctx, "stream-node-max-entries", "3").Err()
	})
	for _, n := range nodes {
		waitFor(t, 10*time.Second, func() error {
			v, err := n.Client(noRetries).ConfigGet(ctx, "stream-node-max-entries").Result()
			if err == nil && v["stream-node-max-entries"] != "3" {
				err = fmt.Errorf("node %d: %v", n.port, v)
			}
			return err
		})
	}
	for i := range 10 {
		c := nodes[i%3].Client()
		if err := c.XAdd(ctx, &redis.XAddArgs{Stream: "s", ID: fmt.Sprintf("%d-1", i+1), Values: []string{"f", "v"}}).Err(); err != nil {
			t.Fatal(err)
		}
	}
	// Nodes of 3: trimming to about 5 removes the first node only (the
	// second would leave 4), as redis-server 7.0.15 does.
	n, err := follower.Client().XTrimMaxLenApprox(ctx, "s", 5, 0).Result()
	if err != nil || n != 3 {
		t.Fatalf("XTRIM MAXLEN ~ 5 = %d, %v; want 3 (nodes of 3 entries)", n, err)
	}
	waitSameDigest(t, nodes)
}
