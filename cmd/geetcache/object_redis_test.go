package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

// objectSteps are writes that cross every encoding threshold (entries and
// value length, under default and changed settings), each followed by
// OBJECT ENCODING; the replies must match redis-server 7.0.15's.
func objectSteps() [][]string {
	long := strings.Repeat("v", 65)
	enc := func(k string) []string { return []string{"OBJECT", "ENCODING", k} }
	steps := [][]string{
		{"SET", "s", "123"}, enc("s"), {"OBJECT", "REFCOUNT", "s"},
		{"SET", "s", "12345"}, enc("s"), {"OBJECT", "REFCOUNT", "s"},
		{"SET", "s", "-0"}, enc("s"), {"SET", "s", "0123"}, enc("s"), {"SET", "s", "+1"}, enc("s"),
		{"SET", "s", "9223372036854775807"}, enc("s"), {"SET", "s", "9223372036854775808"}, enc("s"),
		{"SET", "s", strings.Repeat("a", 44)}, enc("s"), {"SET", "s", strings.Repeat("a", 45)}, enc("s"),
		{"INCR", "n"}, enc("n"), {"OBJECT", "REFCOUNT", "n"}, {"INCRBYFLOAT", "n", "1.5"}, enc("n"),
		{"OBJECT", "FREQ", "s"}, {"OBJECT", "IDLETIME", "nokey"}, {"OBJECT", "ENCODING", "nokey"},
		{"OBJECT", "HELP"}, {"OBJECT", "NOPE", "s"}, {"OBJECT", "ENCODING"},
		{"RPUSH", "l", "a"}, enc("l"), {"PFADD", "p", "a"}, enc("p"), {"XADD", "x", "1-1", "f", "v"}, enc("x"),
		{"SADD", "set", "1", "-2"}, enc("set"), {"SADD", "set", "x"}, enc("set"),
		{"HSET", "h", "f", "v"}, enc("h"), {"HSET", "h", "g", long}, enc("h"),
		{"ZADD", "z", "1", "a"}, enc("z"), {"ZADD", "z", "2", long}, enc("z"), {"ZREM", "z", long}, enc("z"),
		{"CONFIG", "SET", "hash-max-ziplist-entries", "3", "set-max-intset-entries", "3", "zset-max-ziplist-entries", "3"},
	}
	for i := range 4 { // the fourth member of each crosses the limits
		m := strconv.Itoa(i)
		steps = append(steps, []string{"HSET", "h2", m, m}, enc("h2"), []string{"SADD", "s2", m}, enc("s2"),
			[]string{"ZADD", "z2", m, m}, enc("z2"))
	}
	steps = append(steps, []string{"ZREM", "z2", "0"}, enc("z2"), []string{"HDEL", "h2", "0"}, enc("h2"),
		[]string{"SREM", "s2", "0"}, enc("s2"), []string{"SADD", "s3", "1", "x"}, []string{"SREM", "s3", "x"}, enc("s3"),
		[]string{"HSET", "h4", "f", long}, []string{"HSET", "h4", "f", "v"}, enc("h4"),
		[]string{"SINTERSTORE", "s4", "s2"}, enc("s4"), []string{"SUNIONSTORE", "s5", "s3", "set"}, enc("s5"),
		[]string{"HINCRBY", "h5", "a", "1"}, enc("h5"),
		[]string{"CONFIG", "SET", "zset-max-ziplist-entries", "0"}, []string{"ZADD", "z3", "1", "a"}, enc("z3"),
		[]string{"CONFIG", "SET", "hash-max-ziplist-value", "1"}, []string{"HSET", "h3", "ab", "1"}, enc("h3"))
	return steps
}

// TestObjectEncodingMatchesRedis: OBJECT's replies for a sequence of
// writes crossing every encoding threshold match redis-server 7.0.15's.
func TestObjectEncodingMatchesRedis(t *testing.T) {
	redisAddr := startRedisServer(t)
	n := startNode(t)
	p := newDiffPair(t, 2, redisAddr, n.addr())
	requireRedis70(t, p.redis)
	p.requireSame(t, "OBJECT", objectSteps())
}

// TestEncodingSettingReplicated: an encoding setting set on a follower
// reaches every node through the log, and every node then reports the
// same OBJECT ENCODING.
func TestEncodingSettingReplicated(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	follower := nodes[0]
	if follower == leader {
		follower = nodes[1]
	}
	ctx := context.Background()
	waitFor(t, 10*time.Second, func() error {
		return follower.Client(noRetries).ConfigSet(ctx, "hash-max-ziplist-entries", "1").Err()
	})
	if err := leader.Client().HSet(ctx, "h", "a", "1", "b", "2").Err(); err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes {
		waitFor(t, 10*time.Second, func() error {
			v, err := n.Client(noRetries).ObjectEncoding(ctx, "h").Result()
			if err == nil && v != "hashtable" {
				err = fmt.Errorf("node %d: OBJECT ENCODING h = %q, want hashtable", n.port, v)
			}
			return err
		})
	}
}
