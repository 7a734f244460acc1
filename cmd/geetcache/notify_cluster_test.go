package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// eventSub records every keyspace and keyevent message one node delivers,
// as "channel message", until a message on eventsEnd.
type eventSub struct {
	name string
	mu   sync.Mutex
	got  []string
	done chan struct{}
}

const eventsEnd = "events-end"

func subscribeEvents(t *testing.T, n *node) *eventSub {
	t.Helper()
	s := &eventSub{name: n.addr(), done: make(chan struct{})}
	side := newDiffSide(s.name, n.Dial())
	side.send([][]string{{"PSUBSCRIBE", "__key*__:*"}, {"SUBSCRIBE", eventsEnd}})
	reps, err := side.replies(2)
	if err != nil || !bytes.Contains(reps[1].raw, []byte("subscribe")) {
		t.Fatalf("%s: PSUBSCRIBE/SUBSCRIBE failed (%v)", s.name, err)
	}
	side.conn.SetDeadline(time.Time{})
	go func() {
		defer close(s.done)
		for {
			rep, err := side.r.read()
			if err != nil || len(rep.elems) < 3 {
				return
			}
			channel := bulkText(rep.elems[len(rep.elems)-2])
			if channel == eventsEnd {
				return
			}
			s.mu.Lock()
			s.got = append(s.got, channel+" "+bulkText(rep.elems[len(rep.elems)-1]))
			s.mu.Unlock()
		}
	}()
	return s
}

// TestKeyspaceEventsCluster: with notify-keyspace-events set through a
// follower, a subscriber to every keyspace and keyevent channel on each
// of three nodes, and a seeded random write stream sent through all three
// nodes at once (strings, lists, sets, hashes, sorted sets, streams,
// renames, deletes, and TTLs of 30-300 ms that the leader's expiry
// entries end), every node delivers the same events in the same order,
// "expired" ones included.
func TestKeyspaceEventsCluster(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 15*time.Second)
	follower := others(nodes, leader)[0]
	if err := follower.Client(noRetries).ConfigSet(ctx, "notify-keyspace-events", "KEA").Err(); err != nil {
		t.Fatalf("CONFIG SET through a follower: %v", err)
	}
	for _, n := range nodes {
		waitFor(t, 10*time.Second, func() error {
			got, err := n.Client(noRetries).ConfigGet(ctx, "notify-keyspace-events").Result()
			if err != nil || got["notify-keyspace-events"] != "AKE" {
				return fmt.Errorf("%s: notify-keyspace-events is %v (%v)", n.addr(), got, err)
			}
			return nil
		})
	}
	var subs []*eventSub
	for _, n := range nodes {
		subs = append(subs, subscribeEvents(t, n))
	}
	seed := newRand(t).Uint64()
	var wg sync.WaitGroup
	for i, n := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, uint64(i)))
			c := n.Client(noRetries)
			for range 200 {
				if err := c.Do(ctx, eventCommand(r)...).Err(); err != nil && !isUserError(err) {
					t.Errorf("through %s: %v", n.addr(), err)
					return
				}
			}
		}()
	}
	wg.Wait()
	waitNoTTL(t, leader)
	if err := leader.Client(noRetries).Publish(ctx, eventsEnd, "end").Err(); err != nil {
		t.Fatal(err)
	}
	for _, s := range subs {
		select {
		case <-s.done:
		case <-time.After(20 * time.Second):
			t.Fatalf("subscriber on %s: no end marker", s.name)
		}
	}
	first := subs[0].got
	expired := 0
	for _, e := range first {
		if strings.HasPrefix(e, "__keyevent@0__:expired ") {
			expired++
		}
	}
	for _, s := range subs[1:] {
		if !slices.Equal(s.got, first) {
			i := 0
			for i < min(len(first), len(s.got)) && first[i] == s.got[i] {
				i++
			}
			t.Fatalf("%s delivered %d events, %s %d; they differ from event %d", subs[0].name, len(first), s.name, len(s.got), i)
		}
	}
	if expired == 0 || len(first) < 300 {
		t.Fatalf("%d events, %d expired: the stream did not exercise expiry", len(first), expired)
	}
	t.Logf("3 nodes delivered the same %d events (%d of them expired), seed %d", len(first), expired, seed)
}

// eventCommand is one random write over a small pool of keys.
func eventCommand(r *rand.Rand) []any {
	k := "k" + strconv.Itoa(r.IntN(12))
	k2 := "k" + strconv.Itoa(r.IntN(12))
	v := strconv.Itoa(r.IntN(5))
	ttl := strconv.Itoa(30 + r.IntN(270))
	cmds := [][]any{
		{"SET", k, v}, {"SET", k, v, "PX", ttl}, {"INCR", k}, {"APPEND", k, v}, {"DEL", k, k2},
		{"PEXPIRE", k, ttl}, {"PERSIST", k}, {"RENAME", k, k2}, {"COPY", k, k2, "REPLACE"},
		{"LPUSH", k, v, v}, {"RPOP", k}, {"LMOVE", k, k2, "LEFT", "RIGHT"}, {"LTRIM", k, "0", "1"},
		{"SADD", k, v}, {"SREM", k, v}, {"SMOVE", k, k2, v}, {"SUNIONSTORE", k, k2, k},
		{"HSET", k, v, v}, {"HDEL", k, v}, {"HINCRBY", k, v, "1"},
		{"ZADD", k, v, v}, {"ZINCRBY", k, "1", v}, {"ZPOPMIN", k}, {"ZREM", k, v},
		{"XADD", k, "MAXLEN", "2", "*", "f", v}, {"SETBIT", k, v, "1"}, {"PFADD", k, v},
		{"GETDEL", k}, {"GETEX", k, "PX", ttl},
	}
	return cmds[r.IntN(len(cmds))]
}

// isUserError reports a Redis error reply (WRONGTYPE, ERR ...), which the
// random stream makes on purpose.
func isUserError(err error) bool {
	var re redis.Error
	return err != nil && (strings.HasPrefix(err.Error(), "WRONGTYPE") || strings.HasPrefix(err.Error(), "ERR") || asRedisError(err, &re))
}

func asRedisError(err error, re *redis.Error) bool {
	e, ok := err.(redis.Error)
	if ok {
		*re = e
	}
	return ok && !strings.HasPrefix(e.Error(), "CLUSTERDOWN") && !strings.HasPrefix(e.Error(), "TRYAGAIN")
}

// waitNoTTL waits until no key holds a TTL any more: the leader's expiry
// entries removed every volatile key.
func waitNoTTL(t *testing.T, n *node) {
	t.Helper()
	waitFor(t, 20*time.Second, func() error {
		info, err := n.Client(noRetries).Info(ctx, "keyspace").Result()
		if err != nil {
			return err
		}
		if strings.Contains(info, "expires=") && !strings.Contains(info, "expires=0,") {
			return fmt.Errorf("keys with a TTL remain: %q", info)
		}
		return nil
	})
}

// TestFollowerConfigGetSeesOwnSet: CONFIG GET on a follower answers a
// replicated setting the same connection just set through it (the SET went
// to the leader; the GET first applies the leader's read index), as
// Redis's unit/pubsub "test CONFIG GET/SET of event flags" expects through
// a follower.
func TestFollowerConfigGetSeesOwnSet(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 15*time.Second)
	c := others(nodes, leader)[0].Client(noRetries)
	for i, v := range []string{"gKE", "$lshzxeKE", "AK", "AE", "Ex", "KEA", "nK", "tE", "gKE", "AKEm"} {
		if err := c.ConfigSet(ctx, "notify-keyspace-events", v).Err(); err != nil {
			t.Fatal(err)
		}
		want, _ := map[string]string{"AK": "AK", "KEA": "AKE", "Ex": "xE", "tE": "tE"}[v]
		if want == "" {
			want = v
		}
		got, err := c.ConfigGet(ctx, "notify-keyspace-events").Result()
		if err != nil || got["notify-keyspace-events"] != want {
			t.Fatalf("round %d: CONFIG GET after CONFIG SET %q answered %v (%v), want %q", i, v, got, err, want)
		}
	}
}
