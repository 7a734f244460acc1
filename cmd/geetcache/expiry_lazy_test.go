package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestLazyExpiryOnRead is Redis's "Redis should lazy expire keys" (unit/expire),
// in database 9 and pipelined: with active expiry off, DBSIZE still counts
// three expired keys; an MGET of them replies nils and deletes them through
// the log, so the DBSIZE pipelined right after it says 0, and a subscriber
// hears three "expired" events in database 9, as from Redis.
func TestLazyExpiryOnRead(t *testing.T) {
	n := startNode(t)
	checkLazyExpiry(t, n, n)
}

// TestLazyExpiryThroughFollower is TestLazyExpiryOnRead through a follower
// of a three-node cluster (active expiry off on the leader, which alone
// expires): the follower asks the leader to delete the keys its MGET met
// (RAFT EXPIRE) and applies the deletion before its DBSIZE. Then every
// node's dirty counter is the same (rdb_changes_since_last_save: the same
// entries applied; expiry adds nothing).
func TestLazyExpiryThroughFollower(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 15*time.Second)
	follower := nodes[0]
	if follower == leader {
		follower = nodes[1]
	}
	checkLazyExpiry(t, leader, follower)
	var clients []*redis.Client
	for _, n := range nodes {
		clients = append(clients, n.Client())
	}
	waitFor(t, 10*time.Second, func() error {
		var counts []string
		for _, c := range clients {
			counts = append(counts, dirtyLine.FindString(c.Info(ctx, "persistence").Val()))
		}
		if counts[0] == "" || counts[0] != counts[1] || counts[1] != counts[2] {
			return fmt.Errorf("dirty counters %q", counts)
		}
		return nil
	})
}

// checkLazyExpiry is Redis's "Redis should lazy expire keys" (unit/expire),
// in database 9 and pipelined, through node via, with active expiry off on
// leader: DBSIZE still counts three expired keys; an MGET of them replies
// nils and deletes them through the log, so the DBSIZE pipelined right
// after it says 0, and a subscriber hears three "expired" events in
// database 9, as from Redis.
func checkLazyExpiry(t *testing.T, leader, via *node) {
	t.Helper()
	c := via.Client(func(o *redis.Options) { o.DB = 9 })
	mustEqual(t, "CONFIG SET", c.ConfigSet(ctx, "notify-keyspace-events", "Ex").Val(), "OK")
	sub := c.PSubscribe(ctx, "__keyevent@9__:expired")
	t.Cleanup(func() { sub.Close() })
	if _, err := sub.Receive(ctx); err != nil {
		t.Fatal(err)
	}
	lc := leader.Client()
	mustEqual(t, "DEBUG SET-ACTIVE-EXPIRE 0", lc.Do(ctx, "DEBUG", "SET-ACTIVE-EXPIRE", "0").Err(), nil)
	set := time.Now()
	for _, k := range []string{"key1", "key2", "key3"} {
		mustEqual(t, "PSETEX", c.Set(ctx, k, "a", 100*time.Millisecond).Val(), "OK")
	}
	mustEqual(t, "DBSIZE before", c.DBSize(ctx).Val(), int64(3))
	waitFor(t, 5*time.Second, func() error { // the server's clock, not ours
		if now := c.Time(ctx).Val(); now.Sub(set) < 150*time.Millisecond {
			return fmt.Errorf("server time %v, keys set at %v", now, set)
		}
		return nil
	})
	mustEqual(t, "DBSIZE of expired keys held", c.DBSize(ctx).Val(), int64(3))
	pipe := c.Pipeline()
	mget := pipe.MGet(ctx, "key1", "key2", "key3")
	size := pipe.DBSize(ctx)
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "MGET", fmt.Sprint(mget.Val()), "[<nil> <nil> <nil>]")
	mustEqual(t, "DBSIZE pipelined after MGET", size.Val(), int64(0))
	mustEqual(t, "DBSIZE after", c.DBSize(ctx).Val(), int64(0))
	got := map[string]bool{}
	for len(got) < 3 {
		msg, err := sub.ReceiveTimeout(ctx, 5*time.Second)
		if err != nil {
			t.Fatalf("expired events so far %v: %v", got, err)
		}
		got[msg.(*redis.Message).Payload] = true
	}
	mustEqual(t, "DEBUG SET-ACTIVE-EXPIRE 1", lc.Do(ctx, "DEBUG", "SET-ACTIVE-EXPIRE", "1").Err(), nil)
}
