package main

import (
	"testing"
)

// TestUnchangedWriteThroughFollower: an SADD that changes nothing, sent to
// a follower, is forwarded to the leader, which answers it as a read: the
// reply is Redis's and the leader's log does not grow. One that changes
// something is a log entry, and the follower's next read sees it.
func TestUnchangedWriteThroughFollower(t *testing.T) {
	_, leader, follower := startClusterWithFollower(t)
	fc := follower.Client(noRetries)
	if n, err := fc.SAdd(ctx, "s", "a", "b").Result(); err != nil || n != 2 {
		t.Fatalf("SADD s a b through the follower: %d, %v", n, err)
	}
	before, err := infoField(leader, "raft_last_log_index")
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		if n, err := fc.SAdd(ctx, "s", "b", "a").Result(); err != nil || n != 0 {
			t.Fatalf("SADD of members the set holds, through the follower: %d, %v", n, err)
		}
	}
	after, err := infoField(leader, "raft_last_log_index")
	if err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Fatalf("the leader's last log index went from %s to %s for SADDs that changed nothing", before, after)
	}
	if n, err := fc.SAdd(ctx, "s", "c").Result(); err != nil || n != 1 {
		t.Fatalf("SADD s c: %d, %v", n, err)
	}
	if ok, err := fc.SIsMember(ctx, "s", "c").Result(); err != nil || !ok {
		t.Fatalf("SISMEMBER s c on the follower after its SADD: %v, %v", ok, err)
	}
}
