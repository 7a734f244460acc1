package main

import (
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

// replDBs is how many databases the replication workload uses.
const replDBs = 4

// TestReplicaRedisServerMatches starts a real redis-server 7.0.15 as a
// replica of a geetcache node (--replicaof), with data already there (the
// RDB payload) and a random workload after it (the stream): every data
// type, expiries (relative, absolute, short ones that expire and are
// deleted), SPOP, blocking pops (served at once and after blocking),
// scripts, MULTI, SWAPDB, MOVE and FLUSHDB across databases. Once both
// have settled, every database holds the same keys with the same values
// and the same absolute expiries on both.
func TestReplicaRedisServerMatches(t *testing.T) {
	n := startNode(t)
	rnd := newRand(t)
	w := newReplWorkload(t, n, rnd)
	w.run(300) // in the payload
	replica := startRedisServer(t, "--replicaof", "127.0.0.1", strconv.Itoa(n.port))
	rc := redis.NewClient(&redis.Options{Addr: replica})
	defer rc.Close()
	waitFor(t, 20*time.Second, func() error {
		info, err := rc.Info(ctx, "replication").Result()
		if err != nil || !strings.Contains(info, "master_link_status:up") {
			return fmt.Errorf("replica not synchronized: %v %q", err, info)
		}
		return nil
	})
	w.blockedPops()
	w.run(1500) // in the stream
	w.wg.Wait()
	var last string
	waitFor(t, 30*time.Second, func() error {
		for db := range replDBs {
			a, b := replState(t, n.Client(func(o *redis.Options) { o.DB = db })), replState(t, redis.NewClient(&redis.Options{Addr: replica, DB: db}))
			if d := diffStates(a, b); d != "" {
				last = fmt.Sprintf("db %d: %s", db, d)
				return fmt.Errorf("%s", last)
			}
		}
		return nil
	})
	keys := 0
	for db := range replDBs {
		keys += len(replState(t, n.Client(func(o *redis.Options) { o.DB = db })))
	}
	t.Logf("%d commands, %d keys equal on geetcache and the redis-server replica", w.ops, keys)
}

// replWorkload runs random commands on a node, one client per database.
type replWorkload struct {
	t   testing.TB
	n   *node
	rnd *rand.Rand
	cl  []*redis.Client
	ops int
	wg  sync.WaitGroup
}

func newReplWorkload(t testing.TB, n *node, rnd *rand.Rand) *replWorkload {
	w := &replWorkload{t: t, n: n, rnd: rnd}
	for db := range replDBs {
		w.cl = append(w.cl, n.Client(func(o *redis.Options) { o.DB = db }))
	}
	return w
}

// blockedPops starts pops that block on keys nothing holds yet; run's
// pushes serve them later.
func (w *replWorkload) blockedPops() {
	for _, cmd := range [][]any{{"blpop", "wait:l", "20"}, {"bzpopmin", "wait:z", "20"}, {"blmpop", "20", "1", "wait:l2", "right", "count", "3"}} {
		w.wg.Add(1)
		c := w.n.Client()
		go func() {
			defer w.wg.Done()
			c.Do(ctx, cmd...)
		}()
	}
}

func (w *replWorkload) run(count int) {
	for range count {
		db := w.rnd.IntN(replDBs)
		cmd := w.command()
		if len(cmd) == 1 && cmd[0] == "multi" {
			w.multi(w.cl[db])
			continue
		}
		w.cl[db].Do(ctx, cmd...) // errors (WRONGTYPE...) are part of the workload
		w.ops++
	}
	for _, k := range []string{"wait:l", "wait:z", "wait:l2"} { // serve the blocked pops
		w.cl[0].Do(ctx, "del", k)
	}
	w.cl[0].Do(ctx, "rpush", "wait:l", "a", "b")
	w.cl[0].Do(ctx, "zadd", "wait:z", "1", "a", "2", "b")
	w.cl[0].Do(ctx, "rpush", "wait:l2", "a", "b", "c", "d")
}

func (w *replWorkload) multi(cl *redis.Client) {
	p := cl.TxPipeline()
	for range 1 + w.rnd.IntN(4) {
		if cmd := w.command(); cmd[0] != "multi" && cmd[0] != "blpop" && cmd[0] != "bzpopmax" {
			p.Do(ctx, cmd...)
		}
	}
	p.Exec(ctx)
	w.ops++
}

func (w *replWorkload) key(prefix string) string { return prefix + strconv.Itoa(w.rnd.IntN(6)) }

func (w *replWorkload) num(n int) string { return strconv.Itoa(w.rnd.IntN(n)) }

// command returns one random command.
func (w *replWorkload) command() []any {
	s, l, h, z, st, x := w.key("s:"), w.key("l:"), w.key("h:"), w.key("z:"), w.key("set:"), w.key("x:")
	soon := strconv.FormatInt(time.Now().UnixMilli()+int64(50+w.rnd.IntN(300)), 10)
	all := [][]any{
		{"set", s, w.num(100)}, {"set", s, "v" + w.num(9), "ex", "100"}, {"set", s, "v", "px", strconv.Itoa(30 + w.rnd.IntN(300))},
		{"set", s, "v", "pxat", soon}, {"setex", s, "100", "x"}, {"psetex", s, "200", "y"}, {"incr", s}, {"incrbyfloat", s, "1.25"},
		{"append", s, "z"}, {"getdel", s}, {"getex", s, "ex", "50"}, {"getex", s, "persist"}, {"getset", s, "g"},
		{"expire", w.key("s:"), "100"}, {"pexpire", w.key("l:"), "150"}, {"persist", s}, {"expireat", s, "1"},
		{"hset", h, "f" + w.num(5), w.num(100)}, {"hincrbyfloat", h, "f" + w.num(5), "0.5"}, {"hdel", h, "f" + w.num(5)},
		{"rpush", l, "a", "b", "c"}, {"lpush", l, w.num(10)}, {"lpop", l, "2"}, {"rpop", l}, {"lmpop", "2", l, w.key("l:"), "left", "count", "2"},
		{"blpop", l, "0.01"}, {"blmove", l, w.key("l:"), "left", "right", "0.01"}, {"brpoplpush", l, w.key("l:"), "0.01"},
		{"sadd", st, w.num(20), w.num(20), "m" + w.num(5)}, {"srem", st, w.num(20)}, {"spop", st}, {"spop", st, "3"},
		{"sinterstore", w.key("set:"), st, w.key("set:")}, {"smove", st, w.key("set:"), w.num(20)},
		{"zadd", z, w.num(10), "m" + w.num(8)}, {"zincrby", z, "1.5", "m" + w.num(8)}, {"zpopmin", z}, {"bzpopmax", z, "0.01"},
		{"zmpop", "1", z, "min", "count", "2"}, {"zunionstore", w.key("z:"), "2", z, w.key("z:")},
		{"xadd", x, "*", "f", w.num(100)}, {"xtrim", x, "maxlen", "3"}, {"pfadd", "hll:" + w.num(3), w.num(1000), w.num(1000)},
		{"del", w.key("s:")}, {"rename", st, w.key("set:")}, {"copy", l, w.key("l:"), "replace"}, {"move", s, w.num(replDBs)},
		{"eval", "redis.call('set', KEYS[1], ARGV[1]) redis.call('pexpire', KEYS[1], 100000) return redis.call('spop', KEYS[2])", "2", s, st, "e"},
		{"sort", l, "alpha", "store", w.key("l:")}, {"multi"},
	}
	switch w.rnd.IntN(200) {
	case 0:
		return []any{"swapdb", w.num(replDBs), w.num(replDBs)}
	case 1:
		return []any{"flushdb"}
	}
	return all[w.rnd.IntN(len(all))]
}

// replState reads every key of cl's database: its type, its content in
// a canonical order and its absolute expiry.
func replState(t testing.TB, cl *redis.Client) map[string]string {
	t.Helper()
	keys, err := cl.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatalf("KEYS: %v", err)
	}
	out := map[string]string{}
	for _, k := range keys {
		typ := cl.Type(ctx, k).Val()
		var v any
		switch typ {
		case "string":
			v = cl.Get(ctx, k).Val()
		case "list":
			v = cl.LRange(ctx, k, 0, -1).Val()
		case "hash":
			m := cl.HGetAll(ctx, k).Val()
			v = sortedPairs(m)
		case "set":
			m := cl.SMembers(ctx, k).Val()
			slices.Sort(m)
			v = m
		case "zset":
			v = cl.ZRangeWithScores(ctx, k, 0, -1).Val()
		case "stream":
			v = cl.XRange(ctx, k, "-", "+").Val()
		case "none":
			continue // expired meanwhile
		}
		out[k] = fmt.Sprintf("%s %v pxat=%d", typ, v, cl.PExpireTime(ctx, k).Val())
	}
	return out
}

func sortedPairs(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	slices.Sort(out)
	return out
}

// diffStates describes the first difference between two databases' states.
func diffStates(a, b map[string]string) string {
	for k, v := range a {
		if b[k] != v {
			return fmt.Sprintf("key %q: geetcache %q, replica %q", k, v, b[k])
		}
	}
	for k, v := range b {
		if _, ok := a[k]; !ok {
			return fmt.Sprintf("key %q only on the replica: %q", k, v)
		}
	}
	return ""
}
