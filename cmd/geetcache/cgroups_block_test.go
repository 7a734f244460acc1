package main

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestXReadGroupBlock covers XREADGROUP ... BLOCK against the real binary:
// the timeout, and the errors Redis gives a blocked consumer whose group
// or stream goes away (the retry through the log answers them).
func TestXReadGroupBlock(t *testing.T) {
	n := startNode(t)
	ctx := context.Background()
	admin := n.Client()
	blocked := func(t *testing.T) <-chan error {
		t.Helper()
		if err := admin.XGroupCreateMkStream(ctx, "s", "g", "$").Err(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			_, err := n.Client(noRetries).XReadGroup(ctx, &redis.XReadGroupArgs{Group: "g", Consumer: "c",
				Streams: []string{"s", ">"}, Block: 0}).Result()
			done <- err
		}()
		waitBlocked(t, admin, 1)
		return done
	}
	wantErr := func(t *testing.T, done <-chan error, want string) {
		t.Helper()
		select {
		case err := <-done:
			if err == nil || err.Error() != want {
				t.Fatalf("XREADGROUP: %v, want %q", err, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("XREADGROUP still blocked")
		}
		waitBlocked(t, admin, 0)
	}

	t.Run("timeout", func(t *testing.T) {
		admin.XGroupCreateMkStream(ctx, "t", "g", "$")
		start := time.Now()
		_, err := admin.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "g", Consumer: "c",
			Streams: []string{"t", ">"}, Block: 200 * time.Millisecond}).Result()
		if !errors.Is(err, redis.Nil) || time.Since(start) < 200*time.Millisecond {
			t.Fatalf("err %v after %v, want redis.Nil after 200ms", err, time.Since(start))
		}
	})
	t.Run("group destroyed", func(t *testing.T) {
		done := blocked(t)
		admin.XGroupDestroy(ctx, "s", "g")
		wantErr(t, done, "NOGROUP the consumer group this client was blocked on no longer exists")
	})
	t.Run("key deleted", func(t *testing.T) {
		done := blocked(t)
		admin.Del(ctx, "s")
		wantErr(t, done, "UNBLOCKED the stream key no longer exists")
	})
	t.Run("key overwritten", func(t *testing.T) {
		done := blocked(t)
		admin.Set(ctx, "s", "v", 0)
		wantErr(t, done, "UNBLOCKED the stream key no longer exists")
		admin.Del(ctx, "s")
	})
	t.Run("flushall", func(t *testing.T) {
		done := blocked(t)
		admin.FlushAll(ctx)
		wantErr(t, done, "UNBLOCKED the stream key no longer exists")
	})
}

// TestBlockedRetryDoesNotWakeItself: a blocked command whose retry finds
// nothing must not count as a change to its own key. Before, BLPOP on a
// key that became a string retried through the log without end (its
// WRONGTYPE retry signalled the key, which woke it again): hundreds of
// log entries a second while it stayed blocked.
func TestBlockedRetryDoesNotWakeItself(t *testing.T) {
	n := startNode(t)
	ctx := context.Background()
	admin := n.Client()
	go n.Client(noRetries).BLPop(ctx, 0, "q")
	waitBlocked(t, admin, 1)
	admin.Set(ctx, "q", "not a list", 0)
	before := appliedIndex(t, admin)
	time.Sleep(500 * time.Millisecond) // how far the log moves by itself while nothing is asked
	grew := appliedIndex(t, admin) - before
	t.Logf("the log grew by %d entries in 500ms", grew)
	if grew > 10 {
		t.Fatalf("the log grew by %d entries in 500ms while one client stayed blocked", grew)
	}
}

func appliedIndex(t *testing.T, c *redis.Client) int64 {
	t.Helper()
	info, err := c.Info(context.Background(), "raft").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, "raft_applied_index:"); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	t.Fatalf("no raft_applied_index in %q", info)
	return 0
}

// TestReadOnlyScriptCannotCreateGroup: XGROUP is a container whose
// subcommands write; a read-only script calling XGROUP CREATE ran on the
// read path and created the stream on the serving node only (before the
// bridge judged writes by the call's routing flags).
func TestReadOnlyScriptCannotCreateGroup(t *testing.T) {
	n := startNode(t)
	c := n.Client()
	ctx := context.Background()
	err := c.Do(ctx, "EVAL_RO", "return redis.call('XGROUP','CREATE','s','g','$','MKSTREAM')", "0").Err()
	if err == nil || !strings.HasPrefix(err.Error(), "ERR Write commands are not allowed from read-only scripts") {
		t.Fatalf("EVAL_RO XGROUP CREATE: %v", err)
	}
	if n, _ := c.Exists(ctx, "s").Result(); n != 0 {
		t.Fatal("a read-only script created the stream")
	}
	if err := c.Do(ctx, "EVAL", "return redis.call('XGROUP','CREATE','s','g','$','MKSTREAM')", "0").Err(); err != nil {
		t.Fatalf("EVAL XGROUP CREATE: %v", err)
	}
}

// TestGroupCommandsLeaveWatchAlone: as in Redis 7.0, consumer-group
// commands (XREADGROUP, XACK, XGROUP CREATECONSUMER...) do not count as
// changes of the stream for WATCH; creating the stream (MKSTREAM) does.
func TestGroupCommandsLeaveWatchAlone(t *testing.T) {
	n := startNode(t)
	ctx := context.Background()
	c := n.Client()
	exec := func(t *testing.T, change func(o *redis.Client)) error {
		t.Helper()
		return c.Watch(ctx, func(tx *redis.Tx) error {
			change(n.Client())
			_, err := tx.TxPipelined(ctx, func(p redis.Pipeliner) error { return p.Set(ctx, "x", "1", 0).Err() })
			return err
		}, "s")
	}
	if err := exec(t, func(o *redis.Client) { o.XGroupCreateMkStream(ctx, "s", "g", "$") }); !errors.Is(err, redis.TxFailedErr) {
		t.Fatalf("EXEC after XGROUP CREATE ... MKSTREAM made the key: %v, want it to fail", err)
	}
	for name, change := range map[string]func(o *redis.Client){
		"createconsumer": func(o *redis.Client) { o.XGroupCreateConsumer(ctx, "s", "g", "c") },
		"xreadgroup": func(o *redis.Client) {
			o.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "g", Consumer: "c", Streams: []string{"s", "0"}})
		},
		"setid": func(o *redis.Client) { o.XGroupSetID(ctx, "s", "g", "0") },
	} {
		if err := exec(t, change); err != nil {
			t.Fatalf("EXEC after %s: %v, want it to run", name, err)
		}
	}
}

// TestWokenConsumerServedBeforeWriteReply: as in Redis, by the time XADD
// answers, the consumer it woke in XREADGROUP ... BLOCK has the entry: a
// command the producer sends next sees it delivered.
func TestWokenConsumerServedBeforeWriteReply(t *testing.T) {
	n := startNode(t)
	ctx := context.Background()
	producer := n.Client()
	producer.XGroupCreateMkStream(ctx, "s", "g", "$")
	late := 0
	for i := range 20 {
		got := make(chan error, 1)
		go func() {
			_, err := n.Client(noRetries).XReadGroup(ctx, &redis.XReadGroupArgs{Group: "g", Consumer: "bob",
				Streams: []string{"s", ">"}, Block: 0}).Result()
			got <- err
		}()
		waitBlocked(t, producer, 1)
		producer.XAdd(ctx, &redis.XAddArgs{Stream: "s", Values: []string{"i", strconv.Itoa(i)}})
		if p, err := producer.XPending(ctx, "s", "g").Result(); err != nil || p.Count != int64(i+1) {
			late++
		}
		if err := <-got; err != nil {
			t.Fatal(err)
		}
		waitBlocked(t, producer, 0)
	}
	if late > 0 {
		t.Fatalf("%d of 20 times, XPENDING right after XADD did not show the entry delivered to the blocked consumer", late)
	}
}

// TestXReadGroupBlockedStreamExpires: as in Redis, a consumer blocked on a
// stream that expires is unblocked with -UNBLOCKED (the leader's expiry
// entry deletes the key).
func TestXReadGroupBlockedStreamExpires(t *testing.T) {
	n := startNode(t)
	ctx := context.Background()
	c := n.Client()
	c.XGroupCreateMkStream(ctx, "s", "g", "$")
	done := make(chan error, 1)
	go func() {
		_, err := n.Client(noRetries).XReadGroup(ctx, &redis.XReadGroupArgs{Group: "g", Consumer: "c",
			Streams: []string{"s", ">"}, Block: 0}).Result()
		done <- err
	}()
	waitBlocked(t, c, 1)
	c.PExpire(ctx, "s", 50*time.Millisecond)
	select {
	case err := <-done:
		if err == nil || err.Error() != "UNBLOCKED the stream key no longer exists" {
			t.Fatalf("XREADGROUP: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("XREADGROUP still blocked after its stream expired")
	}
}
