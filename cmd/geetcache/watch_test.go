package main

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestWatchAcrossNodes: go-redis's optimistic transactions (WATCH, GET,
// MULTI SET EXEC, retried on redis.TxFailedErr) from clients on all three
// nodes increment one counter; no increment is lost or doubled, and a
// watch taken on a follower sees a change made through the leader.
func TestWatchAcrossNodes(t *testing.T) {
	nodes, leader, follower := startClusterWithFollower(t)

	watcher := follower.Client(noRetries)
	err := watcher.Watch(ctx, func(tx *redis.Tx) error {
		if err := leader.Client(noRetries).Set(ctx, "w", "theirs", 0).Err(); err != nil {
			return err
		}
		_, err := tx.TxPipelined(ctx, func(p redis.Pipeliner) error { return p.Set(ctx, "w", "mine", 0).Err() })
		return err
	}, "w")
	if !errors.Is(err, redis.TxFailedErr) {
		t.Fatalf("a transaction watching a key changed through the leader: %v, want redis.TxFailedErr", err)
	}

	const perClient, clients = 25, 6
	var wg sync.WaitGroup
	var mu sync.Mutex
	retries := 0
	errs := make(chan error, clients)
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := nodes[i%3].Client(noRetries)
			for range perClient {
				n, err := incrOptimistic(c)
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				retries += n
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got, err := leader.Client(noRetries).Get(ctx, "counter").Int()
	if err != nil || got != perClient*clients {
		t.Fatalf("counter = %d, %v; want %d", got, err, perClient*clients)
	}
	t.Logf("%d optimistic increments from %d clients on 3 nodes, %d retries after a watched change", got, clients, retries)
	waitSameDigest(t, nodes)
}

// incrOptimistic increments "counter" with WATCH/GET/MULTI/SET/EXEC and
// returns how many times it had to retry.
func incrOptimistic(c *redis.Client) (int, error) {
	for retry := 0; retry < 1000; retry++ {
		err := c.Watch(ctx, func(tx *redis.Tx) error {
			n, err := tx.Get(ctx, "counter").Int()
			if err != nil && !errors.Is(err, redis.Nil) {
				return err
			}
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				return p.Set(ctx, "counter", strconv.Itoa(n+1), 0).Err()
			})
			return err
		}, "counter")
		if err == nil {
			return retry, nil
		}
		if !errors.Is(err, redis.TxFailedErr) {
			return retry, err
		}
	}
	return 1000, fmt.Errorf("no increment after 1000 tries")
}

// TestWatchOnFollowerAfterOwnWrite: a connection to a follower writes a key
// (sent to the leader), WATCHes it and runs MULTI SET EXEC; nothing else
// changes the key, so every EXEC must run, as on Redis (Redis's
// unit/type/set "SMOVE only notify dstset when the addition is
// successful", through a follower). Before the follower caught up on
// WATCH, its watch stamp could be older than the connection's own write,
// which then counted as a change after the watch.
func TestWatchOnFollowerAfterOwnWrite(t *testing.T) {
	_, _, follower := startClusterWithFollower(t)
	const rounds = 100
	failed := failedWatches(t, follower.Client(noRetries), "own", rounds,
		func(c *redis.Client, key string) error { return c.SAdd(ctx, key, "a").Err() },
		func(p redis.Pipeliner, key string) error { return p.SAdd(ctx, key, "c").Err() })
	if failed > 0 {
		t.Fatalf("%d of %d transactions watching only the connection's own earlier write failed", failed, rounds)
	}
}

// TestWatchOnFollowerStaleKey: through a follower, a key set to expire in
// 1 ms, then WATCHed once it has expired, then MULTI PING EXEC: EXEC must
// run, as on Redis (unit/multi "WATCH stale keys should not fail EXEC"),
// whether or not active expiry removed the key meanwhile. Before, the
// follower judged the key's existence by its last applied entry's time,
// the SET's, so it watched the key as existing, and its expiry counted as
// a change.
func TestWatchOnFollowerStaleKey(t *testing.T) {
	_, _, follower := startClusterWithFollower(t)
	const rounds = 30
	failed := failedWatches(t, follower.Client(noRetries), "stale", rounds,
		func(c *redis.Client, key string) error {
			err := c.Set(ctx, key, "foo", time.Millisecond).Err()
			time.Sleep(3 * time.Millisecond)
			return err
		},
		func(p redis.Pipeliner, _ string) error { return p.Ping(ctx).Err() })
	if failed > 0 {
		t.Fatalf("%d of %d transactions watching only an expired key failed", failed, rounds)
	}
}

// failedWatches runs rounds transactions on c, each on its own key (prefix
// and the round's number): before(key), then WATCH key, MULTI, queue(key),
// EXEC; it returns how many EXECs answered null (redis.TxFailedErr).
func failedWatches(t *testing.T, c *redis.Client, prefix string, rounds int,
	before func(c *redis.Client, key string) error, queue func(p redis.Pipeliner, key string) error) int {
	t.Helper()
	failed := 0
	for i := range rounds {
		key := prefix + strconv.Itoa(i)
		if err := before(c, key); err != nil {
			t.Fatal(err)
		}
		err := c.Watch(ctx, func(tx *redis.Tx) error {
			_, err := tx.TxPipelined(ctx, func(p redis.Pipeliner) error { return queue(p, key) })
			return err
		}, key)
		switch {
		case errors.Is(err, redis.TxFailedErr):
			failed++
		case err != nil:
			t.Fatal(err)
		}
	}
	return failed
}
