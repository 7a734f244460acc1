package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestBlockedPopsMatchRedis blocks a client with the same command on the
// real binary and on redis-server, runs the same writes, and compares what
// the blocked client gets (or that it is still blocked after the writes):
// a source that becomes another type keeps the client blocked, a
// destination of another type answers WRONGTYPE once an element comes, a
// wrong-typed first key does not stop a later key from serving it, and a
// timeout of a fraction of a millisecond is not "forever".
func TestBlockedPopsMatchRedis(t *testing.T) {
	cases := []struct {
		name   string
		setup  [][]any
		block  []any
		writes [][]any
	}{
		{"brpoplpush wrong destination", [][]any{{"set", "target", "nolist"}},
			[]any{"brpoplpush", "blist", "target", "0"}, [][]any{{"rpush", "blist", "foo"}}},
		{"blmove wrong destination", [][]any{{"set", "target", "nolist"}},
			[]any{"blmove", "blist", "target", "left", "right", "0"}, [][]any{{"rpush", "blist", "a", "b", "c"}}},
		{"source becomes a string", nil,
			[]any{"brpoplpush", "blist", "target", "0"}, [][]any{{"set", "blist", "x"}}},
		{"first key becomes a string", nil,
			[]any{"blpop", "k1", "k2", "0"}, [][]any{{"set", "k1", "x"}, {"rpush", "k2", "v"}}},
		{"zset key becomes a string", nil,
			[]any{"bzpopmin", "z1", "z2", "0"}, [][]any{{"set", "z1", "x"}, {"zadd", "z2", "1", "m"}}},
		{"blmpop first key a hash", nil,
			[]any{"blmpop", "0", "2", "k1", "k2", "left"}, [][]any{{"hset", "k1", "f", "v"}, {"rpush", "k2", "v"}}},
		{"timeout 0.001", nil, []any{"blpop", "k1", "0.001"}, nil},
		{"timeout 0.0001", nil, []any{"blmove", "k1", "k2", "left", "left", "0.0001"}, nil},
	}
	geet := startNode(t).Client()
	ref := redis.NewClient(&redis.Options{Addr: startRedisServer(t)})
	t.Cleanup(func() { ref.Close() })
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := blockedOutcome(t, ref, tc.setup, tc.block, tc.writes)
			got := blockedOutcome(t, geet, tc.setup, tc.block, tc.writes)
			if got != want {
				t.Fatalf("blocked client got %s, redis-server's got %s", got, want)
			}
		})
	}
}

// blockedOutcome runs setup, sends block on a second connection, runs the
// writes once it blocked (or timed out), and returns what the blocked
// connection got within a second, the source lists' contents after.
func blockedOutcome(t *testing.T, c *redis.Client, setup [][]any, block []any, writes [][]any) string {
	ctx := context.Background()
	if err := c.FlushAll(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range setup {
		if err := c.Do(ctx, cmd...).Err(); err != nil {
			t.Fatalf("%v: %v", cmd, err)
		}
	}
	opts := *c.Options()
	opts.ReadTimeout = -1
	bc := redis.NewClient(&opts)
	defer bc.Close()
	done := make(chan string, 1)
	go func() {
		v, err := bc.Do(ctx, block...).Result()
		done <- fmt.Sprintf("%v %v", v, err)
	}()
	var r string
	select {
	case r = <-done: // answered at once (or a short timeout ran out)
	case <-time.After(3 * time.Second):
		t.Fatalf("%v still blocked after 3 s", block) // for the short timeouts
	case <-waitBlockedChan(c):
	}
	for _, cmd := range writes {
		if err := c.Do(ctx, cmd...).Err(); err != nil {
			t.Fatalf("%v: %v", cmd, err)
		}
	}
	if r == "" {
		select {
		case r = <-done:
		case <-time.After(time.Second):
			r = "still blocked"
			bc.Close()
		}
	}
	lists := c.Do(ctx, "lrange", "blist", "0", "-1").String()
	return r + "; " + lists
}

// waitBlockedChan is closed once INFO clients counts a blocked client.
func waitBlockedChan(c *redis.Client) <-chan struct{} {
	ch := make(chan struct{})
	go func() {
		defer close(ch)
		for range 300 {
			info, _ := c.Info(context.Background(), "clients").Result()
			if containsLine(info, "blocked_clients:", 1) {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	return ch
}

// TestClientUnblockMatchesRedis: CLIENT UNBLOCK on the real binary and on
// redis-server, for a client blocked in BLPOP (TIMEOUT, ERROR) and in
// XREAD, twice, for a client not blocked, and with bad arguments.
func TestClientUnblockMatchesRedis(t *testing.T) {
	geet := startNode(t).Client()
	ref := redis.NewClient(&redis.Options{Addr: startRedisServer(t)})
	t.Cleanup(func() { ref.Close() })
	for _, block := range [][]any{{"blpop", "k", "0"}, {"bzpopmax", "z", "0"}, {"xread", "block", "0", "streams", "s", "$"}} {
		for _, how := range [][]any{{}, {"timeout"}, {"ERROR"}} {
			t.Run(fmt.Sprint(block[0], how), func(t *testing.T) {
				want := unblockOutcome(t, ref, block, how)
				if got := unblockOutcome(t, geet, block, how); got != want {
					t.Fatalf("got %s, redis-server's %s", got, want)
				}
			})
		}
	}
	ctx := context.Background()
	for _, args := range [][]any{{"client", "unblock", "x"}, {"client", "unblock", "1", "foo"},
		{"client", "unblock", "1", "timeout", "x"}, {"client", "unblock", "999999"}} {
		g, gerr := geet.Do(ctx, args...).Result()
		r, rerr := ref.Do(ctx, args...).Result()
		if fmt.Sprint(g, gerr) != fmt.Sprint(r, rerr) {
			t.Errorf("%v: got %v %v, redis-server's %v %v", args, g, gerr, r, rerr)
		}
	}
}

// unblockOutcome blocks a connection with block, unblocks it with CLIENT
// UNBLOCK id how..., and returns both replies of the unblocking
// connection (the second for a client no longer blocked) and the blocked
// one's reply.
func unblockOutcome(t *testing.T, c *redis.Client, block, how []any) string {
	ctx := context.Background()
	opts := *c.Options()
	opts.ReadTimeout = -1
	bc := redis.NewClient(&opts)
	defer bc.Close()
	id, err := bc.ClientID(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan string, 1)
	go func() {
		v, err := bc.Do(ctx, block...).Result()
		done <- fmt.Sprintf("%v %v", v, err)
	}()
	<-waitBlockedChan(c)
	args := append([]any{"client", "unblock", id}, how...)
	first, err1 := c.Do(ctx, args...).Result()
	var r string
	select {
	case r = <-done:
	case <-time.After(3 * time.Second):
		t.Fatalf("%v not unblocked", block)
	}
	second, err2 := c.Do(ctx, args...).Result()
	return fmt.Sprint(first, err1, "; ", second, err2, "; ", r)
}
