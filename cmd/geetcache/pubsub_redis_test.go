package main

// Pub/sub replies and pushes checked byte for byte against redis-server
// 7.0.15 on a single node: a subscriber connection and a publisher, in
// RESP2 and RESP3. (PUBSUB CHANNELS lists in byte order, Redis in its hash
// table's: the steps list at most one channel at a time.)

import (
	"fmt"
	"testing"
)

// pubsubStep is what one connection sends and how many replies (pushes
// included) it then reads; with no commands it only reads.
type pubsubStep struct {
	sub  bool // the subscriber's connection, else the publisher's
	cmds [][]string
	n    int
}

func pubsubSteps(proto int) []pubsubStep {
	c := func(args ...string) []string { return args }
	return []pubsubStep{
		// in MULTI: the confirmations are elements of EXEC's array, then messages follow it
		{true, [][]string{c("MULTI"), c("PING"), c("SUBSCRIBE", "m1", "m2"), c("PING"), c("SET", "k", "v"), c("PSUBSCRIBE", "q*"), c("EXEC")}, 7},
		{false, [][]string{c("PUBLISH", "m1", "hi")}, 1},
		{true, [][]string{c("PING"), c("UNSUBSCRIBE", "m1", "m2"), c("PUNSUBSCRIBE")}, 5}, // the message first
		{true, [][]string{c("DEL", "k")}, 1},
		{true, [][]string{c("UNSUBSCRIBE"), c("PUNSUBSCRIBE"), c("SUNSUBSCRIBE")}, 3},
		{true, [][]string{c("UNSUBSCRIBE", "x", "y")}, 2},
		{true, [][]string{c("SUBSCRIBE", "a", "b", "a")}, 3},
		{true, [][]string{c("PSUBSCRIBE", "a*", "[xy]?")}, 2},
		{true, [][]string{c("SSUBSCRIBE", "s", "t")}, 2},
		{false, [][]string{c("PUBLISH", "a", "m1"), c("SPUBLISH", "s", "m2"), c("PUBLISH", "zz", "m3"), c("PUBLISH", "x1", "m4"), c("SPUBLISH", "a", "m5")}, 5},
		{true, nil, 4}, // message a, pmessage a* a, smessage s, pmessage [xy]? x1
		{true, [][]string{c("GET", "k"), c("PING"), c("PING", "hello")}, 3},
		{false, [][]string{c("PUBSUB", "CHANNELS", "a"), c("PUBSUB", "CHANNELS", "b*"), c("PUBSUB", "NUMSUB", "a", "b", "zz"), c("PUBSUB", "NUMPAT"),
			c("PUBSUB", "SHARDCHANNELS", "[s]"), c("PUBSUB", "SHARDNUMSUB", "s", "q"), c("PUBSUB", "NUMSUB"), c("PUBSUB", "HELP"),
			c("PUBSUB", "CHANNELS", "x", "y"), c("PUBSUB", "NUMPAT", "x"), c("PUBSUB", "FOO"), c("PUBSUB"),
			c("PUBLISH", "a"), c("SPUBLISH", "a", "b", "c")}, 14},
		{true, [][]string{c("UNSUBSCRIBE", "b", "zz"), c("SUNSUBSCRIBE", "t", "s")}, 4},
		{true, [][]string{c("PING"), c("GET", "k")}, 2}, // still subscribed to a, a*, [xy]?
		{true, [][]string{c("UNSUBSCRIBE"), c("PUNSUBSCRIBE", "a*"), c("PUNSUBSCRIBE")}, 3},
		{true, [][]string{c("PING"), c("SUBSCRIBE", "c")}, 2},
		{false, [][]string{c("PUBLISH", "c", "m6")}, 1},
		{true, [][]string{c("RESET"), c("PING")}, 2},
		{false, [][]string{c("PUBLISH", "c", "m7"), c("PUBSUB", "CHANNELS")}, 2},
		// CLIENT REPLY: replies dropped, pushes sent
		{true, [][]string{c("CLIENT", "REPLY", "OFF"), c("GET", "k"), c("PING"), c("CLIENT", "REPLY", "SKIP"), c("CLIENT", "REPLY", "ON")}, 1},
		{true, [][]string{c("CLIENT", "REPLY", "SKIP"), c("PING"), c("PING", "x"), c("CLIENT", "REPLY", "BAD")}, 2},
		{true, [][]string{c("CLIENT", "REPLY", "OFF"), c("UNSUBSCRIBE"), c("SUBSCRIBE", "d")}, 2},
		{false, [][]string{c("PUBLISH", "d", "m8")}, 1},
		{true, [][]string{c("PING"), c("UNSUBSCRIBE", "d"), c("CLIENT", "REPLY", "ON")}, 3}, // m8, the confirmation, +OK
		// one pipeline: a reply made before CLIENT REPLY OFF goes out once (it was sent again after each quiet (un)subscription)
		{true, [][]string{c("PING", "y"), c("CLIENT", "REPLY", "OFF"), c("SUBSCRIBE", "e"), c("CLIENT", "REPLY", "ON"), c("UNSUBSCRIBE", "e"), c("CLIENT", "REPLY", "ON"), c("PING", "z")}, 5},
		{true, nil, 2}, // the rest: the steps' counts lag two items behind (EXEC's array holds fewer elements than the confirmations it carries)
	}
}

func TestPubSubMatchesRedis(t *testing.T) {
	redisAddr := startRedisServer(t)
	gc := startNode(t)
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			sub := newDiffPair(t, proto, redisAddr, gc.addr())
			pub := newDiffPair(t, 2, redisAddr, gc.addr())
			requireRedis70(t, pub.redis)
			for i, st := range pubsubSteps(proto) {
				p := pub
				if st.sub {
					p = sub
				}
				p.requireSameN(t, fmt.Sprintf("step %d", i), st.cmds, st.n)
			}
		})
	}
}

// requireSameN sends cmds as one pipeline to both servers, reads n
// replies or pushes from each and fails the test for each that differs.
func (p *diffPair) requireSameN(t *testing.T, what string, cmds [][]string, n int) {
	t.Helper()
	p.redis.send(cmds)
	p.gc.send(cmds)
	fromRedis, err := p.redis.replies(n)
	if err != nil {
		t.Fatal(err)
	}
	fromGC, err := p.gc.replies(n)
	if err != nil {
		t.Fatal(err)
	}
	for j := range fromRedis {
		if string(fromRedis[j].raw) != string(fromGC[j].raw) {
			t.Errorf("%s, reply %d (%q):\n redis:     %q\n geetcache: %q", what, j, cmds, fromRedis[j].raw, fromGC[j].raw)
		}
	}
}
