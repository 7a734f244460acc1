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
func startCluster(t *testing.T) []*node { return startClusterWith(t, nil) }

// startClusterWith is startCluster with adjust called on each node (with
// its index) before any starts, e.g. to set its environment.
func startClusterWith(t *testing.T, adjust func(i int, n *node)) []*node {
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
		if adjust != nil {
			adjust(i, n)
		}
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

// TestFollowersForward: any node accepts any command. Writes and reads sent
// to followers run on the leader and come back byte for byte, in order, in
// the client's RESP version; a blocked pop on one follower is served by a
// push through another.
func TestFollowersForward(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	f := others(nodes, leader)
	waitFor(t, 10*time.Second, func() error { return f[0].Client(noRetries).Set(ctx, "k", "v", 0).Err() })

	resp2 := f[1].Client(func(o *redis.Options) { o.Protocol = 2 })
	if v, err := resp2.Get(ctx, "k").Result(); err != nil || v != "v" {
		t.Fatalf("GET through the other follower (RESP2) = %q, %v", v, err)
	}
	pipe := f[0].Client().Pipeline()
	incrs := make([]*redis.IntCmd, 50)
	for i := range incrs {
		incrs[i] = pipe.Incr(ctx, "n")
	}
	hget := pipe.HGetAll(ctx, "missing") // a RESP3 map relayed as is
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	for i, c := range incrs {
		if c.Val() != int64(i+1) {
			t.Fatalf("INCR %d through a follower = %d: replies out of order", i, c.Val())
		}
	}
	if len(hget.Val()) != 0 {
		t.Fatalf("HGETALL missing = %v", hget.Val())
	}

	got := make(chan []string, 1)
	go func() { v, _ := f[0].Client().BLPop(ctx, 5*time.Second, "q").Result(); got <- v }()
	waitFor(t, 5*time.Second, func() error {
		if n, _ := leader.Client().Do(ctx, "INFO", "clients").Text(); !containsLine(n, "blocked_clients:", 1) {
			return fmt.Errorf("the leader has no blocked client yet")
		}
		return nil
	})
	if err := f[1].Client().RPush(ctx, "q", "job").Err(); err != nil {
		t.Fatal(err)
	}
	if v := <-got; len(v) != 2 || v[1] != "job" {
		t.Fatalf("BLPOP through a follower = %q", v)
	}
	waitSameDigest(t, nodes)
	waitFor(t, 10*time.Second, func() error { // followers record their client addresses
		r, err := leader.Client().Do(ctx, "ROLE").Slice()
		if err != nil || len(r) != 3 || len(r[2].([]any)) != 2 {
			return fmt.Errorf("ROLE on the leader = %v, %v; want two replicas", r, err)
		}
		return nil
	})
}

// TestJoinAddsAVoter: a fourth node started with --join pointing at a
// follower is added by the leader, catches up, and serves commands.
func TestJoinAddsAVoter(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	writeKeys(t, leader, "before", 100)
	follower := others(nodes, leader)[0]
	ports := freePorts(t, 2)
	n4 := &node{t: t, port: ports[0], raftPort: ports[1], dir: t.TempDir()}
	n4.args = []string{"--port", strconv.Itoa(n4.port), "--bind", "127.0.0.1", "--dir", n4.dir,
		"--node-id", "n4", "--raft-addr", "127.0.0.1:" + strconv.Itoa(n4.raftPort),
		"--join", follower.addr()}
	n4.launch()
	waitFor(t, 15*time.Second, func() error {
		members, err := leader.Client().Do(ctx, "RAFT", "MEMBERS").Slice()
		if err != nil || len(members) != 4 {
			return fmt.Errorf("members %v, %v", members, err)
		}
		return nil
	})
	waitFor(t, 10*time.Second, func() error { return n4.Client(noRetries).Set(ctx, "after", "x", 0).Err() })
	if v, err := n4.Client().Get(ctx, "before7").Result(); err != nil || v != "7" {
		t.Fatalf("GET before7 on the new node = %q, %v", v, err)
	}
	waitSameDigest(t, append(nodes, n4))
}

// TestJoinASingleNode: a node started alone (no --peers) grows into a
// cluster when another starts with --join pointing at it: the single node
// recorded its client address, so the new member can forward writes to it
// and serve linearizable reads (before, the new node answered CLUSTERDOWN:
// no leader's client address was known).
func TestJoinASingleNode(t *testing.T) {
	n1 := startNode(t, "--node-id", "n1")
	if err := n1.Client(noRetries).Set(ctx, "before", "1", 0).Err(); err != nil {
		t.Fatal(err)
	}
	ports := freePorts(t, 2)
	n2 := &node{t: t, port: ports[0], raftPort: ports[1], dir: t.TempDir()}
	n2.args = []string{"--port", strconv.Itoa(n2.port), "--bind", "127.0.0.1", "--dir", n2.dir,
		"--node-id", "n2", "--raft-addr", "127.0.0.1:" + strconv.Itoa(n2.raftPort), "--join", n1.addr()}
	n2.launch()
	c2 := n2.Client(noRetries)
	waitFor(t, 15*time.Second, func() error { return c2.Set(ctx, "through-n2", "2", 0).Err() })
	for _, n := range []*node{n1, n2} {
		if v, err := n.Client(noRetries).Get(ctx, "through-n2").Result(); err != nil || v != "2" {
			t.Fatalf("GET on %s: %q %v", nodeID(n), v, err)
		}
		if v, err := n.Client(noRetries).Get(ctx, "before").Result(); err != nil || v != "1" {
			t.Fatalf("GET before on %s: %q %v", nodeID(n), v, err)
		}
	}
}
