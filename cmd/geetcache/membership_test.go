package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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

// TestAddVoterMustAnswer: a single node refuses to add a voter whose Raft
// address does not answer (it would need that voter for every commit and
// every election, for good), and keeps serving, across a restart too.
func TestAddVoterMustAnswer(t *testing.T) {
	n := startNode(t)
	c := n.Client(noRetries)
	err := c.Do(ctx, "RAFT", "ADDVOTER", "evil", "127.0.0.1:1").Err()
	if err == nil || !strings.HasPrefix(err.Error(), "ERR refused to add voter evil: its Raft address 127.0.0.1:1 did not answer") {
		t.Fatalf("RAFT ADDVOTER evil 127.0.0.1:1: %v", err)
	}
	t.Logf("RAFT ADDVOTER evil 127.0.0.1:1: %v", err)
	if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatalf("SET after the refused ADDVOTER: %v", err)
	}
	n.Term()
	n.Restart()
	if got, err := n.Client(noRetries).Get(ctx, "k").Result(); err != nil || got != "v" {
		t.Fatalf("GET after restart: %q, %v", got, err)
	}
}

// TestRemoveKeepsQuorum: with one follower down, removing the other one
// would leave the leader and the dead node, no majority: refused. Removing
// the dead one leaves two reachable voters of two: done.
func TestRemoveKeepsQuorum(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	fs := others(nodes, leader)
	dead, live := fs[0], fs[1]
	deadID, liveID := fmt.Sprintf("n%d", indexOf(nodes, dead)+1), fmt.Sprintf("n%d", indexOf(nodes, live)+1)
	waitFor(t, 10*time.Second, func() error { // a leader just elected may not have heard from it yet (-1: never)
		if ms, _, err := memberContact(leader, deadID); err != nil || ms < 0 {
			return fmt.Errorf("%s's last contact: %d ms, %v", deadID, ms, err)
		}
		return nil
	})
	dead.Kill9()
	c := leader.Client(noRetries)
	waitFor(t, 10*time.Second, func() error { // the leader counts a voter down after 1 s of silence
		if ms, _, err := memberContact(leader, deadID); err != nil || ms < 1500 {
			return fmt.Errorf("%s's last contact: %d ms, %v", deadID, ms, err)
		}
		return nil
	})
	err := c.Do(ctx, "RAFT", "REMOVE", liveID).Err()
	if err == nil || !strings.HasPrefix(err.Error(), "ERR refused to remove "+liveID+": only 1 of the 2 voters") {
		t.Fatalf("RAFT REMOVE %s with %s down: %v", liveID, deadID, err)
	}
	t.Logf("RAFT REMOVE %s: %v", liveID, err)
	if err := c.Do(ctx, "RAFT", "REMOVE", deadID).Err(); err != nil {
		t.Fatalf("RAFT REMOVE %s (the dead one): %v", deadID, err)
	}
	waitMembers(t, leader, 2)
	if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatalf("SET after the removal: %v", err)
	}
}

// TestRecoverLostMajority follows docs/operations.md's recovery of a
// cluster that lost its majority: two of three nodes are gone for good;
// the survivor, stopped, gets a peers.json naming itself alone, and on
// restart it leads a one-voter cluster with every acknowledged write.
func TestRecoverLostMajority(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	if err := leader.Client(noRetries).Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	for _, n := range others(nodes, leader) {
		n.Kill9()
	}
	leader.Term()
	id := fmt.Sprintf("n%d", indexOf(nodes, leader)+1)
	peers := fmt.Sprintf(`[{"id": %q, "address": "127.0.0.1:%d", "non_voter": false}]`, id, leader.raftPort)
	if err := os.WriteFile(filepath.Join(leader.dir, "peers.json"), []byte(peers), 0o600); err != nil {
		t.Fatal(err)
	}
	leader.Restart()
	c := leader.Client(noRetries)
	if got, err := c.Get(ctx, "k").Result(); err != nil || got != "v" {
		t.Fatalf("GET k on the recovered node: %q, %v", got, err)
	}
	if err := c.Set(ctx, "k2", "v2", 0).Err(); err != nil {
		t.Fatalf("SET on the recovered node: %v", err)
	}
	if _, err := os.Stat(filepath.Join(leader.dir, "peers.json.recovered")); err != nil {
		t.Fatalf("peers.json was not renamed: %v", err)
	}
	if !leader.logged("recovered the Raft configuration from peers.json") {
		t.Fatal("the recovery was not logged")
	}
	waitMembers(t, leader, 1)
}
