package main

// The differential test's command generator: random commands of every
// family over small shared pools, so keys change type, WRONGTYPE paths run,
// and reads hit what writes stored.

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// diffCmd is one command and how its two replies are compared.
type diffCmd struct {
	args []string
	mode diffMode
	seq  int // position in the stream; 0 for checkpoint reads
}

func cmdExact(args ...string) diffCmd  { return diffCmd{args: args, mode: cmpExact} }
func cmdSorted(args ...string) diffCmd { return diffCmd{args: args, mode: cmpSorted} }
func cmdPairs(args ...string) diffCmd  { return diffCmd{args: args, mode: cmpPairs} }
func cmdSign(args ...string) diffCmd   { return diffCmd{args: args, mode: cmpSign} }
func cmdShape(args ...string) diffCmd  { return diffCmd{args: args, mode: cmpShape} }
func cmdWalk(args ...string) diffCmd   { return diffCmd{args: args, mode: cmpScan} }

// genFunc makes one random command of one kind.
type genFunc func(g *diffGen) diffCmd

// diffFamily is a group of generators, how often the group is picked, and the
// keys it prefers (nil: any key).
type diffFamily struct {
	name   string
	weight int
	gens   []genFunc
	home   []string
}

// diffFamilies is every family in geetcache's command table. Each family's
// table lives in its own diff_gen_*_test.go file. A family picks one of its
// home keys most of the time (own: almost always for commands that create
// their key), so most commands find their own type and some find another
// family's.
func diffFamilies() []diffFamily {
	k := diffKeys
	return []diffFamily{
		{"strings", 5, stringGens, k[0:3]},
		{"keys", 4, keyGens, nil},
		{"bitmaps", 3, bitmapGens, k[1:3]},
		{"hyperloglog", 2, hllGens, k[3:4]},
		{"hashes", 4, hashGens, k[4:6]},
		{"sets", 4, setGens, k[6:8]},
		{"lists", 4, listGens, k[8:10]},
		{"zsets", 5, zsetGens, k[10:12]},
		{"streams", 4, streamGens, diffStreamKeys},
		{"cgroups", 3, cgroupGens, cgroupKeys},
		{"sort", 3, sortGens, nil},
		{"geo", 3, geoGens, k[10:12]},
		{"dump", 2, dumpGens, nil},
		{"hllraw", 2, hllRawGens, nil},
		{"errors", 1, errorGens, nil},
	}
}

// homeShare is how often a family picks one of its home keys.
const homeShare = 0.85

// Pools. Twelve keys shared by every family; members, fields and values
// small enough that reads hit what writes stored.
var (
	diffKeys    = []string{"k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "k10", "k11"}
	diffMembers = []string{"a", "b", "c", "d", "e", "f", "1", "2", "10", "-5", "", longValue}
	diffFields  = []string{"f1", "f2", "f3", "f4", "1", "x y"}
	diffValues  = []string{"v1", "v2", "", "0", "1", "-1", "42", "3.5", "1e2", "abc", "hello world",
		"9223372036854775807", "-9223372036854775808", "\x00\xff\r\n", "007", " 5", longValue}
	diffInts   = []string{"0", "1", "-1", "5", "-7", "100", "9223372036854775807", "-9223372036854775808", "abc", "1.5", ""}
	diffFloats = []string{"0", "1.5", "-0.25", "3", "1e3", "0.1", "-1.1e1", "5.0e3", "abc", "inf", "1e308", "-0", "10"}
)

// longValue is longer than Redis's 64-byte listpack value limit.
var longValue = strings.Repeat("long", 20)

// maxMembers is an upper bound on the members of any set, hash or zset
// the stream builds (the bulk generators add up to 700 distinct ones): a
// count at least this large takes them all.
const maxMembers = 1000

// allCount returns a count that takes every member.
func (g *diffGen) allCount() string { return g.num(maxMembers, maxMembers+40) }

// bulk returns n numbered strings from prefix0 to prefix699, for the
// generators that grow a collection past Redis's small encodings (listpack
// up to 128 entries, intset up to 512) so both representations are met.
func (g *diffGen) bulk(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = prefix + g.num(0, 699)
	}
	return out
}

// diffGen generates the stream. It tracks only what decides which commands
// are safe to compare, never the values themselves.
type diffGen struct {
	r   *rand.Rand
	seq int64 // commands generated so far; drives the relative TTL series
	// hll holds keys that may hold a HyperLogLog or bytes derived from one:
	// geetcache serializes HLLs in its own format (docs/hyperloglog.md), so
	// reading or editing their bytes differs from Redis by design.
	hll  map[string]bool
	home []string // the current family's home keys
	// multiDB is set once the stream used a database other than 0 (SELECT,
	// MOVE, SWAPDB, COPY ... DB): a key's name may then stand for keys of
	// several databases (and a connection may still be in another after
	// FLUSHALL), so clear keeps taints from then on.
	multiDB bool
}

func newDiffGen(r *rand.Rand) *diffGen { return &diffGen{r: r, hll: map[string]bool{}} }

// next returns one random command.
func (g *diffGen) next(fams []diffFamily) diffCmd {
	g.seq++
	total := 0
	for _, f := range fams {
		total += f.weight
	}
	n := g.r.IntN(total)
	for _, f := range fams {
		if n < f.weight {
			g.home = f.home
			return f.gens[g.r.IntN(len(f.gens))](g)
		}
		n -= f.weight
	}
	panic("unreachable")
}

func (g *diffGen) pick(pool []string) string { return pool[g.r.IntN(len(pool))] }
func (g *diffGen) chance(p float64) bool     { return g.r.Float64() < p }
func (g *diffGen) member() string            { return g.pick(diffMembers) }
func (g *diffGen) field() string             { return g.pick(diffFields) }
func (g *diffGen) value() string             { return g.pick(diffValues) }
func (g *diffGen) intArg() string            { return g.pick(diffInts) }
func (g *diffGen) floatArg() string          { return g.pick(diffFloats) }

// key returns a key of the pool, most often one of the family's own.
func (g *diffGen) key() string {
	if g.home != nil && g.chance(homeShare) {
		return g.pick(g.home)
	}
	return g.pick(diffKeys)
}

// own returns a key for a command that creates its key's type: almost
// always a home key, so the families' types stay on their own keys.
func (g *diffGen) own() string {
	if g.home != nil && g.chance(0.97) {
		return g.pick(g.home)
	}
	return g.pick(diffKeys)
}

// num returns an integer in [lo, hi] as a string.
func (g *diffGen) num(lo, hi int) string { return strconv.Itoa(lo + g.r.IntN(hi-lo+1)) }

// strKey returns a key that holds no HLL bytes, for commands that read or
// edit a string's bytes.
func (g *diffGen) strKey() string {
	for range 20 {
		if k := g.key(); !g.hll[k] {
			return k
		}
	}
	return "plain" // outside the pool, never an HLL
}

// some returns between lo and hi values from next.
func (g *diffGen) some(lo, hi int, next func() string) []string {
	out := make([]string, lo+g.r.IntN(hi-lo+1))
	for i := range out {
		out[i] = next()
	}
	return out
}

// taint marks key as possibly holding an HLL; clear marks keys as surely
// not (deleted or overwritten by a command that cannot fail).
func (g *diffGen) taint(key string) { g.hll[key] = true }

func (g *diffGen) clear(keys ...string) {
	if g.multiDB {
		return
	}
	for _, k := range keys {
		delete(g.hll, k)
	}
}

func (g *diffGen) copyTaint(src, dst string) {
	if g.hll[src] {
		g.hll[dst] = true
	}
}

// relSeconds returns a relative TTL in seconds from one of two series, one
// rising 10 s a command and one falling 10 s a command. Two relative
// expiries in one stream are never equal and differ by far more than the
// time between them, so EXPIRE ... GT/LT decides the same on both servers
// whatever their clocks read.
func (g *diffGen) relSeconds() int64 {
	if g.chance(0.5) {
		return 400_000_000 + 10*g.seq
	}
	return 300_000_000 - 10*g.seq
}

// absSeconds returns an absolute unix time: far in the future (beyond any
// relative TTL the stream sets) or, if past, sometimes in the past (the key
// is deleted).
func (g *diffGen) absSeconds(past bool) int64 {
	if past && g.chance(0.15) {
		return int64(1 + g.r.IntN(1000))
	}
	return 4_102_444_800 + 1000*int64(g.r.IntN(5))
}

func fmtInt(n int64) string { return strconv.FormatInt(n, 10) }

// expiryOpt returns SET/GETEX-style expiry arguments, or none. GETEX
// (persist) may get a time in the past: it deletes the key. SET never does:
// Redis 7.0 stores such a key and drops it only when it is next touched or
// its expiry cycle samples it, so DBSIZE would depend on timing.
func (g *diffGen) expiryOpt(persist bool) []string {
	switch g.r.IntN(7) {
	case 0:
		return []string{"EX", fmtInt(g.relSeconds())}
	case 1:
		return []string{"PX", fmtInt(1000 * g.relSeconds())}
	case 2:
		return []string{"EXAT", fmtInt(g.absSeconds(persist))}
	case 3:
		return []string{"PXAT", fmtInt(1000*g.absSeconds(persist) + 7)}
	case 4:
		if persist {
			return []string{"PERSIST"}
		}
		return []string{"KEEPTTL"}
	}
	return nil
}

// checkpoint reads every key of the pool in every type's way, so state
// that diverged silently shows up even when the stream never reads it.
func (g *diffGen) checkpoint() []diffCmd {
	var out []diffCmd
	for _, k := range append(append(append([]string{"plain"}, diffKeys...), diffLexKeys...), diffStreamKeys...) {
		out = append(out, cmdExact("TYPE", k), cmdSign("PTTL", k), cmdPairs("HGETALL", k),
			cmdSorted("SMEMBERS", k), cmdExact("LRANGE", k, "0", "-1"), cmdExact("ZRANGE", k, "0", "-1", "WITHSCORES"),
			cmdExact("XRANGE", k, "-", "+"))
		if g.hll[k] {
			out = append(out, cmdExact("PFCOUNT", k))
		} else {
			out = append(out, cmdExact("GET", k))
		}
	}
	return append(out, cmdSorted("KEYS", "*"), cmdExact("DBSIZE"))
}

// flushed forgets everything after FLUSHALL.
func (g *diffGen) flushed() { g.hll = map[string]bool{} }
