package main

import (
	"testing"
	"time"

	"github.com/geetcache/geetcache/datatypes/rdb"
)

// TestRestoreThroughFollower: RESTORE sent to a follower is forwarded and
// checked by the leader (a bad payload is refused, BUSYKEY for an existing
// key without REPLACE), a good one reaches every node with its TTL, and
// every node DUMPs the same bytes.
func TestRestoreThroughFollower(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	follower := others(nodes, leader)[0].Client()
	good := rdb.Seal([]byte{rdb.TypeListQuicklist2, 1, 2, 0x0a, 0x0a, 0, 0, 0, 1, 0, 0x81, 'x', 2, 0xff})
	bad := rdb.Seal([]byte{rdb.TypeListQuicklist2, 1, 2, 0x0a, 0x0a, 0, 0, 0, 1, 0, 0x81, 'x', 3, 0xff})
	if err := follower.Do(ctx, "RESTORE", "l", "0", bad).Err(); err == nil || err.Error() != "ERR Bad data format" {
		t.Fatalf("bad payload: %v", err)
	}
	if err := follower.Do(ctx, "RESTORE", "l", "100000", good).Err(); err != nil {
		t.Fatalf("good payload: %v", err)
	}
	if err := follower.Do(ctx, "RESTORE", "l", "0", bad).Err(); err == nil || err.Error() != "BUSYKEY Target key name already exists." {
		t.Fatalf("existing key: %v", err)
	}
	waitSameDigest(t, nodes)
	for i, nd := range nodes {
		c := nd.Client()
		got, err := c.Dump(ctx, "l").Result()
		if err != nil || got != string(good) {
			t.Fatalf("node %d: DUMP l = %q %v, want %q", i, got, err, good)
		}
		if ttl := c.TTL(ctx, "l").Val(); ttl < 99*time.Second || ttl > 100*time.Second {
			t.Fatalf("node %d: TTL %v", i, ttl)
		}
	}
}
