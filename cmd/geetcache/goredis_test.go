package main

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestGoRedisSmoke drives the string and key families through go-redis v9
// with its default RESP3 handshake. Each case uses its own keys.
func TestGoRedisSmoke(t *testing.T) {
	c := startNode(t).Client()
	cases := []struct {
		name string
		run  func(t *testing.T, c *redis.Client)
	}{
		{"set and get", smokeSetGet},
		{"set NX and XX", smokeSetNXXX},
		{"set GET returns the old value", smokeSetGetOld},
		{"set EX PX KEEPTTL", smokeSetTTLOptions},
		{"set bad expire", smokeSetBadExpire},
		{"incr family", smokeIncr},
		{"incr on a non-integer", smokeIncrNotInteger},
		{"mset and mget", smokeMSetMGet},
		{"append strlen getrange setrange", smokeStringEdit},
		{"getex and getdel", smokeGetExGetDel},
		{"incrbyfloat", smokeIncrByFloat},
		{"type rename unlink", smokeRenameType},
		{"expire ttl persist", smokeExpire},
		{"del and exists", smokeDelExists},
		{"scan visits every key", smokeScan},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, c) })
	}
}

func smokeSetGet(t *testing.T, c *redis.Client) {
	mustEqual(t, "SET", c.Set(ctx, "sg:k", "hello", 0).Val(), "OK")
	mustEqual(t, "GET", c.Get(ctx, "sg:k").Val(), "hello")
	if err := c.Get(ctx, "sg:missing").Err(); !errors.Is(err, redis.Nil) {
		t.Fatalf("GET of a missing key: got %v, want redis.Nil", err)
	}
	bin := string([]byte{0, 1, '\r', '\n', 255})
	mustEqual(t, "SET binary", c.Set(ctx, "sg:bin", bin, 0).Val(), "OK")
	mustEqual(t, "GET binary", c.Get(ctx, "sg:bin").Val(), bin)
}

func smokeSetNXXX(t *testing.T, c *redis.Client) {
	mustEqual(t, "SETNX fresh", c.SetNX(ctx, "nx:k", "1", 0).Val(), true)
	mustEqual(t, "SETNX existing", c.SetNX(ctx, "nx:k", "2", 0).Val(), false)
	mustEqual(t, "SETXX missing", c.SetXX(ctx, "nx:missing", "1", 0).Val(), false)
	mustEqual(t, "SETXX existing", c.SetXX(ctx, "nx:k", "3", 0).Val(), true)
	mustEqual(t, "GET", c.Get(ctx, "nx:k").Val(), "3")
	mustEqual(t, "EXISTS missing", c.Exists(ctx, "nx:missing").Val(), int64(0))
}

func smokeSetGetOld(t *testing.T, c *redis.Client) {
	old, err := c.SetArgs(ctx, "sgo:k", "v1", redis.SetArgs{Get: true}).Result()
	if !errors.Is(err, redis.Nil) {
		t.Fatalf("SET GET on a missing key: got %q, %v; want redis.Nil", old, err)
	}
	mustEqual(t, "SET GET", c.SetArgs(ctx, "sgo:k", "v2", redis.SetArgs{Get: true}).Val(), "v1")
	mustEqual(t, "GET", c.Get(ctx, "sgo:k").Val(), "v2")
}

func smokeSetTTLOptions(t *testing.T, c *redis.Client) {
	c.Set(ctx, "ttl:ex", "v", 100*time.Second)
	mustBetween(t, "TTL after EX 100", c.TTL(ctx, "ttl:ex").Val(), 99*time.Second, 100*time.Second)
	c.Set(ctx, "ttl:px", "v", 50_000*time.Millisecond)
	mustBetween(t, "PTTL after PX 50000", c.PTTL(ctx, "ttl:px").Val(), 49*time.Second, 50*time.Second)
	mustEqual(t, "SET KEEPTTL", c.SetArgs(ctx, "ttl:px", "w", redis.SetArgs{KeepTTL: true}).Val(), "OK")
	mustBetween(t, "PTTL after KEEPTTL", c.PTTL(ctx, "ttl:px").Val(), 49*time.Second, 50*time.Second)
	c.Set(ctx, "ttl:px", "x", 0)
	mustEqual(t, "TTL after plain SET", c.TTL(ctx, "ttl:px").Val(), time.Duration(-1))
	at := time.Now().Add(time.Hour).Truncate(time.Second)
	c.SetArgs(ctx, "ttl:at", "v", redis.SetArgs{ExpireAt: at})
	mustBetween(t, "TTL after EXAT", c.TTL(ctx, "ttl:at").Val(), 59*time.Minute, time.Hour)
}

func smokeSetBadExpire(t *testing.T, c *redis.Client) {
	for _, args := range [][]any{{"EX", 0}, {"PX", -5}, {"EX", "x"}} {
		err := c.Do(ctx, append([]any{"SET", "bad:k", "v"}, args...)...).Err()
		want := "ERR invalid expire time in 'set' command"
		if args[1] == "x" {
			want = "ERR value is not an integer or out of range"
		}
		mustErr(t, fmt.Sprintf("SET %v", args), err, want)
	}
	mustErr(t, "SET NX XX", c.Do(ctx, "SET", "bad:k", "v", "NX", "XX").Err(), "ERR syntax error")
}

func smokeIncr(t *testing.T, c *redis.Client) {
	mustEqual(t, "INCR fresh", c.Incr(ctx, "inc:n").Val(), int64(1))
	mustEqual(t, "INCRBY 10", c.IncrBy(ctx, "inc:n", 10).Val(), int64(11))
	mustEqual(t, "DECR", c.Decr(ctx, "inc:n").Val(), int64(10))
	mustEqual(t, "DECRBY 20", c.DecrBy(ctx, "inc:n", 20).Val(), int64(-10))
	mustEqual(t, "GET", c.Get(ctx, "inc:n").Val(), "-10")
	c.Set(ctx, "inc:max", strconv.FormatInt(1<<63-1, 10), 0)
	mustErr(t, "INCR at max", c.Incr(ctx, "inc:max").Err(), "ERR increment or decrement would overflow")
}

func smokeIncrNotInteger(t *testing.T, c *redis.Client) {
	c.Set(ctx, "inc:s", "abc", 0)
	mustErr(t, "INCR", c.Incr(ctx, "inc:s").Err(), "ERR value is not an integer or out of range")
	mustEqual(t, "value unchanged", c.Get(ctx, "inc:s").Val(), "abc")
}

func smokeMSetMGet(t *testing.T, c *redis.Client) {
	mustEqual(t, "MSET", c.MSet(ctx, "mm:a", "1", "mm:b", "2", "mm:c", "3").Val(), "OK")
	got := c.MGet(ctx, "mm:a", "mm:missing", "mm:c", "mm:b").Val()
	mustEqual(t, "MGET", fmt.Sprint(got), fmt.Sprint([]any{"1", nil, "3", "2"}))
	mustErr(t, "MSET odd", c.Do(ctx, "MSET", "mm:a", "1", "mm:b").Err(),
		"ERR wrong number of arguments for 'mset' command")
}

func smokeStringEdit(t *testing.T, c *redis.Client) {
	mustEqual(t, "APPEND fresh", c.Append(ctx, "se:k", "Hello").Val(), int64(5))
	mustEqual(t, "APPEND", c.Append(ctx, "se:k", " World").Val(), int64(11))
	mustEqual(t, "STRLEN", c.StrLen(ctx, "se:k").Val(), int64(11))
	mustEqual(t, "GETRANGE 0 4", c.GetRange(ctx, "se:k", 0, 4).Val(), "Hello")
	mustEqual(t, "GETRANGE -5 -1", c.GetRange(ctx, "se:k", -5, -1).Val(), "World")
	mustEqual(t, "SETRANGE", c.SetRange(ctx, "se:k", 6, "Redis").Val(), int64(11))
	mustEqual(t, "GET", c.Get(ctx, "se:k").Val(), "Hello Redis")
	mustEqual(t, "SETRANGE pads with zeros", c.SetRange(ctx, "se:pad", 3, "x").Val(), int64(4))
	mustEqual(t, "GET padded", c.Get(ctx, "se:pad").Val(), "\x00\x00\x00x")
}

func smokeGetExGetDel(t *testing.T, c *redis.Client) {
	c.Set(ctx, "gd:k", "v", 0)
	mustEqual(t, "GETEX EX", c.GetEx(ctx, "gd:k", 100*time.Second).Val(), "v")
	mustBetween(t, "TTL after GETEX", c.TTL(ctx, "gd:k").Val(), 99*time.Second, 100*time.Second)
	mustEqual(t, "GETDEL", c.GetDel(ctx, "gd:k").Val(), "v")
	mustEqual(t, "EXISTS after GETDEL", c.Exists(ctx, "gd:k").Val(), int64(0))
}

func smokeIncrByFloat(t *testing.T, c *redis.Client) {
	c.Set(ctx, "fl:k", "10.5", 0)
	mustEqual(t, "INCRBYFLOAT 0.1", c.IncrByFloat(ctx, "fl:k", 0.1).Val(), 10.6)
	mustEqual(t, "GET", c.Get(ctx, "fl:k").Val(), "10.6")
	mustEqual(t, "INCRBYFLOAT 5e3", c.Do(ctx, "INCRBYFLOAT", "fl:k", "5.0e3").Val(), any("5010.60000000000000009"))
}

func smokeRenameType(t *testing.T, c *redis.Client) {
	c.Set(ctx, "rn:a", "1", 0)
	mustEqual(t, "TYPE", c.Type(ctx, "rn:a").Val(), "string")
	mustEqual(t, "TYPE missing", c.Type(ctx, "rn:missing").Val(), "none")
	mustEqual(t, "RENAME", c.Rename(ctx, "rn:a", "rn:b").Val(), "OK")
	mustEqual(t, "EXISTS old name", c.Exists(ctx, "rn:a").Val(), int64(0))
	mustEqual(t, "GET new name", c.Get(ctx, "rn:b").Val(), "1")
	mustErr(t, "RENAME missing", c.Rename(ctx, "rn:missing", "rn:c").Err(), "ERR no such key")
	mustEqual(t, "UNLINK", c.Unlink(ctx, "rn:b", "rn:missing").Val(), int64(1))
}

func smokeExpire(t *testing.T, c *redis.Client) {
	c.Set(ctx, "exp:k", "v", 0)
	mustEqual(t, "TTL without expiry", c.TTL(ctx, "exp:k").Val(), time.Duration(-1))
	mustEqual(t, "TTL missing", c.TTL(ctx, "exp:missing").Val(), time.Duration(-2))
	mustEqual(t, "EXPIRE", c.Expire(ctx, "exp:k", 100*time.Second).Val(), true)
	mustBetween(t, "TTL", c.TTL(ctx, "exp:k").Val(), 99*time.Second, 100*time.Second)
	mustEqual(t, "EXPIRE missing", c.Expire(ctx, "exp:missing", time.Second).Val(), false)
	mustEqual(t, "PERSIST", c.Persist(ctx, "exp:k").Val(), true)
	mustEqual(t, "TTL after PERSIST", c.TTL(ctx, "exp:k").Val(), time.Duration(-1))
	c.PExpire(ctx, "exp:k", 30*time.Millisecond)
	waitFor(t, 5*time.Second, func() error {
		if n := c.Exists(ctx, "exp:k").Val(); n != 0 {
			return fmt.Errorf("EXISTS after PEXPIRE 30 = %d", n)
		}
		return nil
	})
}

func smokeDelExists(t *testing.T, c *redis.Client) {
	c.MSet(ctx, "de:a", "1", "de:b", "2")
	mustEqual(t, "EXISTS counts repeats", c.Exists(ctx, "de:a", "de:a", "de:b", "de:x").Val(), int64(3))
	mustEqual(t, "DEL", c.Del(ctx, "de:a", "de:b", "de:x").Val(), int64(2))
	mustEqual(t, "EXISTS after DEL", c.Exists(ctx, "de:a", "de:b").Val(), int64(0))
	mustEqual(t, "DEL again", c.Del(ctx, "de:a").Val(), int64(0))
}

// smokeScan writes 1000 keys and checks SCAN's full iteration returns each
// of them (SCAN may repeat a key; it must not miss one).
func smokeScan(t *testing.T, c *redis.Client) {
	want := make([]string, 1000)
	pipe := c.Pipeline()
	for i := range want {
		want[i] = fmt.Sprintf("scan:%04d", i)
		pipe.Set(ctx, want[i], i, 0)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatalf("pipelined SETs: %v", err)
	}
	seen := map[string]bool{}
	it := c.Scan(ctx, 0, "scan:*", 100).Iterator()
	for it.Next(ctx) {
		seen[it.Val()] = true
	}
	if err := it.Err(); err != nil {
		t.Fatalf("SCAN: %v", err)
	}
	var missing []string
	for _, k := range want {
		if !seen[k] {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 || len(seen) != len(want) {
		t.Fatalf("SCAN saw %d distinct keys, want %d; missing %d, e.g. %v",
			len(seen), len(want), len(missing), missing[:min(len(missing), 5)])
	}
	keys := c.Keys(ctx, "scan:*").Val()
	slices.Sort(keys)
	mustEqual(t, "KEYS", fmt.Sprint(keys), fmt.Sprint(want))
}

func mustEqual[T comparable](t testing.TB, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
}

func mustBetween(t testing.TB, what string, got, lo, hi time.Duration) {
	t.Helper()
	if got < lo || got > hi {
		t.Fatalf("%s: got %v, want between %v and %v", what, got, lo, hi)
	}
}

func mustErr(t testing.TB, what string, err error, want string) {
	t.Helper()
	if err == nil || err.Error() != want {
		t.Fatalf("%s: got error %v, want %q", what, err, want)
	}
}
