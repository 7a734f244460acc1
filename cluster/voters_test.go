package cluster

import (
	"net"
	"testing"
	"time"

	"github.com/hashicorp/raft"

	"github.com/geetcache/geetcache/protocol"
)

// openTestNode starts a single-voter node on a free Raft port and waits
// until it leads.
func openTestNode(t *testing.T) *Node {
	t.Helper()
	return openTestNodeWith(t, func(*Config) {})
}

// openTestNodeWith is openTestNode with the node's config adjusted.
func openTestNodeWith(t *testing.T, adjust func(*Config)) *Node {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Dir = t.TempDir()
	cfg.RaftAddr = freeAddr(t)
	adjust(&cfg)
	n, err := Open(cfg, protocol.DataTable())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	if err := n.WaitLeader(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	return n
}

// freeAddr returns a loopback address no one listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestReadBarrierCountsNewVoterAtOnce: the moment a second voter is in the
// configuration, a read needs a quorum (here unreachable) to confirm the
// leadership: the sole-voter shortcut must not outlive the configuration.
func TestReadBarrierCountsNewVoterAtOnce(t *testing.T) {
	n := openTestNode(t)
	if _, err := n.ReadBarrier(); err != nil {
		t.Fatalf("sole voter's ReadBarrier: %v", err)
	}
	go n.changeVoters(func() error { // never commits; as Node.AddVoter does it, without its checks
		return n.raft.AddVoter("ghost", raft.ServerAddress(freeAddr(t)), 0, time.Second).Error()
	})
	waitFor(t, 5*time.Second, func() bool { return len(n.raft.GetConfiguration().Configuration().Servers) == 2 })
	start := time.Now()
	if _, err := n.ReadBarrier(); err == nil {
		t.Fatalf("ReadBarrier with an unreachable second voter succeeded after %v", time.Since(start))
	}
}

// TestSoleVoterFollowsChanges: the leader's kept soleVoter answer changes
// with each change made through AddVoter and RemoveServer.
func TestSoleVoterFollowsChanges(t *testing.T) {
	n := openTestNode(t)
	if !n.soleVoter() || !n.soleVoter() { // found, then kept
		t.Fatal("a single node is not its sole voter")
	}
	cfg := DefaultConfig()
	cfg.Dir, cfg.RaftAddr, cfg.NodeID, cfg.Bootstrap = t.TempDir(), freeAddr(t), "second", false
	second, err := Open(cfg, protocol.DataTable())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { second.Close() })
	if err := n.AddVoter("second", cfg.RaftAddr); err != nil {
		t.Fatalf("AddVoter: %v", err)
	}
	if n.soleVoter() {
		t.Fatal("soleVoter after AddVoter returned")
	}
	if _, err := n.ReadBarrier(); err != nil {
		t.Fatalf("ReadBarrier with two voters up: %v", err)
	}
	if err := n.RemoveServer("second"); err != nil {
		t.Fatalf("RemoveServer: %v", err)
	}
	if !n.soleVoter() {
		t.Fatal("not soleVoter after RemoveServer returned")
	}
}

// waitFor polls cond every millisecond until it holds, failing t after d.
func waitFor(t *testing.T, d time.Duration, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(d); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in time")
		}
	}
}
