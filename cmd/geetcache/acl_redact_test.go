package main

import (
	"fmt"
	"slices"
	"testing"

	"github.com/redis/go-redis/v9"
)

// TestSlowlogRedactsLikeRedis: the slow log keeps what Redis 7.0.15's
// keeps of the commands that carry secrets: AUTH's and HELLO's
// credentials, ACL SETUSER's rules and CONFIG SET requirepass's value
// show as "(redacted)" (compared with redis-server's SLOWLOG GET, entry
// by entry, arguments only).
func TestSlowlogRedactsLikeRedis(t *testing.T) {
	redisAddr := startRedisServer(t)
	n := startNode(t)
	cmds := [][]any{{"AUTH", "x", "y-secret"}, {"HELLO", "2", "AUTH", "u", "p-secret"}, {"HELLO", "3", "AUTH", "u", "p-secret", "SETNAME", "n"},
		{"ACL", "SETUSER", "zz", "on", ">pw-secret", "~*", "+@all"}, {"AUTH", "zz", "wrong-secret"}, {"CONFIG", "SET", "requirepass", "rp-secret"},
		{"CONFIG", "SET", "requirepass", ""}, {"ACL", "DELUSER", "zz"}, {"CONFIG", "GET", "requirepass"}}
	var got [2]string
	for i, addr := range []string{redisAddr, n.addr()} {
		c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, PoolSize: 1, Protocol: 2})
		for _, cmd := range append([][]any{{"CONFIG", "SET", "slowlog-log-slower-than", "0"}, {"SLOWLOG", "RESET"}}, cmds...) {
			c.Do(ctx, cmd...) // errors (WRONGPASS) are part of the test
		}
		entries, err := c.Do(ctx, "SLOWLOG", "GET", "20").Slice()
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			args := e.([]any)[3].([]any)
			if slices.Contains([]any{"AUTH", "HELLO", "ACL", "CONFIG"}, args[0]) { // not go-redis's own
				got[i] += fmt.Sprint(args) + "\n"
			}
		}
		c.Do(ctx, "CONFIG", "SET", "slowlog-log-slower-than", "10000")
		c.Close()
	}
	if got[0] != got[1] {
		t.Fatalf("SLOWLOG GET:\nredis:\n%s\ngeetcache:\n%s", got[0], got[1])
	}
	t.Logf("SLOWLOG GET:\n%s", got[1])
}
