package protocol

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/geetcache/geetcache/datatypes"
)

// TestZSetsOddArguments feeds arguments the table tests cannot spell:
// empty strings, spaces, NUL bytes. Scores follow strtod (a range bound
// may be empty or start with spaces, a score may not), options and lex
// bounds are read as C strings. Expected replies are redis-server 7.0.15's.
func TestZSetsOddArguments(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"ZADD", "z", "", "a"}, "-ERR value is not a valid float|"},
		{[]string{"ZADD", "z", " 1", "a"}, "-ERR value is not a valid float|"},
		{[]string{"ZADD", "z", "1 ", "a"}, "-ERR value is not a valid float|"},
		{[]string{"ZADD", "z", "1\x00", "a"}, "-ERR value is not a valid float|"},
		{[]string{"ZADD", "n", "NX\x00junk", "5", "a"}, ":1|"},
		{[]string{"ZSCORE", "n", "a"}, "$1|5|"},
		{[]string{"ZADD", "z", "0", "", "0", "a\x00b", "0", "b"}, ":3|"},
		{[]string{"ZCOUNT", "z", "", ""}, ":3|"},
		{[]string{"ZCOUNT", "z", " 0", "(\v5"}, ":3|"},
		{[]string{"ZCOUNT", "z", "0\x00junk", "100"}, ":3|"},
		{[]string{"ZCOUNT", "z", "(", "0"}, ":0|"},
		{[]string{"ZCOUNT", "z", "  ", "1"}, "-ERR min or max is not a float|"},
		{[]string{"ZLEXCOUNT", "z", "-\x00x", "+"}, ":3|"},
		{[]string{"ZLEXCOUNT", "z", "+\x00", "+"}, ":0|"},
		{[]string{"ZRANGEBYLEX", "z", "[", "[a\x00c"}, "*2|$0||$3|a\x00b|"},
		{[]string{"ZRANGEBYLEX", "z", "(", "+"}, "*2|$3|a\x00b|$1|b|"},
		{[]string{"ZRANGEBYLEX", "z", "[", "["}, "*1|$0||"},
		{[]string{"ZRANGE", "z", "0", "-1", "WITHSCORES\x00x"}, "*6|$0||$1|0|$3|a\x00b|$1|0|$1|b|$1|0|"},
		{[]string{"ZRANGE", "z", "", "-1"}, "-ERR value is not an integer or out of range|"},
		{[]string{"ZUNION", "1", "z", "WITHSCORES\x00"}, "*6|$0||$1|0|$3|a\x00b|$1|0|$1|b|$1|0|"},
		{[]string{"ZRANDMEMBER", "z", "0", "withscores\x00x"}, "*0|"},
		{[]string{"ZSCAN", "z", "0\x00x"}, "*2|$1|0|*6|$0||$1|0|$3|a\x00b|$1|0|$1|b|$1|0|"},
		{[]string{"ZSCAN", "z", ""}, "*2|$1|0|*6|$0||$1|0|$3|a\x00b|$1|0|$1|b|$1|0|"},
		{[]string{"ZPOPMIN", "z", "1\x00"}, "-ERR value is out of range, must be positive|"},
	} {
		got := h.do(tc.args...)
		if want := strings.ReplaceAll(tc.want, "|", "\r\n"); got != want {
			t.Errorf("%q\n got: %q\nwant: %q", tc.args, got, want)
		}
	}
}

// TestZSetsLargeMatchRedis compares fixed queries over sets of a thousand
// members (a multi-level tree, skiplist-encoded in Redis) with a real
// redis-server: ranks, ranges with offsets, removals, pops and stores.
func TestZSetsLargeMatchRedis(t *testing.T) {
	ref := startRedis(t)
	h := newHarness(t)
	r := rand.New(rand.NewPCG(1, 2))
	for _, key := range []string{"big", "big2"} {
		args := []string{"ZADD", key}
		for i := range 1000 {
			args = append(args, strconv.Itoa(r.IntN(300)-100), fmt.Sprintf("m%04d", i*7%1009))
		}
		sameReply(t, h, ref, args)
	}
	lex := []string{"ZADD", "lex"}
	for i := range 1000 {
		lex = append(lex, "0", fmt.Sprintf("w%05d", i*37%1000))
	}
	sameReply(t, h, ref, lex)
	queries := [][]string{
		{"ZCARD", "big"}, {"ZRANK", "big", "m0007"}, {"ZREVRANK", "big", "m0700"},
		{"ZRANGE", "big", "0", "9", "WITHSCORES"}, {"ZRANGE", "big", "500", "520"},
		{"ZRANGE", "big", "-30", "-1", "REV", "WITHSCORES"}, {"ZREVRANGE", "big", "333", "340"},
		{"ZRANGEBYSCORE", "big", "(10", "20", "WITHSCORES"}, {"ZRANGEBYSCORE", "big", "-inf", "+inf", "LIMIT", "700", "5"},
		{"ZREVRANGEBYSCORE", "big", "150", "(-50", "LIMIT", "100", "7"}, {"ZCOUNT", "big", "0", "(100"},
		{"ZRANGEBYLEX", "lex", "[w00500", "(w00510"}, {"ZREVRANGEBYLEX", "lex", "+", "[w00990", "LIMIT", "2", "3"},
		{"ZLEXCOUNT", "lex", "(w00100", "[w00900"}, {"ZRANGE", "lex", "[w00998", "+", "BYLEX"},
		{"ZRANGESTORE", "dst", "big", "100", "400"}, {"ZRANGE", "dst", "0", "-1", "WITHSCORES"},
		{"ZRANGESTORE", "dst", "big", "0", "50", "BYSCORE", "REV", "LIMIT", "3", "200"}, {"ZRANGE", "dst", "0", "-1", "WITHSCORES"},
		{"ZUNIONSTORE", "u", "2", "big", "big2", "WEIGHTS", "1", "-2"}, {"ZRANGE", "u", "0", "-1", "WITHSCORES"},
		{"ZINTER", "2", "big", "lex", "WITHSCORES"}, {"ZINTERCARD", "2", "big", "big2", "LIMIT", "500"},
		{"ZDIFFSTORE", "d", "2", "big", "dst"}, {"ZRANGE", "d", "0", "-1", "WITHSCORES"},
		{"ZREMRANGEBYRANK", "big", "100", "199"}, {"ZREMRANGEBYSCORE", "big", "(50", "60"},
		{"ZREMRANGEBYLEX", "lex", "[w00200", "[w00800"}, {"ZRANGE", "lex", "190", "210"},
		{"ZPOPMIN", "big", "50"}, {"ZPOPMAX", "big2", "3"}, {"ZMPOP", "2", "none", "big", "MAX", "COUNT", "20"},
		{"ZRANGE", "big", "0", "-1", "WITHSCORES"}, {"ZRANGE", "big2", "0", "-1", "WITHSCORES"},
		{"ZREMRANGEBYRANK", "big", "0", "-1"}, {"EXISTS", "big"},
	}
	for _, q := range queries {
		sameReply(t, h, ref, q)
	}
	for _, scan := range [][]string{{"ZSCAN", "big2", "0"}, {"ZSCAN", "big2", "0", "COUNT", "7", "MATCH", "m00*"}} {
		if got, want := walkAll(h.do, scan, true), walkAll(ref.do, scan, true); got != want {
			t.Errorf("%q: walks differ\n got: %.200q\nwant: %.200q", scan, got, want)
		}
	}
}

// TestZSetsReplicasAgree applies one random command stream to two
// harnesses, as two replicas apply one log, restoring one of them from a
// snapshot of itself now and then. Every reply (ZRANDMEMBER aside, a read
// free to differ) and the final digests must be identical: no reply or
// encoding may depend on Go map order, history, or the restore.
func TestZSetsReplicasAgree(t *testing.T) {
	seed := testSeed(t)
	r := rand.New(rand.NewPCG(seed, 1))
	g := zGen{rand.New(rand.NewPCG(seed, 0))}
	a, b := newHarness(t), newHarness(t)
	for _, h := range []*harness{a, b} {
		h.do("SET", "str", "v")
		h.do("SADD", "s0", "a", "b", "c", "1", "m5")
	}
	for i := range 20000 {
		args := g.command()
		if strings.EqualFold(args[0], "zrandmember") {
			continue
		}
		if ra, rb := a.do(args...), b.do(args...); ra != rb {
			t.Fatalf("command %d %q: replicas differ\n a: %q\n b: %q", i, args, ra, rb)
		}
		if r.IntN(400) == 0 {
			b.ks = restored(t, b.ks)
		}
	}
	if da, db := a.ks.Digest(), b.ks.Digest(); da != db {
		t.Fatalf("digests differ: %s %s", da, db)
	}
}

// TestZRandMemberShapes checks ZRANDMEMBER's reply shapes and picks.
func TestZRandMemberShapes(t *testing.T) {
	h := newHarness(t)
	members := map[string]string{}
	args := []string{"ZADD", "z"}
	for i := range 10 {
		m, s := fmt.Sprint("m", i), strconv.Itoa(i*10)
		members[m] = s
		args = append(args, s, m)
	}
	h.do(args...)
	for _, tc := range []struct {
		name       string
		args       []string
		n          int // picks
		distinct   bool
		withScores bool
	}{
		{"single", []string{"ZRANDMEMBER", "z"}, 1, true, false},
		{"positive", []string{"ZRANDMEMBER", "z", "4"}, 4, true, false},
		{"one", []string{"ZRANDMEMBER", "z", "1", "WITHSCORES"}, 1, true, true},
		{"negative", []string{"ZRANDMEMBER", "z", "-25"}, 25, false, false},
		{"negative with scores", []string{"ZRANDMEMBER", "z", "-25", "WITHSCORES"}, 25, false, true},
		{"distinct with scores", []string{"ZRANDMEMBER", "z", "9", "withscores"}, 9, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, proto := range []int{2, 3} {
				h.proto = proto
				picks := zscalars(respParse(h.do(tc.args...)))
				step := 1
				if tc.withScores {
					step = 2
				}
				if len(picks) != tc.n*step {
					t.Fatalf("RESP%d: %d values, want %d", proto, len(picks), tc.n*step)
				}
				var names []string
				for i := 0; i < len(picks); i += step {
					s, ok := members[picks[i]]
					if !ok || tc.withScores && picks[i+1] != s {
						t.Fatalf("RESP%d: pick %q is no member with its score", proto, picks[i:i+step])
					}
					names = append(names, picks[i])
				}
				if tc.distinct && hasDup(names) {
					t.Fatalf("RESP%d: repeated picks %q", proto, names)
				}
			}
		})
	}
	h.proto = 2
	h.check([][2]string{
		{"ZRANDMEMBER z 10", "*10|$2|m9|$2|m8|$2|m7|$2|m6|$2|m5|$2|m4|$2|m3|$2|m2|$2|m1|$2|m0|"},
		{"ZRANDMEMBER z 100 WITHSCORES", "*20|$2|m9|$2|90|$2|m8|$2|80|$2|m7|$2|70|$2|m6|$2|60|$2|m5|$2|50|" +
			"$2|m4|$2|40|$2|m3|$2|30|$2|m2|$2|20|$2|m1|$2|10|$2|m0|$1|0|"},
		{"ZRANDMEMBER z -9223372036854775807", "-" + ErrReplyTooLarge + "|"},
		{"ZRANDMEMBER z 0", "*0|"},
		{"ZRANDMEMBER nokey", "$-1|"},
		{"ZRANDMEMBER nokey 3", "*0|"},
		{"ZRANDMEMBER z x", "-ERR value is not an integer or out of range|"},
		{"ZRANDMEMBER z -9223372036854775808", "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807|"},
		{"ZRANDMEMBER z 1 foo", "-ERR syntax error|"},
		{"ZRANDMEMBER z 1 WITHSCORES x", "-ERR syntax error|"},
		{"ZRANDMEMBER z 4611686018427387904 WITHSCORES", "-ERR value is out of range|"},
		{"ZRANDMEMBER z -4611686018427387904 WITHSCORES", "-ERR value is out of range|"},
	})
}

// TestZScanSkiplistCursor walks a skiplist-encoded set with a cursor
// while other members come and go: every member present throughout is
// returned, batches are about COUNT long, scores use %.17g.
func TestZScanSkiplistCursor(t *testing.T) {
	h := newHarness(t)
	args := []string{"ZADD", "z", "1e17", "big"}
	for i := range 300 {
		args = append(args, strconv.Itoa(i), fmt.Sprint("m", i))
	}
	h.do(args...)
	seen := map[string]string{}
	cursor, calls := "0", 0
	for {
		n := respParse(h.do("ZSCAN", "z", cursor, "COUNT", "10"))
		cursor = n.kids[0].bulks()[0]
		kv := n.kids[1].bulks()
		for i := 0; i < len(kv); i += 2 {
			seen[kv[i]] = kv[i+1]
		}
		calls++
		h.do("ZADD", "z", "5", fmt.Sprint("new", calls))
		h.do("ZREM", "z", fmt.Sprint("new", calls/2))
		if cursor == "0" {
			break
		}
	}
	for i := range 300 {
		if seen[fmt.Sprint("m", i)] != strconv.Itoa(i) {
			t.Fatalf("member m%d: got score %q", i, seen[fmt.Sprint("m", i)])
		}
	}
	if seen["big"] != "1e+17" {
		t.Errorf("skiplist ZSCAN score of 1e17 = %q, want %q", seen["big"], "1e+17")
	}
	if calls < 20 || calls > 40 {
		t.Errorf("%d calls for 300 members with COUNT 10", calls)
	}
	matched := respParse(h.do("ZSCAN", "z", "0", "MATCH", "m1?", "COUNT", "1000"))
	if got := matched.kids[1].bulks(); len(got) != 20 || matched.kids[0].bulks()[0] != "0" {
		t.Errorf("MATCH m1? over the whole set: %q", got)
	}
}

// TestZSetsCommandTable checks that every sorted-set command is registered
// and that write commands are exactly those Redis flags write.
func TestZSetsCommandTable(t *testing.T) {
	writes := []string{"zadd", "zincrby", "zrangestore", "zrem", "zremrangebyrank", "zremrangebyscore",
		"zremrangebylex", "zpopmin", "zpopmax", "zmpop", "zunionstore", "zinterstore", "zdiffstore"}
	table := DataTable()
	for _, c := range zsetCommands {
		if table.Lookup([]byte(c.Name)) != c {
			t.Errorf("%s: not registered", c.Name)
		}
		if want := slices.Contains(writes, c.Name); (c.Flags&Write != 0) != want || (c.Flags&Readonly != 0) == want {
			t.Errorf("%s: flags %v", c.Name, c.Flags.Names())
		}
	}
	if len(zsetCommands) != 32 {
		t.Errorf("%d sorted-set commands, want 32", len(zsetCommands))
	}
}

// TestZSetsEncodingFollowsRedis checks the tracked listpack/skiplist
// encoding (which decides ZSCAN's shape and -0) on the paths that set it.
func TestZSetsEncodingFollowsRedis(t *testing.T) {
	long := strings.Repeat("x", 65)
	h := newHarness(t)
	var many []string
	for i := range 129 {
		many = append(many, "1", fmt.Sprint("m", i))
	}
	for _, tc := range []struct {
		name     string
		cmds     [][]string
		key      string
		listpack bool
	}{
		{"small", [][]string{{"ZADD", "a", "1", "x"}}, "a", true},
		{"long member", [][]string{{"ZADD", "b", "1", long}}, "b", false},
		{"129 members", [][]string{append([]string{"ZADD", "c"}, many...)}, "c", false},
		{"no conversion back", [][]string{{"ZADD", "d", "1", long, "2", "y"}, {"ZREM", "d", long}}, "d", false},
		{"store of small", [][]string{{"ZUNIONSTORE", "e", "1", "d"}}, "e", true},
		{"store of large", [][]string{{"ZUNIONSTORE", "f", "1", "c"}}, "f", false},
		{"rangestore small", [][]string{{"ZRANGESTORE", "g", "c", "0", "9"}}, "g", true},
		{"rangestore rank > 128", [][]string{{"ZRANGESTORE", "i", "c", "0", "128"}}, "i", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, cmd := range tc.cmds {
				h.do(cmd...)
			}
			z := h.ks.Lookup(tc.key, h.now).Value.(*datatypes.ZSet)
			if z.Listpack() != tc.listpack {
				t.Errorf("Listpack() = %v, want %v", z.Listpack(), tc.listpack)
			}
		})
	}
}
