package main

import (
	"bytes"
	"fmt"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// subscriber is a raw connection subscribed to one channel that records
// the payloads it receives, in order, until its connection ends.
type subscriber struct {
	name string
	conn net.Conn
	mu   sync.Mutex
	got  []string
}

// subscribe connects to n, subscribes to channel and waits for the
// confirmation, then records messages in the background.
func subscribe(t *testing.T, n *node, channel string) *subscriber {
	t.Helper()
	s := &subscriber{name: n.addr(), conn: n.Dial()}
	side := newDiffSide(s.name, s.conn)
	side.send([][]string{{"SUBSCRIBE", channel}})
	reps, err := side.replies(1)
	if err != nil || !bytes.Contains(reps[0].raw, []byte("subscribe")) {
		t.Fatalf("%s: SUBSCRIBE failed (%v)", s.name, err)
	}
	s.conn.SetDeadline(time.Time{})
	go func() {
		for {
			rep, err := side.r.read()
			if err != nil {
				return
			}
			if len(rep.elems) == 3 && bulkText(rep.elems[0]) == "message" {
				s.mu.Lock()
				s.got = append(s.got, bulkText(rep.elems[2]))
				s.mu.Unlock()
			}
		}
	}()
	return s
}

// bulkText is a bulk string reply's payload.
func bulkText(r respReply) string {
	_, rest, _ := bytes.Cut(r.raw, []byte("\r\n"))
	return string(bytes.TrimSuffix(rest, []byte("\r\n")))
}

func (s *subscriber) messages() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.got)
}

// waitForMessage waits until every subscriber received msg.
func waitForMessage(t *testing.T, subs []*subscriber, msg string) {
	t.Helper()
	waitFor(t, 30*time.Second, func() error {
		for _, s := range subs {
			if !slices.Contains(s.messages(), msg) {
				return fmt.Errorf("subscriber on %s has %d messages, not yet %q", s.name, len(s.messages()), msg)
			}
		}
		return nil
	})
}

// publishers publishes perNode messages "<tag>-<node>-<j>" through each
// node at once, one after the other per node, and returns the
// acknowledged ones. Each reply must be the answering node's receivers,
// want (when want >= 0). After kill's message count is acknowledged
// (kill > 0), midway is called once; it returns the node it killed, whose
// publisher then stops.
func publishers(t *testing.T, nodes []*node, tag string, perNode, want int, kill int, midway func() *node) map[string]bool {
	t.Helper()
	var mu sync.Mutex
	acked := map[string]bool{}
	var count atomic.Int64
	var once sync.Once
	var killed atomic.Pointer[node]
	var wg sync.WaitGroup
	for i, n := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := n.Client(noRetries)
			for j := range perNode {
				msg := fmt.Sprintf("%s-%d-%d", tag, i, j)
				got, err := c.Publish(ctx, "orders", msg).Result()
				if err != nil && killed.Load() == n {
					return
				}
				if err != nil {
					time.Sleep(20 * time.Millisecond) // an election: the outcome is unknown
					continue
				}
				if want >= 0 && got != int64(want) {
					t.Errorf("PUBLISH through %s answered %d, want %d (its own subscribers)", n.addr(), got, want)
				}
				mu.Lock()
				acked[msg] = true
				mu.Unlock()
				if kill > 0 && count.Add(1) == int64(kill) {
					go once.Do(func() { killed.Store(midway()) })
				}
			}
		}()
	}
	wg.Wait()
	return acked
}

// TestPubSubClusterOrder: a subscriber on each of three nodes, a publisher
// on each: every subscriber receives every message, in the same order, and
// PUBLISH answers the answering node's own receivers. Then the leader is
// killed midway: the subscribers of the surviving nodes still receive the
// same sequence, holding every acknowledged publish, and the killed node's
// subscriber received a prefix of it.
func TestPubSubClusterOrder(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 15*time.Second)
	var subs []*subscriber
	for _, n := range nodes {
		subs = append(subs, subscribe(t, n, "orders"))
	}

	acked := publishers(t, nodes, "a", 60, 1, 0, nil)
	if len(acked) != 180 {
		t.Fatalf("%d of 180 publishes acknowledged without a fault", len(acked))
	}
	publishUntilAcked(t, leader, "a-end")
	waitForMessage(t, subs, "a-end")
	first := subs[0].messages()
	for _, s := range subs[1:] {
		if got := s.messages(); !slices.Equal(got, first) {
			t.Fatalf("subscriber on %s received %d messages, on %s %d, not the same sequence", s.name, len(got), subs[0].name, len(first))
		}
	}
	if len(first) != 181 {
		t.Fatalf("each subscriber received %d messages, want 181", len(first))
	}
	checkContains(t, first, acked)

	rest := others(nodes, leader)
	acked = publishers(t, nodes, "b", 80, -1, 60, func() *node {
		t.Logf("killing the leader %s", leader.addr())
		leader.Kill9()
		return leader
	})
	next := waitForLeader(t, rest, 15*time.Second)
	publishUntilAcked(t, next, "b-end")
	var alive, dead []*subscriber
	for i, n := range nodes {
		if n == leader {
			dead = append(dead, subs[i])
		} else {
			alive = append(alive, subs[i])
		}
	}
	waitForMessage(t, alive, "b-end")
	seq := alive[0].messages()
	if got := alive[1].messages(); !slices.Equal(got, seq) {
		t.Fatalf("the surviving subscribers received different sequences (%d and %d messages)", len(seq), len(got))
	}
	checkContains(t, seq, acked)
	if d := dead[0].messages(); len(d) > len(seq) || !slices.Equal(d, seq[:len(d)]) {
		t.Fatalf("the killed node's subscriber received %d messages, not a prefix of the survivors' %d", len(d), len(seq))
	}
	t.Logf("leader kill: %d publishes acknowledged, survivors received %d messages each (same sequence), the killed node's subscriber %d",
		len(acked), len(seq)-len(first), len(dead[0].messages())-len(first))
}

// checkContains fails unless seq holds every acknowledged message once.
func checkContains(t *testing.T, seq []string, acked map[string]bool) {
	t.Helper()
	seen := map[string]int{}
	for _, m := range seq {
		seen[m]++
	}
	var missing []string
	for m := range acked {
		if seen[m] != 1 {
			missing = append(missing, fmt.Sprintf("%s (%d times)", m, seen[m]))
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		t.Fatalf("acknowledged messages not received exactly once: %s", strings.Join(missing, ", "))
	}
}

// publishUntilAcked publishes msg through n until it is acknowledged.
func publishUntilAcked(t *testing.T, n *node, msg string) {
	t.Helper()
	c := n.Client(noRetries)
	waitFor(t, 20*time.Second, func() error { return c.Publish(ctx, "orders", msg).Err() })
}

// TestPubSubRedisPy: redis-py's PubSub (subscribe, psubscribe,
// get_message, ping, unsubscribe, run_in_thread) with its subscriber on a
// follower and the publisher on the leader of a three-node cluster, and
// both on a single node (testdata/redispy_pubsub.py).
func TestPubSubRedisPy(t *testing.T) {
	py := pythonWithRedis(t)
	single := startNode(t)
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 15*time.Second)
	follower := others(nodes, leader)[0]
	cases := []struct{ name, sub, pub string }{
		{"single", single.addr(), single.addr()},
		{"follower subscribes, leader publishes", follower.addr(), leader.addr()},
		{"leader subscribes, follower publishes", leader.addr(), follower.addr()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sh, sp := splitAddr(t, tc.sub)
			ph, pp := splitAddr(t, tc.pub)
			runClient(t, nil, py, filepath.Join("testdata", "redispy_pubsub.py"), sh, sp, ph, pp, "py")
		})
	}
}
