package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// dumpValuesPerKind is how many values of each kind the round trip makes:
// 1,000 (about 10 s here), or GEETCACHE_DUMP_VALUES (10,000 were run by
// hand for docs/compatibility.md).
func dumpValuesPerKind(t *testing.T) int {
	if s := os.Getenv("GEETCACHE_DUMP_VALUES"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("bad GEETCACHE_DUMP_VALUES %q", s)
		}
		return n
	}
	return 1000
}

// TestDumpRestoreRoundTripRedis: random values of every kind (seed
// printed) are built by the same commands on redis-server 7.0.15 and on
// geetcache; Redis's DUMP of each RESTOREs here (A), geetcache's DUMP
// RESTOREs in Redis (B), and Redis's DUMP restored here and dumped again
// RESTOREs in Redis (C); each copy reads back equal to its source. The
// DUMPs both servers made of the same value are compared byte for byte
// and the identical ones counted.
func TestDumpRestoreRoundTripRedis(t *testing.T) {
	redisAddr := startRedisServer(t)
	n := startNode(t)
	r := newRand(t)
	ctx := context.Background()
	rc := redis.NewClient(&redis.Options{Addr: redisAddr, MaxRetries: -1})
	gc := n.Client()
	t.Cleanup(func() { rc.Close() })
	per := dumpValuesPerKind(t)
	const batch = 500
	for _, kind := range dumpKinds {
		began := time.Now()
		var same, total int
		for start := 0; start < per; start += batch {
			keys := make([]string, 0, batch)
			var cmds [][]string
			for i := start; i < min(start+batch, per); i++ {
				key := fmt.Sprintf("%s:%d", kind, i)
				keys = append(keys, key)
				cmds = append(cmds, genDumpValue(r, kind, key)...)
			}
			pipeRun(t, rc, cmds)
			pipeRun(t, gc, cmds)
			s := roundTripBatch(t, ctx, rc, gc, keys)
			same += s
			total += len(keys)
		}
		t.Logf("%s: %d values round-tripped (A, B and C equal); %d of %d DUMPs byte-identical to Redis's (%v)", kind, total, same, total, time.Since(began).Round(time.Millisecond))
	}
}

// pipeRun sends cmds in one pipeline, failing on a connection error (a
// command's own error, such as XACK of nothing, is fine: both servers
// get the same commands).
func pipeRun(t *testing.T, c *redis.Client, cmds [][]string) []*redis.Cmd {
	t.Helper()
	pipe := c.Pipeline()
	out := make([]*redis.Cmd, len(cmds))
	for i, cmd := range cmds {
		out[i] = pipe.Do(context.Background(), anyArgs(cmd)...)
	}
	if _, err := pipe.Exec(context.Background()); err != nil && !isReplyErr(err) {
		t.Fatalf("pipeline: %v", err)
	}
	return out
}

func isReplyErr(err error) bool {
	_, ok := err.(redis.Error)
	return ok || err == redis.Nil
}

func anyArgs(cmd []string) []any {
	a := make([]any, len(cmd))
	for i, s := range cmd {
		a[i] = s
	}
	return a
}

// roundTripBatch checks A, B and C for keys and returns how many of
// geetcache's DUMPs equal Redis's.
func roundTripBatch(t *testing.T, ctx context.Context, rc, gc *redis.Client, keys []string) int {
	t.Helper()
	rd, gd := dumps(t, rc, keys), dumps(t, gc, keys)
	same := 0
	var toGeet, toRedis [][]string
	for i, k := range keys {
		if rd[i] == gd[i] {
			same++
		}
		toGeet = append(toGeet, []string{"RESTORE", "A:" + k, "0", rd[i]})
		toRedis = append(toRedis, []string{"RESTORE", "B:" + k, "0", gd[i]})
	}
	requireOK(t, "RESTORE into geetcache", keys, pipeRun(t, gc, toGeet))
	requireOK(t, "RESTORE into Redis", keys, pipeRun(t, rc, toRedis))
	ad := dumps(t, gc, prefixed("A:", keys))
	var back [][]string
	for i, k := range keys {
		back = append(back, []string{"RESTORE", "C:" + k, "0", ad[i]})
	}
	requireOK(t, "RESTORE of geetcache's re-DUMP into Redis", keys, pipeRun(t, rc, back))
	hll := strings.HasPrefix(keys[0], "hll:")
	want := contents(t, rc, keys, hll)
	compare(t, "A (Redis -> geetcache)", keys, want, contents(t, gc, prefixed("A:", keys), hll), rd)
	compare(t, "C (Redis -> geetcache -> Redis)", keys, want, contents(t, rc, prefixed("C:", keys), hll), rd)
	compare(t, "B (geetcache -> Redis)", keys, contents(t, gc, keys, hll), contents(t, rc, prefixed("B:", keys), hll), gd)
	return same
}

func prefixed(p string, keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = p + k
	}
	return out
}

func dumps(t *testing.T, c *redis.Client, keys []string) []string {
	t.Helper()
	var cmds [][]string
	for _, k := range keys {
		cmds = append(cmds, []string{"DUMP", k})
	}
	out := make([]string, len(keys))
	for i, r := range pipeRun(t, c, cmds) {
		s, err := r.Text()
		if err != nil {
			t.Fatalf("DUMP %s: %v", keys[i], err)
		}
		out[i] = s
	}
	return out
}

func requireOK(t *testing.T, what string, keys []string, res []*redis.Cmd) {
	t.Helper()
	for i, r := range res {
		if err := r.Err(); err != nil {
			t.Fatalf("%s of %s: %v", what, keys[i], err)
		}
	}
}

func compare(t *testing.T, what string, keys, want, got, payloads []string) {
	t.Helper()
	for i := range keys {
		if want[i] != got[i] {
			t.Fatalf("%s: %s differs\n got %.600s\nwant %.600s\npayload %q", what, keys[i], got[i], want[i], payloads[i])
		}
	}
}

// contents reads each key's type and whole value in a canonical form
// (members of sets and fields of hashes sorted; a stream's XINFO STREAM
// FULL; a string's bytes, or with hll its PFCOUNT: geetcache's GET of a
// HyperLogLog is its own blob, not Redis's).
func contents(t *testing.T, c *redis.Client, keys []string, hll bool) []string {
	t.Helper()
	res := pipeRun(t, c, eachKey(keys, "TYPE"))
	types := make([]string, len(keys))
	for i := range res {
		types[i] = fmt.Sprint(res[i].Val())
	}
	var cmds [][]string
	for i, k := range keys {
		switch types[i] {
		case "string":
			if hll {
				cmds = append(cmds, []string{"PFCOUNT", k})
				continue
			}
			cmds = append(cmds, []string{"GET", k})
		case "list":
			cmds = append(cmds, []string{"LRANGE", k, "0", "-1"})
		case "set":
			cmds = append(cmds, []string{"SMEMBERS", k})
		case "zset":
			cmds = append(cmds, []string{"ZRANGE", k, "0", "-1", "WITHSCORES"})
		case "hash":
			cmds = append(cmds, []string{"HGETALL", k})
		case "stream":
			cmds = append(cmds, []string{"XINFO", "STREAM", k, "FULL", "COUNT", "0"})
		default:
			t.Fatalf("%s: type %v", k, types[i])
		}
	}
	out := make([]string, len(keys))
	for i, r := range pipeRun(t, c, cmds) {
		out[i] = types[i] + " " + canonical(types[i], r.Val())
	}
	return out
}

func eachKey(keys []string, name string) [][]string {
	out := make([][]string, len(keys))
	for i, k := range keys {
		out[i] = []string{name, k}
	}
	return out
}

// canonical formats v, sorting what has no order (a set's members, a
// hash's field-value pairs).
func canonical(typ string, v any) string {
	switch typ {
	case "set":
		m := fmt.Sprint(v)
		if l, ok := v.([]any); ok {
			s := make([]string, len(l))
			for i, e := range l {
				s[i] = fmt.Sprint(e)
			}
			slices.Sort(s)
			m = strings.Join(s, "\x00")
		}
		return m
	case "hash":
		switch h := v.(type) {
		case map[any]any:
			var s []string
			for k, e := range h {
				s = append(s, fmt.Sprint(k)+"\x00"+fmt.Sprint(e))
			}
			slices.Sort(s)
			return strings.Join(s, "\x01")
		case []any:
			var s []string
			for i := 0; i+1 < len(h); i += 2 {
				s = append(s, fmt.Sprint(h[i])+"\x00"+fmt.Sprint(h[i+1]))
			}
			slices.Sort(s)
			return strings.Join(s, "\x01")
		}
	}
	return fmt.Sprintf("%q", fmt.Sprint(v))
}
