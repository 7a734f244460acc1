package cluster

import (
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/raft"

	"github.com/geetcache/geetcache/protocol"
)

// openTrio opens a three-node cluster in this process, each node's log
// on disk behind a gatedStore; it returns the nodes and their stores.
func openTrio(t *testing.T) ([]*Node, []*gatedStore) {
	t.Helper()
	var peers []Peer
	for _, id := range []string{"n1", "n2", "n3"} {
		peers = append(peers, Peer{ID: id, RaftAddr: freeAddr(t)})
	}
	nodes := make([]*Node, len(peers))
	stores := make([]*gatedStore, len(peers))
	var wg sync.WaitGroup
	for i, p := range peers {
		cfg := DefaultConfig()
		cfg.NodeID, cfg.RaftAddr, cfg.Peers, cfg.Dir = p.ID, p.RaftAddr, peers, t.TempDir()
		cfg.wrapLog = func(s raft.LogStore) raft.LogStore {
			stores[i] = &gatedStore{LogStore: s}
			return stores[i]
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := Open(cfg, protocol.DataTable())
			if err != nil {
				t.Errorf("open %s: %v", p.ID, err)
				return
			}
			nodes[i] = n
		}()
	}
	wg.Wait()
	for _, n := range nodes {
		if n != nil {
			t.Cleanup(func() { n.Close() })
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	return nodes, stores
}

// TestLeaderWriteOverlapsReplication: with the leader's log write held,
// its followers still receive and store a new entry, and no node applies
// it nor is its proposal answered; once the write is let through, every
// node applies it.
func TestLeaderWriteOverlapsReplication(t *testing.T) {
	nodes, stores := openTrio(t)
	leader := -1
	waitFor(t, 10*time.Second, func() bool {
		for i, n := range nodes {
			if n.raft.State() == raft.Leader && n.leaderBarrier() == nil {
				leader = i
				return true
			}
		}
		return false
	})
	set := func(v string) error {
		return nodes[leader].propose(&protocol.Entry{Kind: protocol.EntryCommands, Units: []protocol.Unit{one("SET", "k", v)}})
	}
	if err := set("before"); err != nil { // the cluster has settled
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, func() bool {
		last, _ := nodes[leader].overlap.LastIndex()
		for _, n := range nodes {
			if n.AppliedIndex() < last {
				return false
			}
		}
		return true
	})
	before, _ := nodes[leader].overlap.LastIndex()

	stores[leader].hold()
	t.Cleanup(stores[leader].release) // before the nodes close, should the test fail
	answered := make(chan error, 1)
	go func() { answered <- set("held") }()
	idx := before + 1
	waitFor(t, 5*time.Second, func() bool {
		for i, n := range nodes {
			if i == leader {
				continue
			}
			if last, _ := n.overlap.LogStore.LastIndex(); last < idx { // on the follower's disk
				return false
			}
		}
		return true
	})
	select {
	case err := <-answered:
		t.Fatalf("the write was answered (%v) before the leader's log held it", err)
	case <-time.After(200 * time.Millisecond):
	}
	for i, n := range nodes {
		if got := n.AppliedIndex(); got >= idx {
			t.Fatalf("node %d applied index %d before the leader's log held it", i, got)
		}
	}
	if d := nodes[leader].overlap.durable.get(); d >= idx {
		t.Fatalf("leader's durable index %d while its write of %d is held", d, idx)
	}

	stores[leader].release()
	if err := <-answered; err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, func() bool {
		for _, n := range nodes {
			if n.AppliedIndex() < idx {
				return false
			}
		}
		return true
	})
}
