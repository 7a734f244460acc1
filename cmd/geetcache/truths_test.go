package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestClusterReportsTruths: HELLO names a follower a replica; a node
// removed from the cluster says so in its log, its errors and INFO raft.
func TestClusterReportsTruths(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	if err := leader.Client(noRetries).Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes {
		want := "replica"
		if n == leader {
			want = "master"
		}
		if got := helloRole(t, n); got != want {
			t.Errorf("HELLO on n%d: role %q, want %q", indexOf(nodes, n)+1, got, want)
		}
	}
	removed := others(nodes, leader)[0]
	id := fmt.Sprintf("n%d", indexOf(nodes, removed)+1)
	if err := leader.Client(noRetries).Do(ctx, "RAFT", "REMOVE", id).Err(); err != nil {
		t.Fatalf("RAFT REMOVE %s: %v", id, err)
	}
	waitFor(t, 10*time.Second, func() error {
		fields, _, err := raftInfo(removed)
		if err != nil || fields["raft_node_membership"] != "removed" {
			return fmt.Errorf("removed node: raft_node_membership %q, %v", fields["raft_node_membership"], err)
		}
		if !removed.logged("this node was removed from the Raft cluster") {
			return fmt.Errorf("removed node has not logged its removal")
		}
		err = removed.Client(noRetries).Set(ctx, "k", "w", 0).Err()
		if err == nil || !strings.HasPrefix(err.Error(), "CLUSTERDOWN this node was removed from the Raft cluster") {
			return fmt.Errorf("SET on the removed node: %v", err)
		}
		return nil
	})
}

// helloRole sends HELLO 3 and returns its role field.
func helloRole(t *testing.T, n *node) string {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: n.addr(), MaxRetries: -1, Protocol: 2})
	defer c.Close()
	m, err := c.Do(ctx, "HELLO", "3").Result()
	if err != nil {
		t.Fatalf("HELLO 3: %v", err)
	}
	switch v := m.(type) {
	case map[interface{}]interface{}:
		return fmt.Sprint(v["role"])
	case []interface{}:
		for i := 0; i+1 < len(v); i += 2 {
			if v[i] == "role" {
				return fmt.Sprint(v[i+1])
			}
		}
	}
	t.Fatalf("HELLO 3 answered %#v", m)
	return ""
}

// TestIdleAppliedIndex: after a restart, a node's term starts with a no-op
// and its first read adds a barrier; neither reaches the state machine,
// yet an idle node has applied them: raft_applied_index reaches
// raft_commit_index.
func TestIdleAppliedIndex(t *testing.T) {
	n := startNode(t)
	c := n.Client(noRetries)
	if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	n.Term()
	n.Restart()
	if err := n.Client(noRetries).Get(ctx, "k").Err(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, func() error {
		fields, _, err := raftInfo(n)
		if err != nil || fields["raft_applied_index"] != fields["raft_commit_index"] {
			return fmt.Errorf("idle node: raft_applied_index %s, raft_commit_index %s (%v)",
				fields["raft_applied_index"], fields["raft_commit_index"], err)
		}
		return nil
	})
}
