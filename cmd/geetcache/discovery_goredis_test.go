package main

// Clients that find the leader on their own: go-redis v9's Sentinel
// client (NewFailoverClient) and cluster client (NewClusterClient) pointed
// at the three nodes of a cluster write and read, the leader is killed,
// and the same client goes on with the new leader within failoverBudget.
// The Python and Node.js clients do the same in discovery_scripts_test.go.

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// failoverBudget is how soon after the leader is killed a client must be
// served again (issue 14).
const failoverBudget = 3 * time.Second

// failoverOps is how many write+read pairs each phase runs.
const failoverOps = 200

// failoverRun counts one client's run: pairs served before the kill and
// after it, how long after the kill the first pair succeeded, and the
// failed attempts in between.
type failoverRun struct {
	before, after, failed int
	recovered             time.Duration
}

func (r failoverRun) String() string {
	return fmt.Sprintf("ops before=%d after=%d failed-during-election=%d recovered-in=%v", r.before, r.after, r.failed, r.recovered.Round(time.Millisecond))
}

// pair writes key=value and reads it back.
type pairFunc func(key, value string) error

// driveFailover runs failoverOps pairs through op, kills the leader of
// nodes, retries op until it succeeds again (recording how long that
// took), then runs failoverOps more pairs, every one of which must
// succeed; finally every acknowledged write is read back through check.
func driveFailover(t *testing.T, nodes []*node, prefix string, op pairFunc, check func(key string) (string, error)) failoverRun {
	t.Helper()
	var r failoverRun
	acked := map[string]string{}
	do := func(i int) error {
		k, v := prefix+strconv.Itoa(i), "v"+strconv.Itoa(i)
		if err := op(k, v); err != nil {
			return err
		}
		acked[k] = v
		return nil
	}
	i := 0
	for ; i < failoverOps; i++ {
		if err := do(i); err != nil {
			t.Fatalf("before the failover, pair %d: %v", i, err)
		}
		r.before++
	}
	leader := waitForLeader(t, nodes, 10*time.Second)
	leader.Kill9()
	killed := time.Now()
	for {
		err := do(i)
		i++
		if err == nil {
			r.recovered = time.Since(killed)
			r.after++
			break
		}
		r.failed++
		t.Logf("%v after the kill: %v", time.Since(killed).Round(time.Millisecond), err)
		if time.Since(killed) > 4*failoverBudget {
			t.Fatalf("no pair succeeded %v after the leader was killed: %v", time.Since(killed), err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	// After the first success the client must stay served. A pair may
	// still fail if leadership moves once more (a loaded machine can make
	// the new leader miss its quorum's heartbeats and step down: seen once,
	// an UNCERTAIN reply): it is retried under a new key, within the budget,
	// and an unacknowledged pair is never checked.
	again := time.Now()
	for end := i + failoverOps - 1; i < end; i++ {
		if err := do(i); err != nil {
			r.failed++
			t.Logf("after the failover, pair %d: %v", i, err)
			if time.Since(again) > failoverBudget {
				t.Fatalf("after the failover, pair %d still failing %v after the first failure: %v", i, time.Since(again), err)
			}
			end++
			time.Sleep(10 * time.Millisecond)
			continue
		}
		again = time.Now()
		r.after++
	}
	for k, v := range acked {
		if got, err := check(k); err != nil || got != v {
			t.Fatalf("acknowledged %s=%s reads back %q, %v", k, v, got, err)
		}
	}
	if r.recovered > failoverBudget {
		t.Errorf("the client took %v to be served again after the leader was killed (budget %v)", r.recovered, failoverBudget)
	}
	return r
}

// waitForAddrs waits until the leader of nodes has recorded every
// member's client address (what a client discovering the cluster is told
// about), and returns the leader.
func waitForAddrs(t *testing.T, nodes []*node) *node {
	t.Helper()
	leader := waitForLeader(t, nodes, 10*time.Second)
	waitFor(t, 10*time.Second, func() error {
		info, err := leader.Client(noRetries).Info(ctx, "raft").Result()
		if err != nil {
			return err
		}
		if n := strings.Count(info, "client_addr=127.0.0.1:"); n != len(nodes) {
			return fmt.Errorf("%d of %d client addresses recorded", n, len(nodes))
		}
		return nil
	})
	return leader
}

// clientAddrs lists the nodes' client addresses.
func clientAddrs(nodes []*node) []string {
	var out []string
	for _, n := range nodes {
		out = append(out, n.addr())
	}
	return out
}

// goRedisPair is a SET then GET through c.
func goRedisPair(c redis.Cmdable) pairFunc {
	return func(k, v string) error {
		if err := c.Set(ctx, k, v, 0).Err(); err != nil {
			return err
		}
		got, err := c.Get(ctx, k).Result()
		if err == nil && got != v {
			err = fmt.Errorf("GET %s = %q, want %q", k, got, v)
		}
		return err
	}
}

func TestGoRedisFailoverClient(t *testing.T) {
	nodes := startCluster(t)
	waitForAddrs(t, nodes)
	// Every node is a sentinel, the leader too, and go-redis keeps asking
	// the sentinel it picked (often the leader) while it can dial it:
	// with its default 5 dial attempts per connection it tried the dead
	// leader for 3.4 s before asking the other sentinels (2 runs of 5), and
	// with a DialTimeout (500 ms) shorter than those attempts it gave up
	// inside them, 6.4-7.2 s. One attempt lets it move on at once.
	c := redis.NewFailoverClient(&redis.FailoverOptions{MasterName: "geetcache", SentinelAddrs: clientAddrs(nodes),
		ReadTimeout: 3 * time.Second, MaxRetries: 0, DialerRetries: 1})
	defer c.Close()
	r := driveFailover(t, nodes, "fo:", goRedisPair(c), func(k string) (string, error) { return c.Get(ctx, k).Result() })
	role, err := c.Do(ctx, "ROLE").Slice()
	if err != nil || len(role) == 0 || role[0] != "master" {
		t.Errorf("after the failover the client talks to a node whose ROLE is %v, %v; want the new leader", role, err)
	}
	t.Logf("go-redis NewFailoverClient: %v", r)
}

func TestGoRedisClusterClient(t *testing.T) {
	nodes := startCluster(t)
	waitForAddrs(t, nodes)
	// go-redis reloads its slot map after MOVED or ASK (geetcache sends
	// neither) and every ClusterStateReloadInterval (60 s by default): a
	// short interval is what lets it notice a dead master
	// (docs/operations.md).
	c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: clientAddrs(nodes),
		DialTimeout: 500 * time.Millisecond, ReadTimeout: 3 * time.Second, ClusterStateReloadInterval: time.Second})
	defer c.Close()
	r := driveFailover(t, nodes, "{cl}:", goRedisPair(c), func(k string) (string, error) { return c.Get(ctx, k).Result() })
	m, err := c.MasterForKey(ctx, "{cl}:")
	if err != nil {
		t.Fatal(err)
	}
	leader := waitForLeader(t, nodes, 10*time.Second)
	if m.Options().Addr != leader.addr() {
		t.Errorf("after the failover the client sends the slot to %s, the leader is %s", m.Options().Addr, leader.addr())
	}
	t.Logf("go-redis NewClusterClient: %v", r)
}

// TestSwitchMasterPublished: a follower's subscribers of +switch-master
// hear "<name> <old-ip> <old-port> <new-ip> <new-port>" when the leader is
// killed and another takes over, and CLUSTER SLOTS and SENTINEL name the
// new leader.
func TestSwitchMasterPublished(t *testing.T) {
	nodes := startClusterWith(t, func(_ int, n *node) { n.args = append(n.args, "--master-name", "cache1") })
	old := waitForAddrs(t, nodes)
	var follower *node
	for _, n := range nodes {
		if n != old {
			follower = n
		}
	}
	sub := follower.Client().Subscribe(ctx, "+switch-master")
	defer sub.Close()
	if _, err := sub.Receive(ctx); err != nil {
		t.Fatal(err)
	}
	old.Kill9()
	killed := time.Now()
	msg, err := sub.ReceiveTimeout(ctx, 2*failoverBudget)
	if err != nil {
		t.Fatalf("no +switch-master message %v after the leader was killed: %v", time.Since(killed), err)
	}
	heard := time.Since(killed)
	var alive []*node
	for _, n := range nodes {
		if n != old {
			alive = append(alive, n)
		}
	}
	now := waitForLeader(t, alive, 10*time.Second)
	oh, op := splitAddr(t, old.addr())
	nh, np := splitAddr(t, now.addr())
	want := fmt.Sprintf("cache1 %s %s %s %s", oh, op, nh, np)
	if m, ok := msg.(*redis.Message); !ok || m.Channel != "+switch-master" || m.Payload != want {
		t.Fatalf("got %#v, want +switch-master %q", msg, want)
	}
	for _, n := range alive {
		addr, err := n.Client().Do(ctx, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "cache1").StringSlice()
		if err != nil || fmt.Sprint(addr) != fmt.Sprint([]string{nh, np}) {
			t.Errorf("SENTINEL GET-MASTER-ADDR-BY-NAME cache1 on %s = %v, %v; want %s", n.addr(), addr, err, now.addr())
		}
		// the leader leaves out the follower it no longer hears from; the
		// other follower cannot tell that it is gone
		slots, err := n.Client().ClusterSlots(ctx).Result()
		if err != nil || len(slots) != 1 || slots[0].Nodes[0].Addr != now.addr() || (n == now && len(slots[0].Nodes) != 2) {
			t.Errorf("CLUSTER SLOTS on %s = %+v, %v; want the new leader %s (and on it, one replica)", n.addr(), slots, err, now.addr())
		}
	}
	t.Logf("+switch-master %q heard %v after the kill", msg.(*redis.Message).Payload, heard.Round(time.Millisecond))
}
