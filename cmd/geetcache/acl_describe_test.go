package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"
)

// aclDescribeRules are command rules whose descriptions (ACL GETUSER's
// "commands") must be redis-server 7.0.15's: the same categories in the
// same order; the single commands after them as a set (Redis lists them
// in its hash table's order, docs/compatibility.md).
var aclDescribeRules = [][]any{
	{"+@read"}, {"+@write"}, {"+@read", "+@write"}, {"+@all", "-@write"}, {"+@read", "-get", "+@hash"},
	{"+@keyspace", "-@dangerous", "+@pubsub"}, {"+@fast", "-@read"}, {"+@all", "-@admin", "-@dangerous"},
	{"+@string", "+@list", "-lpush"}, {"+@all", "-@slow", "+config|get"}, {"+@scripting", "+@transaction"},
	{"+@geo", "+@sortedset", "-zadd"}, {"+@connection", "+@admin"},
}

// TestACLDescriptionsMatchRedis sets each rule list on both servers and
// compares the descriptions.
func TestACLDescriptionsMatchRedis(t *testing.T) {
	redisAddr := startRedisServer(t)
	n := startNode(t)
	rc := redis.NewClient(&redis.Options{Addr: redisAddr, MaxRetries: -1})
	defer rc.Close()
	gc := n.Client(noRetries)
	for _, rules := range aclDescribeRules {
		var got [2][]string
		for i, c := range []*redis.Client{rc, gc} {
			if err := c.Do(ctx, append([]any{"ACL", "SETUSER", "d", "reset"}, rules...)...).Err(); err != nil {
				t.Fatal(err)
			}
			u, err := c.Do(ctx, "ACL", "GETUSER", "d").Result()
			if err != nil {
				t.Fatal(err)
			}
			got[i] = strings.Fields(u.(map[any]any)["commands"].(string))
		}
		if !sameDescription(got[0], got[1]) {
			t.Errorf("%v:\n redis:     %q\n geetcache: %q", rules, strings.Join(got[0], " "), strings.Join(got[1], " "))
		}
	}
}

// sameDescription compares the "@" rules in order and the others as sets.
func sameDescription(a, b []string) bool {
	split := func(r []string) (cats, cmds []string) {
		for _, x := range r {
			if strings.HasPrefix(x[1:], "@") {
				cats = append(cats, x)
			} else {
				cmds = append(cmds, x)
			}
		}
		slices.Sort(cmds)
		return cats, cmds
	}
	ac, am := split(a)
	bc, bm := split(b)
	return slices.Equal(ac, bc) && slices.Equal(am, bm)
}
