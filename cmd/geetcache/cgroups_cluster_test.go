package main

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestConsumerGroupFailover: a producer adds entries through every node,
// one consumer per node reads them with XREADGROUP ... BLOCK and XACKs
// them, and the leader is killed (then restarted) twice in the middle. Every
// acknowledged XADD is then in the stream; every entry was delivered,
// to a consumer or, for deliveries whose reply a failover swallowed, found
// pending and claimed by XAUTOCLAIM; nothing stays pending; and the three
// nodes hold the same groups, pending lists and delivery counts (DEBUG
// DIGEST covers them).
func TestConsumerGroupFailover(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	if err := leader.Client().XGroupCreateMkStream(ctx, "jobs", "workers", "$").Err(); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var added, seen sync.Map // ID -> true
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); produce(nodes, stop, &added) }()
	for i, n := range nodes {
		wg.Add(1)
		go func() { defer wg.Done(); consume(n, fmt.Sprintf("c%d", i), stop, &seen) }()
	}
	for range 2 { // the leader killed twice
		time.Sleep(700 * time.Millisecond)
		leader.Kill9()
		next := waitForLeader(t, others(nodes, leader), 10*time.Second)
		time.Sleep(500 * time.Millisecond)
		leader.Restart()
		leader = next
	}
	time.Sleep(500 * time.Millisecond)
	close(stop)
	wg.Wait()

	c := nodes[0].Client()
	drain(t, c, &seen)
	claimLeftovers(t, c, &seen)
	want, missing := 0, 0
	added.Range(func(id, _ any) bool {
		want++
		if _, ok := seen.Load(id); !ok {
			missing++
		}
		return true
	})
	if want < 20 || missing > 0 {
		t.Fatalf("%d entries acknowledged by XADD, %d of them never delivered", want, missing)
	}
	if n, err := c.XLen(ctx, "jobs").Result(); err != nil || n < int64(want) {
		t.Fatalf("XLEN %d (%v), want at least the %d acknowledged entries", n, err, want)
	}
	if p, err := c.XPending(ctx, "jobs", "workers").Result(); err != nil || p.Count != 0 {
		t.Fatalf("XPENDING: %+v %v, want nothing pending", p, err)
	}
	checkIDsAscend(t, c)
	t.Logf("%d entries added and delivered across two failovers", want)
	waitSameDigest(t, nodes)
}

// produce adds an entry through each node in turn until stop, recording the
// IDs XADD acknowledged.
func produce(nodes []*node, stop <-chan struct{}, added *sync.Map) {
	clients := make([]*redis.Client, len(nodes))
	for i, n := range nodes {
		clients[i] = n.Client(noRetries)
	}
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		id, err := clients[i%len(nodes)].XAdd(ctx, &redis.XAddArgs{Stream: "jobs", Values: []string{"n", fmt.Sprint(i)}}).Result()
		if err == nil {
			added.Store(id, true)
		} else {
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// consume reads new entries as consumer name through n and acknowledges
// each, until stop.
func consume(n *node, name string, stop <-chan struct{}, seen *sync.Map) {
	c := n.Client(noRetries)
	for {
		select {
		case <-stop:
			return
		default:
		}
		res, err := c.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "workers", Consumer: name,
			Streams: []string{"jobs", ">"}, Count: 10, Block: 100 * time.Millisecond}).Result()
		if err != nil {
			if !errors.Is(err, redis.Nil) {
				time.Sleep(10 * time.Millisecond)
			}
			continue
		}
		for _, m := range res[0].Messages {
			seen.Store(m.ID, true)
			c.XAck(ctx, "jobs", "workers", m.ID)
		}
	}
}

// drain reads and acknowledges what no consumer has read yet.
func drain(t *testing.T, c *redis.Client, seen *sync.Map) {
	t.Helper()
	for {
		res, err := c.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "workers", Consumer: "sweeper",
			Streams: []string{"jobs", ">"}, Count: 100, Block: -1}).Result()
		if errors.Is(err, redis.Nil) {
			return
		}
		if err != nil {
			t.Fatalf("XREADGROUP: %v", err)
		}
		for _, m := range res[0].Messages {
			seen.Store(m.ID, true)
			if err := c.XAck(ctx, "jobs", "workers", m.ID).Err(); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// claimLeftovers claims what is still pending (deliveries whose reply was
// lost, acks that failed), records and acknowledges it.
func claimLeftovers(t *testing.T, c *redis.Client, seen *sync.Map) {
	t.Helper()
	start := "0-0"
	for {
		msgs, next, err := c.XAutoClaim(ctx, &redis.XAutoClaimArgs{Stream: "jobs", Group: "workers",
			Consumer: "sweeper", Start: start, Count: 100}).Result()
		if err != nil && !strings.Contains(err.Error(), "nil") {
			t.Fatalf("XAUTOCLAIM: %v", err)
		}
		for _, m := range msgs {
			seen.Store(m.ID, true)
			if err := c.XAck(ctx, "jobs", "workers", m.ID).Err(); err != nil {
				t.Fatal(err)
			}
		}
		if next == "0-0" {
			return
		}
		start = next
	}
}

// checkIDsAscend checks that the stream's IDs strictly ascend: no ID was
// given twice or went back across the leader changes.
func checkIDsAscend(t *testing.T, c *redis.Client) {
	t.Helper()
	msgs, err := c.XRange(ctx, "jobs", "-", "+").Result()
	if err != nil {
		t.Fatal(err)
	}
	var prevMs, prevSeq uint64
	for i, m := range msgs {
		var ms, seq uint64
		if _, err := fmt.Sscanf(m.ID, "%d-%d", &ms, &seq); err != nil {
			t.Fatalf("ID %q: %v", m.ID, err)
		}
		if i > 0 && (ms < prevMs || ms == prevMs && seq <= prevSeq) {
			t.Fatalf("ID %s after %d-%d", m.ID, prevMs, prevSeq)
		}
		prevMs, prevSeq = ms, seq
	}
}

// TestBlockedThroughFollowerCounted: a follower forwards a blocking
// XREADGROUP to the leader, which holds it; the follower's INFO counts the
// client as blocked meanwhile (Redis's tests wait for that count), and the
// entry added through the other follower reaches it.
func TestBlockedThroughFollowerCounted(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	rest := others(nodes, leader)
	via, producer := rest[0].Client(), rest[1].Client()
	if err := producer.XGroupCreateMkStream(ctx, "s", "g", "$").Err(); err != nil {
		t.Fatal(err)
	}
	got := make(chan []redis.XStream, 1)
	go func() {
		res, _ := rest[0].Client(noRetries).XReadGroup(ctx, &redis.XReadGroupArgs{Group: "g", Consumer: "c",
			Streams: []string{"s", ">"}, Block: 0}).Result()
		got <- res
	}()
	waitBlocked(t, via, 1)
	if err := producer.XAdd(ctx, &redis.XAddArgs{Stream: "s", ID: "5-0", Values: []string{"f", "v"}}).Err(); err != nil {
		t.Fatal(err)
	}
	select {
	case res := <-got:
		if len(res) != 1 || len(res[0].Messages) != 1 || res[0].Messages[0].ID != "5-0" {
			t.Fatalf("XREADGROUP through a follower: %+v", res)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the blocked XREADGROUP was not served")
	}
	waitBlocked(t, via, 0)
}
