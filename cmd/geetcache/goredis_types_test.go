package main

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/redis/go-redis/v9"
)

// TestGoRedisTypes drives every collection family, bitmaps and HyperLogLog
// through go-redis v9 (RESP3) against the built binary, then kills the node
// with SIGKILL, restarts it, and expects the same data (same DEBUG DIGEST).
// A failed command shows up as a zero value that does not match.
func TestGoRedisTypes(t *testing.T) {
	n := startNode(t)
	c := n.Client()
	cases := []struct {
		name string
		run  func(t *testing.T, c *redis.Client)
	}{
		{"hashes", typesHashes},
		{"sets", typesSets},
		{"lists", typesLists},
		{"sorted sets", typesZSets},
		{"bitmaps", typesBitmaps},
		{"hyperloglog", typesHLL},
		{"wrong type", typesWrongType},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, c) })
	}
	before := digestOf(t, c)
	n.Kill9()
	n.Restart()
	if after := digestOf(t, n.Client()); after != before {
		t.Fatalf("digest after kill -9 and restart = %s, before = %s", after, before)
	}
}

func digestOf(t *testing.T, c *redis.Client) string {
	t.Helper()
	d, err := c.Do(context.Background(), "DEBUG", "DIGEST").Text()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func expect[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Fatalf("%s = %v, want %v", what, got, want)
	}
}

func typesHashes(t *testing.T, c *redis.Client) {
	ctx := context.Background()
	expect(t, "HSET", c.HSet(ctx, "h", "a", "1", "b", "2", "c", "3").Val(), int64(3))
	expect(t, "HGET", c.HGet(ctx, "h", "b").Val(), "2")
	all := c.HGetAll(ctx, "h").Val()
	expect(t, "HGETALL size", len(all), 3)
	expect(t, "HINCRBY", c.HIncrBy(ctx, "h", "a", 41).Val(), int64(42))
	expect(t, "HINCRBYFLOAT", c.HIncrByFloat(ctx, "h", "f", 0.5).Val(), 0.5)
	expect(t, "HDEL", c.HDel(ctx, "h", "c", "nope").Val(), int64(1))
	expect(t, "HLEN", c.HLen(ctx, "h").Val(), int64(3))
	vals := c.HMGet(ctx, "h", "a", "nope").Val()
	expect(t, "HMGET a", vals[0], any("42"))
	expect(t, "HMGET nope", vals[1], any(nil))
	keys, _ := c.HScan(ctx, "h", 0, "*", 10).Val()
	expect(t, "HSCAN fields+values", len(keys), 6)
}

func typesSets(t *testing.T, c *redis.Client) {
	ctx := context.Background()
	expect(t, "SADD", c.SAdd(ctx, "s1", "a", "b", "c").Val(), int64(3))
	c.SAdd(ctx, "s2", "b", "c", "d")
	inter := c.SInter(ctx, "s1", "s2").Val()
	slices.Sort(inter)
	expect(t, "SINTER", slices.Equal(inter, []string{"b", "c"}), true)
	expect(t, "SUNIONSTORE", c.SUnionStore(ctx, "u", "s1", "s2").Val(), int64(4))
	expect(t, "SISMEMBER", c.SIsMember(ctx, "u", "d").Val(), true)
	popped := c.SPopN(ctx, "u", 2).Val()
	expect(t, "SPOP count", len(popped), 2)
	expect(t, "SCARD after SPOP", c.SCard(ctx, "u").Val(), int64(2))
	expect(t, "SMOVE", c.SMove(ctx, "s1", "s2", "a").Val(), true)
	expect(t, "SDIFF", len(c.SDiff(ctx, "s2", "s1").Val()), 2)
}

func typesLists(t *testing.T, c *redis.Client) {
	ctx := context.Background()
	expect(t, "RPUSH", c.RPush(ctx, "l", "a", "b", "c", "d").Val(), int64(4))
	expect(t, "LPUSH", c.LPush(ctx, "l", "z").Val(), int64(5))
	r := c.LRange(ctx, "l", 0, -1).Val()
	expect(t, "LRANGE", slices.Equal(r, []string{"z", "a", "b", "c", "d"}), true)
	expect(t, "LINDEX", c.LIndex(ctx, "l", -1).Val(), "d")
	expect(t, "LPOS", c.LPos(ctx, "l", "b", redis.LPosArgs{}).Val(), int64(2))
	expect(t, "LMOVE", c.LMove(ctx, "l", "l2", "LEFT", "RIGHT").Val(), "z")
	c.LTrim(ctx, "l", 0, 1)
	expect(t, "LLEN after LTRIM", c.LLen(ctx, "l").Val(), int64(2))
	expect(t, "RPOP count", len(c.RPopCount(ctx, "l", 5).Val()), 2)
	expect(t, "EXISTS after emptying", c.Exists(ctx, "l").Val(), int64(0))
}

func typesZSets(t *testing.T, c *redis.Client) {
	ctx := context.Background()
	add := c.ZAdd(ctx, "z", redis.Z{Score: 1, Member: "a"}, redis.Z{Score: 2, Member: "b"},
		redis.Z{Score: 3, Member: "c"}).Val()
	expect(t, "ZADD", add, int64(3))
	expect(t, "ZINCRBY", c.ZIncrBy(ctx, "z", 10, "a").Val(), 11.0)
	expect(t, "ZRANK", c.ZRank(ctx, "z", "a").Val(), int64(2))
	top := c.ZRevRangeWithScores(ctx, "z", 0, 0).Val()
	expect(t, "ZREVRANGE top", top[0].Member, any("a"))
	byScore := c.ZRangeByScore(ctx, "z", &redis.ZRangeBy{Min: "(1", Max: "3"}).Val()
	expect(t, "ZRANGEBYSCORE", slices.Equal(byScore, []string{"b", "c"}), true)
	expect(t, "ZSCORE", c.ZScore(ctx, "z", "b").Val(), 2.0)
	min := c.ZPopMin(ctx, "z").Val()
	expect(t, "ZPOPMIN", min[0].Member, any("b"))
	expect(t, "ZUNIONSTORE", c.ZUnionStore(ctx, "zu", &redis.ZStore{Keys: []string{"z", "z"}}).Val(), int64(2))
	expect(t, "ZSCORE summed", c.ZScore(ctx, "zu", "c").Val(), 6.0)
}

func typesBitmaps(t *testing.T, c *redis.Client) {
	ctx := context.Background()
	c.SetBit(ctx, "bm", 7, 1)
	c.SetBit(ctx, "bm", 100, 1)
	expect(t, "GETBIT", c.GetBit(ctx, "bm", 7).Val(), int64(1))
	expect(t, "BITCOUNT", c.BitCount(ctx, "bm", nil).Val(), int64(2))
	expect(t, "BITPOS", c.BitPos(ctx, "bm", 1).Val(), int64(7))
	expect(t, "GET bytes", c.Get(ctx, "bm").Val()[0], byte(1))
	got := c.BitField(ctx, "bf", "SET", "u8", 0, 200, "INCRBY", "u8", 0, 100).Val()
	expect(t, "BITFIELD wrap", got[1], int64(44))
}

func typesHLL(t *testing.T, c *redis.Client) {
	ctx := context.Background()
	expect(t, "PFADD", c.PFAdd(ctx, "hll", "a", "b", "c").Val(), int64(1))
	c.PFAdd(ctx, "hll2", "c", "d")
	expect(t, "PFCOUNT", c.PFCount(ctx, "hll").Val(), int64(3))
	expect(t, "PFCOUNT union", c.PFCount(ctx, "hll", "hll2").Val(), int64(4))
	c.PFMerge(ctx, "hllm", "hll", "hll2")
	expect(t, "PFCOUNT merged", c.PFCount(ctx, "hllm").Val(), int64(4))
	blob := c.Get(ctx, "hllm").Val()
	c.Set(ctx, "hllcopy", blob, 0)
	expect(t, "PFCOUNT of a copied blob", c.PFCount(ctx, "hllcopy").Val(), int64(4))
}

func typesWrongType(t *testing.T, c *redis.Client) {
	ctx := context.Background()
	c.Set(ctx, "str", "v", 0)
	for name, err := range map[string]error{
		"HSET": c.HSet(ctx, "str", "f", "v").Err(), "SADD": c.SAdd(ctx, "str", "m").Err(),
		"LPUSH": c.LPush(ctx, "str", "e").Err(), "ZADD": c.ZAdd(ctx, "str", redis.Z{Member: "m"}).Err(),
	} {
		var re redis.Error
		if !errors.As(err, &re) || re.Error() != "WRONGTYPE Operation against a key holding the wrong kind of value" {
			t.Errorf("%s on a string: %v", name, err)
		}
	}
	if err := c.PFAdd(ctx, "str", "x").Err(); err == nil || err.Error() != "WRONGTYPE Key is not a valid HyperLogLog string value." {
		t.Errorf("PFADD on a plain string: %v", err)
	}
}
