package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// startCluster starts three geetcache processes that bootstrap one Raft
// cluster with --peers, each on free ports with its own data directory.
func startCluster(t *testing.T) []*node {
	t.Helper()
	ports := freePorts(t, 6)
	var peers []string
	for i := range 3 {
		peers = append(peers, fmt.Sprintf("n%d=127.0.0.1:%d", i+1, ports[3+i]))
	}
	nodes := make([]*node, 3)
	for i := range nodes {
		n := &node{t: t, port: ports[i], raftPort: ports[3+i], dir: t.TempDir()}
		n.args = []string{"--port", strconv.Itoa(n.port), "--bind", "127.0.0.1", "--dir", n.dir,
			"--node-id", fmt.Sprintf("n%d", i+1), "--raft-addr", "127.0.0.1:" + strconv.Itoa(n.raftPort),
			"--peers", strings.Join(peers, ","), "--bootstrap"}
		nodes[i] = n
	}
	for _, n := range nodes {
		n.launch()
	}
	return nodes
}

// role returns the node's INFO replication role.
func role(n *node) (string, error) {
	info, err := n.Client(noRetries).Info(ctx, "replication").Result()
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, "role:"); ok {
			return v, nil
		}
	}
	return "", fmt.Errorf("no role in %q", info)
}

// waitForLeader waits until exactly one of the running nodes reports
// role:master and returns it.
func waitForLeader(t *testing.T, nodes []*node, timeout time.Duration) *node {
	t.Helper()
	var leader *node
	waitFor(t, timeout, func() error {
		leader = nil
		masters := 0
		for _, n := range nodes {
			if r, err := role(n); err == nil && r == "master" {
				leader = n
				masters++
			}
		}
		if masters != 1 {
			return fmt.Errorf("%d nodes report role:master", masters)
		}
		return nil
	})
	return leader
}

// digest returns the node's DEBUG DIGEST on a READONLY connection: its
// local state, without the read barrier.
func digest(n *node) (string, error) {
	c := redis.NewClient(&redis.Options{Addr: n.addr(), MaxRetries: -1, PoolSize: 1,
		OnConnect: func(ctx2 context.Context, cn *redis.Conn) error { return cn.ReadOnly(ctx2).Err() }})
	defer c.Close()
	return c.Do(ctx, "DEBUG", "DIGEST").Text()
}

// waitSameDigest waits until every node's local digest is equal.
func waitSameDigest(t *testing.T, nodes []*node) {
	t.Helper()
	waitFor(t, 10*time.Second, func() error {
		var first string
		for i, n := range nodes {
			d, err := digest(n)
			if err != nil {
				return err
			}
			if i == 0 {
				first = d
			} else if d != first {
				return fmt.Errorf("digests differ: %s vs %s", first, d)
			}
		}
		return nil
	})
}

func writeKeys(t *testing.T, n *node, prefix string, count int) {
	t.Helper()
	c := n.Client(noRetries)
	for i := range count {
		if err := c.Set(ctx, prefix+strconv.Itoa(i), i, 0).Err(); err != nil {
			t.Fatalf("SET through leader %s: %v", n.addr(), err)
		}
	}
}

func others(nodes []*node, skip *node) []*node {
	var out []*node
	for _, n := range nodes {
		if n != skip {
			out = append(out, n)
		}
	}
	return out
}

// TestThreeNodeFailover: three processes form a cluster, replicate, elect a
// new leader when the leader is killed, and converge after it restarts.
func TestThreeNodeFailover(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	writeKeys(t, leader, "a", 50)
	waitSameDigest(t, nodes)

	leader.Kill9()
	rest := others(nodes, leader)
	start := time.Now()
	next := waitForLeader(t, rest, 10*time.Second)
	t.Logf("new leader %s elected in %v", next.addr(), time.Since(start))
	waitFor(t, 10*time.Second, func() error { return next.Client(noRetries).Set(ctx, "after", "1", 0).Err() })
	writeKeys(t, next, "b", 50)

	leader.Restart()
	waitSameDigest(t, nodes)
}
