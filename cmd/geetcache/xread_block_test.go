package main

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// xreadAsync runs XREAD ... BLOCK 0 STREAMS key $ on c in the background.
func xreadAsync(c *redis.Client, key, id string) <-chan []redis.XStream {
	out := make(chan []redis.XStream, 1)
	go func() {
		res, _ := c.XRead(context.Background(), &redis.XReadArgs{Streams: []string{key, id}, Block: 0}).Result()
		out <- res
	}()
	return out
}

func wantEntry(t *testing.T, got <-chan []redis.XStream, id string) {
	t.Helper()
	select {
	case res := <-got:
		if len(res) != 1 || len(res[0].Messages) != 1 || res[0].Messages[0].ID != id {
			t.Fatalf("XREAD = %+v, want the one entry %s", res, id)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("XREAD still blocked, want %s", id)
	}
}

// TestXReadBlock covers XREAD BLOCK against the real binary: "$" means the
// entries added after the call, every blocked reader of a key is served
// by one XADD, a timeout answers nil, and an entry that is deleted before
// the reader looks does not wake it with an empty reply.
func TestXReadBlock(t *testing.T) {
	n := startNode(t)
	ctx := context.Background()
	admin := n.Client()
	admin.XAdd(ctx, &redis.XAddArgs{Stream: "s", ID: "1-1", Values: []string{"old", "x"}})
	var readers []<-chan []redis.XStream
	for range 3 {
		readers = append(readers, xreadAsync(n.Client(noRetries), "s", "$"))
	}
	waitBlocked(t, admin, 3)
	admin.XAdd(ctx, &redis.XAddArgs{Stream: "s", ID: "2-1", Values: []string{"new", "y"}})
	for _, r := range readers {
		wantEntry(t, r, "2-1")
	}
	waitBlocked(t, admin, 0)

	start := time.Now()
	_, err := admin.XRead(ctx, &redis.XReadArgs{Streams: []string{"s", "$"}, Block: 200 * time.Millisecond}).Result()
	if !errors.Is(err, redis.Nil) || time.Since(start) < 200*time.Millisecond {
		t.Fatalf("XREAD BLOCK 200: %v after %v, want nil after 200ms", err, time.Since(start))
	}

	r := xreadAsync(n.Client(noRetries), "s", "$")
	waitBlocked(t, admin, 1)
	pipe := admin.TxPipeline()
	pipe.XAdd(ctx, &redis.XAddArgs{Stream: "s", ID: "3-1", Values: []string{"gone", "z"}})
	pipe.XDel(ctx, "s", "3-1")
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	admin.XAdd(ctx, &redis.XAddArgs{Stream: "s", ID: "4-1", Values: []string{"last", "w"}})
	wantEntry(t, r, "4-1")
}

// TestXReadBlockFollower: a reader blocked on a follower (a READONLY
// connection, which always reads there) is woken when the follower
// applies an XADD sent to another node, and "$" is resolved on the
// follower.
func TestXReadBlockFollower(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	var followers []*node
	for _, n := range nodes {
		if n != leader {
			followers = append(followers, n)
		}
	}
	ctx := context.Background()
	waitFor(t, 10*time.Second, func() error {
		return followers[1].Client(noRetries).XAdd(ctx, &redis.XAddArgs{Stream: "s", ID: "1-1", Values: []string{"a", "1"}}).Err()
	})
	readonly := func(o *redis.Options) {
		o.OnConnect = func(ctx2 context.Context, cn *redis.Conn) error { return cn.ReadOnly(ctx2).Err() }
	}
	waitFor(t, 10*time.Second, func() error { // the follower has the entry
		n, err := followers[0].Client(noRetries, readonly).XLen(ctx, "s").Result()
		if err == nil && n != 1 {
			err = errors.New("not applied yet")
		}
		return err
	})
	r := xreadAsync(followers[0].Client(noRetries, readonly), "s", "$")
	waitBlocked(t, followers[0].Client(), 1)
	if err := followers[1].Client(noRetries).XAdd(ctx, &redis.XAddArgs{Stream: "s", ID: "2-1", Values: []string{"b", "2"}}).Err(); err != nil {
		t.Fatal(err)
	}
	wantEntry(t, r, "2-1")
}

// TestXReadBlockOtherType: a blocked XREAD on two keys stays blocked when
// the first becomes a string, and is served by an XADD to the second, as
// in Redis 7.0 (only the first run answers WRONGTYPE).
func TestXReadBlockOtherType(t *testing.T) {
	n := startNode(t)
	ctx := context.Background()
	admin := n.Client()
	out := make(chan []redis.XStream, 1)
	go func() {
		res, _ := n.Client(noRetries).XRead(ctx, &redis.XReadArgs{Streams: []string{"s1", "s2", "$", "$"}, Block: 0}).Result()
		out <- res
	}()
	waitBlocked(t, admin, 1)
	admin.Set(ctx, "s1", "x", 0)
	admin.XAdd(ctx, &redis.XAddArgs{Stream: "s2", ID: "1-1", Values: []string{"f", "v"}})
	select {
	case res := <-out:
		if len(res) != 1 || res[0].Stream != "s2" || len(res[0].Messages) != 1 || res[0].Messages[0].ID != "1-1" {
			t.Fatalf("XREAD = %+v, want s2's entry 1-1", res)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("XREAD still blocked, want s2's entry 1-1")
	}
	if err := admin.XRead(ctx, &redis.XReadArgs{Streams: []string{"s1", "$"}, Block: 100 * time.Millisecond}).Err(); err == nil || err.Error() != "WRONGTYPE Operation against a key holding the wrong kind of value" {
		t.Fatalf("XREAD on a string: %v, want WRONGTYPE", err)
	}
}
