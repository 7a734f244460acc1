package main

import (
	"strings"
	"testing"
	"time"
)

// TestKeymissMatchesRedis: with notify-keyspace-events "Em", reads that miss
// publish keymiss to the serving node's subscribers, once per lookup as
// redis-server 7.0.15 does; so do writes where Redis reads a key with
// lookupKeyRead (GETDEL, SET ... GET, COPY's source, *STORE sources,
// SORT's key and patterns, XREADGROUP, XACK, XCLAIM...), on every node (the table holds Redis's events for each
// command on an empty keyspace but the list "hit": MGET three, XREAD
// twice per key, OBJECT none, SORT_RO one per pattern key missed).
func TestKeymissMatchesRedis(t *testing.T) {
	n := startNode(t)
	c := dialDiffSide(t, "geetcache", n.addr())
	if rep, err := c.roundTrip([]string{"CONFIG", "SET", "notify-keyspace-events", "Em"}); err != nil || string(rep.raw) != "+OK\r\n" {
		t.Fatalf("CONFIG SET: %q (%v)", rep.raw, err)
	}
	if _, err := c.roundTrip([]string{"RPUSH", "hit", "1", "2"}); err != nil {
		t.Fatal(err)
	}
	sub := dialDiffSide(t, "subscriber", n.addr())
	sub.send([][]string{{"PSUBSCRIBE", "__keyevent@0__:*"}, {"SUBSCRIBE", eventSentinel}})
	if _, err := sub.replies(2); err != nil {
		t.Fatal(err)
	}
	for i, tc := range []struct{ cmd, want string }{
		{"GET miss", "miss"},
		{"MGET a b c", "a,b,c"},
		{"EXISTS a b", "a,b"},
		{"TYPE miss", "miss"},
		{"TTL miss", "miss"},
		{"PTTL miss", "miss"},
		{"EXPIRETIME miss", "miss"},
		{"STRLEN miss", "miss"},
		{"GETRANGE miss 0 1", "miss"},
		{"GETBIT miss 1", "miss"},
		{"BITCOUNT miss", "miss"},
		{"BITPOS miss 1", "miss"},
		{"LRANGE miss 0 -1", "miss"},
		{"LLEN miss", "miss"},
		{"LINDEX miss 0", "miss"},
		{"LPOS miss a", "miss"},
		{"HGET miss f", "miss"},
		{"HGETALL miss", "miss"},
		{"HMGET miss a b", "miss"},
		{"HLEN miss", "miss"},
		{"HSCAN miss 0", "miss"},
		{"HRANDFIELD miss", "miss"},
		{"SMEMBERS miss", "miss"},
		{"SISMEMBER miss a", "miss"},
		{"SINTER a b", "a,b"},
		{"SUNION a b", "a,b"},
		{"SDIFF a b", "a,b"},
		{"SCARD miss", "miss"},
		{"SRANDMEMBER miss", "miss"},
		{"ZRANGE miss 0 -1", "miss"},
		{"ZSCORE miss a", "miss"},
		{"ZCARD miss", "miss"},
		{"ZRANK miss a", "miss"},
		{"ZUNION 2 a b", "a,b"},
		{"XRANGE miss - +", "miss"},
		{"XLEN miss", "miss"},
		{"XREAD STREAMS miss 0", "miss,miss"},
		{"PFCOUNT miss", "miss"},
		{"PFCOUNT a b", "a,b"},
		{"SORT_RO miss", "miss"},
		{"LCS a b", "a,b"},
		{"OBJECT ENCODING miss", ""},
		{"TOUCH a b", "a,b"},
		{"GEOPOS miss a", "miss"},
		{"GEODIST miss a b", "miss"},
		{"SMISMEMBER miss a", "miss"},
		{"ZMSCORE miss a", "miss"},
		{"BITFIELD_RO miss GET u8 0", "miss"},
		{"SINTERCARD 2 a b", "a,b"},
		{"ZINTERCARD 2 a b", "a,b"},
		{"EXISTS hit", ""},
		{"GET hit", ""},
		{"SORT_RO hit BY w* GET v*", "w1,w2,v1,v2"},
		{"SORT_RO hit BY nosort GET #", ""},
		// writes: the lookups Redis makes with lookupKeyRead publish keymiss too
		{"FLUSHALL", ""},
		{"RPUSH hit 1 2", ""},
		{"GETDEL miss", "miss"},
		{"GETEX miss", "miss"},
		{"GETSET miss v", "miss"},
		{"SET k v GET", "k"},
		{"SET k2 v NX GET", "k2"},
		{"SET hit v GET", ""},
		{"COPY a b", "a"},
		{"SUNIONSTORE d a b", "a,b"},
		{"SDIFFSTORE d a b", "a,b"},
		{"SINTERSTORE d a b", "a,b"},
		{"SMOVE a b m", ""},
		{"ZUNIONSTORE d 2 a b", "a,b"},
		{"ZINTERSTORE d 2 a b", "a,b"},
		{"ZDIFFSTORE d 2 a b", "a,b"},
		{"ZRANGESTORE d a 0 -1", "a"},
		{"BITOP OR d a b", "a,b"},
		{"PFMERGE d a b", "d,a,b"},
		{"PFADD newp a", ""},
		{"SORT miss STORE d", ""},
		{"SORT hit BY w* GET v* STORE d", "w1,w2,v1,v2"},
		{"SORT hit BY nosort STORE d", ""},
		{"SORT hit", ""},
		{"GEOSEARCHSTORE d a FROMLONLAT 0 0 BYRADIUS 1 km", "a"},
		{"GEORADIUS a 0 0 1 km STORE d", "a"},
		{"RENAME a b", ""},
		{"RENAMENX a b", ""},
		{"LMOVE a b LEFT LEFT", ""},
		{"RPOPLPUSH a b", ""},
		{"LPOP a", ""},
		{"RPOP a", ""},
		{"LMPOP 2 a b LEFT", ""},
		{"ZMPOP 2 a b MIN", ""},
		{"ZPOPMIN a", ""},
		{"SPOP a", ""},
		{"SREM a x", ""},
		{"HDEL a x", ""},
		{"HINCRBY nh f 1", ""},
		{"INCR ni", ""},
		{"APPEND na x", ""},
		{"SETRANGE nr 0 x", ""},
		{"SETBIT nb 1 1", ""},
		{"BITFIELD a GET u8 0", "a"},
		{"BITFIELD nbf SET u8 0 1", ""},
		{"XADD nx * f v", ""},
		{"XDEL a 1-1", ""},
		{"XTRIM a MAXLEN 1", ""},
		{"XSETID a 1-1", ""},
		{"XREADGROUP GROUP g c STREAMS a >", "a"},
		{"XACK a g 1-1", "a"},
		{"XCLAIM a g c 0 1-1", "a"},
		{"XAUTOCLAIM a g c 0 0", "a"},
		{"XGROUP CREATE a g $", ""},
		{"XGROUP CREATE nsx g $ MKSTREAM", ""},
		{"EXPIRE a 10", ""},
		{"PERSIST a", ""},
		{"DEL a b", ""},
		{"ZADD nz 1 a", ""},
		{"ZINCRBY a 1 m", ""},
		{"ZREM a m", ""},
		{"LSET a 0 x", ""},
		{"LINSERT a BEFORE x y", ""},
		{"LREM a 0 x", ""},
		{"LTRIM a 0 1", ""},
		{"LPUSHX a x", ""},
		{"HSETNX nh2 f v", ""},
		{"SADD ns a", ""},
		{"PFCOUNT a", "a"},
	} {
		if _, err := c.roundTrip(strings.Fields(tc.cmd)); err != nil {
			t.Fatal(err)
		}
		if _, err := c.roundTrip([]string{"PUBLISH", eventSentinel, tc.cmd}); err != nil {
			t.Fatal(err)
		}
		var got []string
		sub.conn.SetDeadline(time.Now().Add(10 * time.Second))
		for {
			rep, err := sub.r.read()
			if err != nil {
				t.Fatalf("case %d: %v", i, err)
			}
			if replyText(rep.elems[len(rep.elems)-2]) == eventSentinel {
				break
			}
			got = append(got, replyText(rep.elems[len(rep.elems)-1]))
		}
		if g := strings.Join(got, ","); g != tc.want {
			t.Errorf("%s: keymiss for %q, Redis publishes %q", tc.cmd, g, tc.want)
		}
	}
}
