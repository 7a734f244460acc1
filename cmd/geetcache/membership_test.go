package main

import (
	"fmt"
	"strconv"
	"testing"
	"time"
)

// TestMembershipChangesUnderLoad: while INCRs stream through a follower, a
// fourth node joins with --join, leadership is transferred to it, and one
// of the original followers is removed with RAFT REMOVE. No acknowledged
// INCR is lost, none is applied twice, and the remaining members converge.
func TestMembershipChangesUnderLoad(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	fs := others(nodes, leader)
	via, removed := fs[0], fs[1]
	waitAddressesRecorded(t, via)
	w := startIncrWriter(via, "ctr")
	progress := func(what string) {
		t.Helper()
		mark := w.acked.Load()
		waitFor(t, 20*time.Second, func() error {
			if n := w.acked.Load() - mark; n < 50 {
				return fmt.Errorf("%s: %d INCRs acknowledged", what, n)
			}
			return nil
		})
	}
	progress("before the changes")

	ports := freePorts(t, 2)
	n4 := &node{t: t, port: ports[0], raftPort: ports[1], dir: t.TempDir()}
	n4.args = []string{"--port", strconv.Itoa(n4.port), "--bind", "127.0.0.1", "--dir", n4.dir,
		"--node-id", "n4", "--raft-addr", "127.0.0.1:" + strconv.Itoa(n4.raftPort), "--join", via.addr()}
	n4.launch()
	waitMembers(t, leader, 4)
	progress("after the join")

	if err := leader.Client(noRetries).Do(ctx, "RAFT", "TRANSFER", "n4").Err(); err != nil {
		t.Fatalf("RAFT TRANSFER n4: %v", err)
	}
	waitFor(t, 10*time.Second, func() error {
		if r, err := role(n4); err != nil || r != "master" {
			return fmt.Errorf("n4's role: %q, %v", r, err)
		}
		return nil
	})
	progress("after the transfer")

	id := "n" + strconv.Itoa(indexOf(nodes, removed)+1)
	if err := n4.Client(noRetries).Do(ctx, "RAFT", "REMOVE", id).Err(); err != nil {
		t.Fatalf("RAFT REMOVE %s: %v", id, err)
	}
	waitMembers(t, n4, 3)
	progress("after the removal")

	w.halt()
	acked, failed := w.acked.Load(), w.failed.Load()
	got, err := n4.Client(noRetries).Get(ctx, "ctr").Int64()
	if err != nil || got < acked || got > acked+failed {
		t.Fatalf("ctr = %d, %v; want between %d acknowledged and %d sent", got, err, acked, acked+failed)
	}
	t.Logf("join n4, transfer to n4, remove %s: %d INCRs acknowledged, %d failed (first error: %v), counter %d",
		id, acked, failed, w.firstErr.Load(), got)
	waitSameDigest(t, []*node{leader, via, n4})
}

func waitMembers(t *testing.T, n *node, count int) {
	t.Helper()
	waitFor(t, 15*time.Second, func() error {
		members, err := n.Client(noRetries).Do(ctx, "RAFT", "MEMBERS").Slice()
		if err != nil || len(members) != count {
			return fmt.Errorf("%d members (%v), want %d", len(members), err, count)
		}
		return nil
	})
}
