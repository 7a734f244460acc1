package main

import (
	"bytes"
	"testing"
	"time"
)

// TestPFCountStoresCountOnEveryNode: a single-key PFCOUNT of an HLL whose
// cached count is stale stores the count in the HLL's header through the
// log, sent through a follower too, so every node holds Redis's bytes
// (bytes 8-15: the count, top bit clear); a PFCOUNT of a valid count, or of
// several keys, makes no log entry. A connection tracking keys on the
// follower is told of the store only if it read the key before, as on
// Redis, and remembers the key after it.
func TestPFCountStoresCountOnEveryNode(t *testing.T) {
	nodes, leader, follower := startClusterWithFollower(t)
	fc := follower.Client(noRetries)
	if err := fc.PFAdd(ctx, "k", "a", "b", "c").Err(); err != nil {
		t.Fatal(err)
	}
	header := func(n *node) []byte {
		b, err := n.Client(noRetries).GetRange(ctx, "k", 8, 15).Bytes()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if h := header(leader); h[7] != 0x80 {
		t.Fatalf("after PFADD, header % x: want a stale count", h)
	}
	if n, err := fc.PFCount(ctx, "k").Result(); n != 3 || err != nil {
		t.Fatalf("PFCOUNT through the follower = %d, %v; want 3", n, err)
	}
	want := []byte{3, 0, 0, 0, 0, 0, 0, 0}
	for _, n := range nodes {
		if h := header(n); !bytes.Equal(h, want) {
			t.Errorf("node on port %d: header % x after PFCOUNT, want % x", n.port, h, want)
		}
	}
	waitSameDigest(t, nodes)
	before, err := infoField(leader, "raft_last_log_index")
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		for _, c := range [][]any{{"PFCOUNT", "k"}, {"PFCOUNT", "k", "nokey"}, {"PFCOUNT", "nokey"}} {
			if err := fc.Do(ctx, c...).Err(); err != nil {
				t.Fatal(err)
			}
			if err := leader.Client(noRetries).Do(ctx, c...).Err(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if after, _ := infoField(leader, "raft_last_log_index"); after != before {
		t.Errorf("PFCOUNTs of a valid count moved the log from %s to %s", before, after)
	}
	if err := fc.PFAdd(ctx, "k", "d").Err(); err != nil {
		t.Fatal(err)
	}
	if h := header(follower); !bytes.Equal(h, []byte{3, 0, 0, 0, 0, 0, 0, 0x80}) {
		t.Errorf("after a change, header % x: want the old count, stale", h)
	}

	tr := track(t, follower)
	if got := tr.do("PFCOUNT", "k"); got != ":4\r\n" { // stale: stored, the key remembered after
		t.Fatalf("tracked PFCOUNT: %q", got)
	}
	if got := tr.next(300 * time.Millisecond); got != "" {
		t.Errorf("a PFCOUNT of a key not read before told its own store: %q", got)
	}
	if err := fc.PFAdd(ctx, "k", "e").Err(); err != nil {
		t.Fatal(err)
	}
	if got := tr.next(5 * time.Second); got != invalidation("k") {
		t.Errorf("after a change to the counted key: %q, want %q", got, invalidation("k"))
	}
}
