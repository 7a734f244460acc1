package main

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestTTLSurvivesRestart: a key set with PX keeps its absolute expiry
// across kill -9 and restart (the time the node was down counts), and
// expires afterwards.
func TestTTLSurvivesRestart(t *testing.T) {
	const ttl = 6 * time.Second
	n := startNode(t)
	c := n.Client()
	mustEqual(t, "SET PX", c.Set(ctx, "ttl:k", "v", ttl).Val(), "OK")
	mustEqual(t, "SET persistent", c.Set(ctx, "ttl:forever", "v", 0).Val(), "OK")
	before, answered := c.PTTL(ctx, "ttl:k").Val(), time.Now()
	n.Kill9()
	n.Restart()
	c = n.Client()
	asked := time.Now()
	after := c.PTTL(ctx, "ttl:k").Val()
	// At least asked-answered passed between the two PTTLs on the server;
	// 5 ms covers their rounding to milliseconds.
	limit := before - asked.Sub(answered) + 5*time.Millisecond
	t.Logf("PTTL %v before restart, %v after, %v apart", before, after, asked.Sub(answered))
	if after <= 0 || after > limit {
		t.Fatalf("PTTL after restart = %v, want in (0, %v]", after, limit)
	}
	mustEqual(t, "GET after restart", c.Get(ctx, "ttl:k").Val(), "v")
	waitFor(t, ttl+10*time.Second, func() error {
		if err := c.Get(ctx, "ttl:k").Err(); !errors.Is(err, redis.Nil) {
			return fmt.Errorf("GET ttl:k: %v, want nil", err)
		}
		return nil
	})
	mustEqual(t, "TTL of the expired key", c.TTL(ctx, "ttl:k").Val(), time.Duration(-2))
	mustEqual(t, "persistent key", c.Get(ctx, "ttl:forever").Val(), "v")
}

// TestActiveExpiry: keys that expire are removed by the server itself;
// DBSIZE, which touches no key, drops to the one key without a TTL.
func TestActiveExpiry(t *testing.T) {
	c := startNode(t).Client()
	pipe := c.Pipeline()
	for i := range 2000 {
		pipe.Set(ctx, fmt.Sprintf("ae:%d", i), "v", 100*time.Millisecond)
	}
	pipe.Set(ctx, "ae:keep", "v", 0)
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatalf("pipelined SET PX: %v", err)
	}
	waitFor(t, 15*time.Second, func() error {
		if n := c.DBSize(ctx).Val(); n != 1 {
			return fmt.Errorf("DBSIZE = %d, want 1", n)
		}
		return nil
	})
	mustEqual(t, "kept key", c.Get(ctx, "ae:keep").Val(), "v")
}
