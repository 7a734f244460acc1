package protocol

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/geetcache/geetcache/datatypes"
)

// TestZSetsMatchRedis runs a random stream of sorted-set commands on the
// harness and on a real redis-server and compares the replies byte for
// byte, except ZRANDMEMBER (compared by shape and membership) and ZSCAN of
// a skiplist-encoded set (compared as the union of a whole walk, since
// Redis's order follows its hash seed). After each write the harness's
// idea of each key's encoding must match OBJECT ENCODING. The last quarter
// runs in RESP3. Set GEETCACHE_SEED to replay a run.
func TestZSetsMatchRedis(t *testing.T) {
	ref := startRedis(t)
	seed := testSeed(t)
	g := zGen{rand.New(rand.NewPCG(seed, 0))}
	d := zDiff{t: t, h: newHarness(t), ref: ref}
	d.same([]string{"SET", "str", "v"})
	d.same([]string{"SADD", "s0", "a", "b", "c", "1", "m5"})
	const total = 15000
	mismatches := 0
	for i := range total {
		if i == total*3/4 {
			ref.do("HELLO", "3")
			d.h.proto = 3
		}
		args := g.command()
		write := d.h.table.Lookup([]byte(args[0])).Flags&Write != 0
		if !d.same(args) || write && !d.sameEncodings(args) {
			if mismatches++; mismatches >= 10 {
				t.Fatalf("stopping after %d mismatches (seed %d)", mismatches, seed)
			}
		}
	}
	for _, k := range zAllKeys {
		d.same([]string{"TYPE", k})
		d.same([]string{"ZRANGE", k, "0", "-1", "WITHSCORES"})
	}
	t.Logf("%d commands, %d mismatches", total, mismatches)
}

// zDiff compares one command's replies and reports differences.
type zDiff struct {
	t   *testing.T
	h   *harness
	ref *redisRef
}

func (d zDiff) same(args []string) bool {
	d.t.Helper()
	switch name := strings.ToLower(args[0]); {
	case name == "zrandmember":
		return d.random(args)
	case name == "zscan":
		return d.scan(args)
	default:
		return d.equal(args, d.h.do(args...), d.ref.do(args...))
	}
}

func (d zDiff) equal(args []string, got, want string) bool {
	d.t.Helper()
	if got != want {
		d.t.Errorf("%q\n got: %q\nwant: %q", args, got, want)
		return false
	}
	return true
}

// sameEncodings checks that every sorted set's tracked encoding is the
// one Redis reports, after args ran.
func (d zDiff) sameEncodings(args []string) bool {
	d.t.Helper()
	for _, k := range zAllKeys {
		e := d.h.ks.Lookup(k, d.h.now)
		if e == nil {
			continue
		}
		z, ok := e.Value.(*datatypes.ZSet)
		if !ok {
			continue
		}
		want := strings.Contains(d.ref.do("OBJECT", "ENCODING", k), "listpack")
		if z.Listpack() != want {
			d.t.Errorf("after %q: %s listpack = %v, Redis says %v", args, k, z.Listpack(), want)
			return false
		}
	}
	return true
}

// random checks ZRANDMEMBER's reply shape; every pick must be a member
// with its score, distinct for a positive count, all of them in rank
// order when the count covers the set.
func (d zDiff) random(args []string) bool {
	d.t.Helper()
	got, want := d.h.do(args...), d.ref.do(args...)
	g, w := respParse(got), respParse(want)
	if zshape(g) != zshape(w) || got[0] == '-' || got[0] == '_' || strings.HasPrefix(got, "$-1") {
		return d.equal(args, got, want)
	}
	if g.scalar() {
		return d.picksOK(args, zscalars(g), false)
	}
	withScores := len(args) == 4
	count, _ := strconv.ParseInt(args[2], 10, 64)
	if count > 0 && count >= int64(respInt(d.h.do("ZCARD", args[1]))) {
		return d.equal(args, got, want)
	}
	picks := zscalars(g)
	var members []string
	for i := 0; i < len(picks); i++ {
		members = append(members, picks[i])
		if withScores {
			i++
		}
	}
	if count > 0 && hasDup(members) {
		d.t.Errorf("%q: repeated picks %q", args, picks)
		return false
	}
	return d.picksOK(args, picks, withScores)
}

// zshape is a reply's shape: aggregate headers and scalar types only.
func zshape(n respNode) string {
	if n.scalar() {
		return n.head[:1]
	}
	s := n.head
	for _, k := range n.kids {
		s += "," + zshape(k)
	}
	return s
}

// zscalars returns the text of every scalar inside n, in order: bulk
// payloads, doubles, integers.
func zscalars(n respNode) []string {
	if !n.scalar() {
		var out []string
		for _, k := range n.kids {
			out = append(out, zscalars(k)...)
		}
		return out
	}
	if n.head[0] == '$' {
		return n.bulks()
	}
	return []string{strings.TrimSuffix(n.head[1:], "\r\n")}
}

// picksOK reports whether every pick is a member (followed by its score
// when withScores).
func (d zDiff) picksOK(args, picks []string, withScores bool) bool {
	d.t.Helper()
	step := 1
	if withScores {
		step = 2
	}
	for i := 0; i+step <= len(picks); i += step {
		score := zscalars(respParse(d.h.do("ZSCORE", args[1], picks[i])))
		if len(score) == 0 || withScores && score[0] != picks[i+1] {
			d.t.Errorf("%q: pick %q is not a member with its score", args, picks[i:i+step])
			return false
		}
	}
	return true
}

// scan compares ZSCAN exactly for a listpack-encoded set (Redis returns it
// whole) and as the union of a whole walk otherwise.
func (d zDiff) scan(args []string) bool {
	d.t.Helper()
	got, want := d.h.do(args...), d.ref.do(args...)
	if got[0] == '-' || want[0] == '-' || strings.Contains(d.ref.do("OBJECT", "ENCODING", args[1]), "listpack") {
		return d.equal(args, got, want)
	}
	return d.equal(args, walkAll(d.h.do, args, true), walkAll(d.ref.do, args, true))
}

// zGen makes random sorted-set commands over small key and member pools:
// mostly valid, sometimes wrong-typed, malformed or out of range. The key
// "zl" only ever holds members scored 0, for the lex commands, whose
// results Redis leaves unspecified when scores differ; the lex commands
// also read "nokey", never written, and "str", which stays a string.
type zGen struct{ r *rand.Rand }

var (
	zKeys    = []string{"z0", "z1", "z2", "z3"}
	zAnyKeys = []string{"z0", "z1", "z2", "z3", "d0", "d1", "s0", "str", "none"} // all but zl
	zAllKeys = append([]string{"zl"}, zAnyKeys...)
	zScores  = []string{"0", "1", "2", "-3", "7", "1.5", "-0.25", "100", "-0", "inf", "-inf", "+inf",
		"1e17", "0x10", "3e2", "4611686018427387904", "x", "", " 1", "nan", "1e400"}
	zBounds = []string{"-inf", "+inf", "0", "1", "(1", "2", "(2", "-3", "(-inf", "7", "(7", "100",
		"1.5", "(1.5", "inf", "x", "(", "", "nan", "(x"}
	zLexBounds = []string{"-", "+", "[a", "(a", "[c", "(c", "[m1", "(m5", "[z", "[", "(", "a", "", "+x"}
	zInts      = []string{"0", "1", "2", "-1", "-2", "3", "10", "-100", "100", "x", "",
		"9223372036854775807", "-9223372036854775808"}
	zCounts = []string{"0", "1", "2", "3", "5", "-1", "-3", "-20", "17", "200", "x", "",
		"-9223372036854775808", "9223372036854775807", "4611686018427387904"}
	zWeights  = []string{"1", "2", "-1", "0.5", "0", "1", "inf", "3", "x"}
	zPatterns = []string{"*", "a*", "m1*", "*[a-c]*", "?", "[0-9]*", "x"}
)

func (g zGen) pick(s []string) string { return s[g.r.IntN(len(s))] }

// key is mostly a sorted set, sometimes any key but zl.
func (g zGen) key() string {
	if g.r.IntN(10) == 0 {
		return g.pick(zAnyKeys)
	}
	return g.pick(zKeys)
}

// member is mostly from a small pool (so sets overlap), sometimes from a
// larger one (so sets grow past 128 members), rarely longer than 64 bytes.
func (g zGen) member() string {
	switch g.r.IntN(20) {
	case 0:
		return strings.Repeat("L", 60+g.r.IntN(10))
	case 1, 2, 3, 4, 5, 6:
		return "m" + strconv.Itoa(g.r.IntN(300))
	case 7, 8:
		return strconv.Itoa(g.r.IntN(12) - 2)
	}
	return string(rune('a' + g.r.IntN(26)))
}

func (g zGen) score() string {
	if g.r.IntN(3) == 0 {
		return g.pick(zScores)
	}
	return strconv.Itoa(g.r.IntN(20) - 5)
}

// opts appends each option with probability 1/2, in random order.
func (g zGen) opts(args []string, opts ...[]string) []string { return g.optsP(2, args, opts...) }

// optsP appends each option with probability 1/n, in random order.
func (g zGen) optsP(n int, args []string, opts ...[]string) []string {
	g.r.Shuffle(len(opts), func(i, j int) { opts[i], opts[j] = opts[j], opts[i] })
	for _, o := range opts {
		if g.r.IntN(n) == 0 {
			args = append(args, o...)
		}
	}
	return args
}

func (g zGen) limit() []string { return []string{"LIMIT", g.pick(zInts), g.pick(zInts)} }

func (g zGen) command() []string {
	switch n := g.r.IntN(100); {
	case n < 25:
		return g.write()
	case n < 45:
		return g.rangeCmd()
	case n < 55:
		return g.lex()
	case n < 70:
		return g.algebra()
	case n < 85:
		return g.read()
	default:
		return g.removal()
	}
}

func (g zGen) write() []string {
	switch g.r.IntN(6) {
	case 0:
		return []string{"ZINCRBY", g.key(), g.score(), g.member()}
	case 1:
		return []string{"ZADD", "zl", "0", g.member()}
	case 2:
		return g.bulkAdd()
	}
	args := g.optsP(5, []string{"ZADD", g.key()}, []string{"NX"}, []string{"XX"}, []string{"GT"},
		[]string{"LT"}, []string{"CH"}, []string{"INCR"})
	for range 1 + g.r.IntN(4) {
		args = append(args, g.score(), g.member())
	}
	if g.r.IntN(30) == 0 {
		args = args[:len(args)-1]
	}
	return args
}

// bulkAdd adds many members at once, so sets grow past 128 members.
func (g zGen) bulkAdd() []string {
	args := []string{"ZADD", g.pick(zKeys)}
	for range 10 + g.r.IntN(40) {
		args = append(args, strconv.Itoa(g.r.IntN(1000)-500), "m"+strconv.Itoa(g.r.IntN(300)))
	}
	return args
}

func (g zGen) rangeCmd() []string {
	k := g.key()
	switch g.r.IntN(7) {
	case 0:
		return g.opts([]string{"ZRANGE", k, g.pick(zInts), g.pick(zInts)}, []string{"REV"}, []string{"WITHSCORES"})
	case 1:
		return g.opts([]string{"ZRANGE", k, g.pick(zBounds), g.pick(zBounds), "BYSCORE"},
			[]string{"REV"}, []string{"WITHSCORES"}, g.limit())
	case 2:
		return g.opts([]string{"ZREVRANGE", k, g.pick(zInts), g.pick(zInts)}, []string{"WITHSCORES"})
	case 3:
		return g.opts([]string{"ZRANGEBYSCORE", k, g.pick(zBounds), g.pick(zBounds)}, []string{"WITHSCORES"}, g.limit())
	case 4:
		return g.opts([]string{"ZREVRANGEBYSCORE", k, g.pick(zBounds), g.pick(zBounds)}, []string{"WITHSCORES"}, g.limit())
	case 5:
		return []string{"ZCOUNT", k, g.pick(zBounds), g.pick(zBounds)}
	}
	by := g.pick([]string{"BYSCORE", "BYLEX", "", "REV"})
	args := []string{"ZRANGESTORE", g.pick([]string{"d0", "d1", "z3"}), k, g.pick(zInts), g.pick(zInts)}
	if by == "BYSCORE" {
		args[3], args[4] = g.pick(zBounds), g.pick(zBounds)
	}
	if by != "" && by != "BYLEX" {
		args = append(args, by)
	}
	return g.opts(args, []string{"REV"}, g.limit())
}

func (g zGen) lex() []string {
	k := g.pick([]string{"zl", "zl", "zl", "nokey", "str"})
	min, max := g.pick(zLexBounds), g.pick(zLexBounds)
	switch g.r.IntN(6) {
	case 0:
		return g.opts([]string{"ZRANGEBYLEX", k, min, max}, g.limit())
	case 1:
		return g.opts([]string{"ZREVRANGEBYLEX", k, min, max}, g.limit())
	case 2:
		return g.opts([]string{"ZRANGE", k, min, max, "BYLEX"}, []string{"REV"}, g.limit(), []string{"WITHSCORES"})
	case 3:
		return []string{"ZLEXCOUNT", k, min, max}
	case 4:
		return []string{"ZREMRANGEBYLEX", k, min, max}
	}
	return g.opts([]string{"ZRANGESTORE", "d0", k, min, max, "BYLEX"}, []string{"REV"}, g.limit())
}

func (g zGen) algebra() []string {
	name := g.pick([]string{"ZUNION", "ZINTER", "ZDIFF", "ZINTERCARD", "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"})
	args := []string{name}
	if strings.HasSuffix(name, "STORE") {
		args = append(args, g.pick([]string{"d0", "d1", "z2"}))
	}
	n := 1 + g.r.IntN(3)
	args = append(args, strconv.Itoa(n))
	if g.r.IntN(30) == 0 {
		args[len(args)-1] = g.pick([]string{"0", "-1", "x", "9"})
	}
	for range n {
		args = append(args, g.pick([]string{"z0", "z1", "z2", "z3", "z0", "z1", "s0", "none", "zl", "str"}))
	}
	weights := []string{"WEIGHTS"}
	for range n {
		weights = append(weights, g.pick(zWeights))
	}
	aggregate := []string{"AGGREGATE", g.pick([]string{"SUM", "MIN", "MAX", "sum", "avg"})}
	limit := []string{"LIMIT", g.pick(zCounts)}
	switch {
	case g.r.IntN(10) == 0: // anything goes
		return g.opts(args, weights, aggregate, []string{"WITHSCORES"}, limit)
	case name == "ZINTERCARD":
		return g.opts(args, limit)
	case name == "ZDIFF":
		return g.opts(args, []string{"WITHSCORES"})
	case name == "ZDIFFSTORE":
		return args
	case strings.HasSuffix(name, "STORE"):
		return g.opts(args, weights, aggregate)
	}
	return g.opts(args, weights, aggregate, []string{"WITHSCORES"})
}

func (g zGen) read() []string {
	k := g.key()
	switch g.r.IntN(8) {
	case 0:
		return []string{"ZSCORE", k, g.member()}
	case 1:
		return []string{"ZMSCORE", k, g.member(), g.member(), g.member()}
	case 2:
		return []string{"ZCARD", k}
	case 3:
		return []string{g.pick([]string{"ZRANK", "ZREVRANK"}), k, g.member()}
	case 4, 5:
		args := []string{"ZRANDMEMBER", k}
		if g.r.IntN(4) > 0 {
			args = g.opts(append(args, g.pick(zCounts)), []string{"WITHSCORES"})
		}
		return args
	}
	return g.opts([]string{"ZSCAN", k, "0"}, []string{"MATCH", g.pick(zPatterns)},
		[]string{"COUNT", g.pick([]string{"1", "5", "100", "0", "x"})})
}

func (g zGen) removal() []string {
	k := g.key()
	switch g.r.IntN(8) {
	case 0, 1:
		return []string{"ZREM", k, g.member(), g.member()}
	case 2:
		return []string{"ZREMRANGEBYRANK", k, g.pick(zInts), g.pick(zInts)}
	case 3:
		return []string{"ZREMRANGEBYSCORE", k, g.pick(zBounds), g.pick(zBounds)}
	case 4, 5:
		args := []string{g.pick([]string{"ZPOPMIN", "ZPOPMAX"}), k}
		if g.r.IntN(2) == 0 {
			args = append(args, g.pick(zCounts))
		}
		return args
	}
	args := []string{"ZMPOP", "2", k, g.key(), g.pick([]string{"MIN", "MAX", "max", "foo"})}
	return g.opts(args, []string{"COUNT", g.pick(zCounts)})
}
