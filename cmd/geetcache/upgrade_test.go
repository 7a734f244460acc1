package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// buildNewer builds the binary with -tags geetcache_futurecmd: a stand-in
// for a newer release, which knows FUTURECMD (a SET at command level 7).
func buildNewer(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "geetcache-newer")
	if out, err := exec.Command("go", "build", "-tags", "geetcache_futurecmd", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build the newer binary: %v\n%s", err, out)
	}
	return bin
}

// nodeID returns the --node-id n was started with.
func nodeID(n *node) string {
	i := slices.Index(n.args, "--node-id")
	return n.args[i+1]
}

// TestRollingUpgradeOldNodeStops: in a cluster halfway through an upgrade,
// the upgraded leader commits an entry using a command the old binary does
// not know. Each old node must stop before applying it, exiting with one
// line that says to upgrade (never skip it and diverge); started again with
// the new binary, it applies the entry and catches up.
func TestRollingUpgradeOldNodeStops(t *testing.T) {
	newer := buildNewer(t)
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	upgraded := others(nodes, leader)[0]
	if code := upgraded.Term(); code != 0 {
		t.Fatalf("exit code %d after SIGTERM", code)
	}
	upgraded.bin = newer
	upgraded.Restart()
	writeKeys(t, leader, "before", 20)
	waitSameDigest(t, nodes)
	if err := leader.Client().Do(ctx, "RAFT", "TRANSFER", nodeID(upgraded)).Err(); err != nil {
		t.Fatalf("RAFT TRANSFER %s: %v", nodeID(upgraded), err)
	}
	if got := waitForLeader(t, nodes, 10*time.Second); got != upgraded {
		t.Fatalf("leader is %s, want the upgraded %s", nodeID(got), nodeID(upgraded))
	}
	if err := upgraded.Client(noRetries).Do(ctx, "FUTURECMD", "fk", "fv").Err(); err != nil {
		t.Fatalf("FUTURECMD on the upgraded leader: %v", err)
	}
	old := others(nodes, upgraded)
	for _, n := range old {
		select {
		case <-n.done:
		case <-time.After(15 * time.Second):
			t.Fatalf("old node %s still runs after an entry it cannot apply", nodeID(n))
		}
		if code := n.cmd.ProcessState.ExitCode(); code != 1 {
			t.Errorf("old node %s exit code %d, want 1", nodeID(n), code)
		}
		for _, want := range []string{"geetcache: stopped: cannot apply log entry", "command level 7", "upgrade this node's geetcache binary"} {
			if !n.logged(want) {
				t.Errorf("old node %s did not log %q", nodeID(n), want)
			}
		}
		if n.logged("panic") || n.logged("goroutine ") {
			t.Errorf("old node %s logged a panic", nodeID(n))
		}
	}
	for _, n := range old {
		n.bin = newer
		n.Restart()
	}
	waitSameDigest(t, nodes)
	for _, n := range nodes {
		if got, err := readOnlyGet(n, "fk"); err != nil || got != "fv" {
			t.Errorf("node %s: GET fk = %q, %v; want fv", nodeID(n), got, err)
		}
	}
}

// readOnlyGet reads key from n's own state machine (READONLY).
func readOnlyGet(n *node, key string) (string, error) {
	c := n.Client(noRetries)
	conn := c.Conn()
	defer conn.Close()
	if err := conn.ReadOnly(ctx).Err(); err != nil {
		return "", fmt.Errorf("READONLY: %w", err)
	}
	return conn.Get(ctx, key).Result()
}
