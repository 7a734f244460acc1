package protocol

import (
	"math/rand/v2"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/geetcache/geetcache/datatypes"
)

// TestStreamGroupsMatchRedis runs a random mix of consumer-group commands
// (XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM, XINFO) on the
// harness and on a real redis-server and compares the replies byte for
// byte, with times masked (idle times, delivery and seen times: Redis
// takes them from its clock, the harness from the entry's). Minimum idle
// times are 0 or far above any idle time, so that what is claimed does
// not depend on either clock. Entries are added and deleted on both sides
// (the harness's directly in the keyspace). The last quarter runs in
// RESP3. Set GEETCACHE_SEED to replay a run.
func TestStreamGroupsMatchRedis(t *testing.T) {
	ref := startRedis(t)
	seed := testSeed(t)
	g := &cgGen{r: rand.New(rand.NewPCG(seed, 0))}
	d := &cgDiff{t: t, h: newHarness(t), ref: ref}
	d.same("SET", "str", "v")
	const total = 6000
	mismatches := 0
	for i := range total {
		if i == total*3/4 {
			ref.do("HELLO", "3")
			d.h.proto = 3
		}
		d.h.advance(1)
		var ok bool
		switch n := g.r.IntN(100); {
		case n < 12:
			ok = d.addEntry(g.key(), g)
		case n < 15:
			ok = d.delEntry(g.key(), g)
		case n < 16 && g.r.IntN(4) == 0:
			ok = d.same("DEL", g.key())
		default:
			ok = d.same(g.command()...)
		}
		if !ok {
			if mismatches++; mismatches >= 10 {
				t.Fatalf("stopping after %d mismatches (seed %d)", mismatches, seed)
			}
		}
	}
}

// cgDiff runs commands on both sides.
type cgDiff struct {
	t   *testing.T
	h   *harness
	ref *redisRef
	ms  uint64 // the last entry ID's ms part
}

// timeFields masks what depends on a clock: the idle of XPENDING's
// entries and XINFO CONSUMERS, delivery and seen times of XINFO FULL.
var timeFields = []*regexp.Regexp{
	regexp.MustCompile(`(\*4\r\n\$\d+\r\n\d+-\d+\r\n\$\d+\r\n[^\r]*\r\n):-?\d+`),
	regexp.MustCompile(`(\*3\r\n\$\d+\r\n\d+-\d+\r\n):-?\d+`),
	regexp.MustCompile(`((?:idle|seen-time)\r\n):-?\d+`),
}

func maskTimes(s string) string {
	for _, re := range timeFields {
		s = re.ReplaceAllString(s, "${1}:T")
	}
	return s
}

func (d *cgDiff) same(args ...string) bool {
	d.t.Helper()
	got, want := maskTimes(d.h.do(args...)), maskTimes(d.ref.do(args...))
	if os.Getenv("CG_TRACE") != "" {
		d.t.Logf("%q -> %q", args, want)
	}
	if got != want {
		d.t.Errorf("%q\n got: %q\nwant: %q", args, got, want)
		return false
	}
	return true
}

// addEntry appends an entry with the next ID to key on both sides when
// key is a stream or missing.
func (d *cgDiff) addEntry(key string, g *cgGen) bool {
	d.ms += uint64(1 + g.r.IntN(3))
	id := datatypes.StreamID{Ms: d.ms}
	field, value := "f"+strconv.Itoa(g.r.IntN(3)), strconv.Itoa(g.r.IntN(100))
	reply := d.ref.do("XADD", key, id.String(), field, value)
	if strings.HasPrefix(reply, "-") {
		return true
	}
	e := d.h.ks.Lookup(key, d.h.now)
	if e == nil {
		d.h.ks.Set(key, datatypes.NewStream(), 0)
		e = d.h.ks.Lookup(key, d.h.now)
	}
	e = d.h.ks.Mutable(e)
	e.Value.(*datatypes.Stream).Append(id, [][]byte{[]byte(field), []byte(value)}, datatypes.DefaultStreamNodeLimits)
	return true
}

// delEntry deletes a random recent ID on both sides (XDEL).
func (d *cgDiff) delEntry(key string, g *cgGen) bool {
	if d.ms == 0 {
		return true
	}
	id := datatypes.StreamID{Ms: d.ms - uint64(g.r.IntN(int(min(d.ms, 20))))}
	reply := d.ref.do("XDEL", key, id.String())
	if reply != ":1\r\n" {
		return true
	}
	e := d.h.ks.Mutable(d.h.ks.Lookup(key, d.h.now))
	if !e.Value.(*datatypes.Stream).Delete(id) {
		d.t.Errorf("XDEL %s %s: redis deleted it, the harness had no such entry", key, id)
		return false
	}
	return true
}

// cgGen makes random consumer-group commands over a few keys, groups and
// consumers.
type cgGen struct{ r *rand.Rand }

func (g *cgGen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }
func (g *cgGen) key() string              { return g.pick("s1", "s2", "s1", "str", "nokey") }
func (g *cgGen) group() string            { return g.pick("g1", "g2", "g1", "g2", "g1", "nog") }
func (g *cgGen) consumer() string         { return g.pick("alice", "bob", "carol") }
func (g *cgGen) count() string            { return g.pick("0", "1", "2", "3", "10", "-1", "x") }

// id is a plausible entry ID, or a special or bad one now and then.
func (g *cgGen) id() string {
	if g.r.IntN(12) == 0 {
		return g.pick("-", "+", "$", ">", "bad", "0", "18446744073709551615-18446744073709551615")
	}
	return strconv.Itoa(g.r.IntN(80)) + "-" + g.pick("0", "0", "1")
}

func (g *cgGen) minIdle() string {
	return g.pick("0", "0", "0", "100000000000", "0", "0", "100000000000", "-5", "x")
}

func (g *cgGen) command() []string {
	k, gr := g.key(), g.group()
	switch g.r.IntN(15) {
	case 0, 1:
		return g.xgroup(k, gr)
	case 2, 3, 4:
		return g.xreadgroup(gr)
	case 5, 6:
		ids := []string{"XACK", k, gr}
		for range 1 + g.r.IntN(4) {
			ids = append(ids, g.id())
		}
		return ids
	case 7, 8:
		return g.xpending(k, gr)
	case 9, 10:
		return g.xclaim(k, gr)
	case 11, 12:
		args := []string{"XAUTOCLAIM", k, gr, g.consumer(), g.minIdle(), g.pick("0", "-", "(0-0", g.id())}
		if g.r.IntN(2) == 0 {
			args = append(args, "COUNT", g.pick("1", "2", "5", "0", "x"))
		}
		if g.r.IntN(3) == 0 {
			args = append(args, "JUSTID")
		}
		return args
	default:
		return g.xinfo(k, gr)
	}
}

func (g *cgGen) xgroup(k, gr string) []string {
	switch g.r.IntN(10) {
	case 0, 1, 6, 7, 8:
		args := []string{"XGROUP", "CREATE", k, gr, g.pick("$", "0", g.id())}
		if g.r.IntN(2) == 0 {
			args = append(args, "MKSTREAM")
		}
		if g.r.IntN(4) == 0 {
			args = append(args, "ENTRIESREAD", g.pick("0", "3", "-1", "-2", "x"))
		}
		return args
	case 2:
		args := []string{"XGROUP", "SETID", k, gr, g.pick("$", "0", "-", g.id())}
		if g.r.IntN(3) == 0 {
			args = append(args, "ENTRIESREAD", g.pick("0", "2", "-1"))
		}
		return args
	case 3:
		if g.r.IntN(3) > 0 {
			return []string{"XGROUP", "CREATECONSUMER", k, gr, g.consumer()}
		}
		return []string{"XGROUP", "DESTROY", k, gr}
	case 4:
		return []string{"XGROUP", "CREATECONSUMER", k, gr, g.consumer()}
	}
	return []string{"XGROUP", "DELCONSUMER", k, gr, g.consumer()}
}

func (g *cgGen) xreadgroup(gr string) []string {
	args := []string{"XREADGROUP", "GROUP", gr, g.consumer()}
	if g.r.IntN(2) == 0 {
		args = append(args, "COUNT", g.count())
	}
	if g.r.IntN(4) == 0 {
		args = append(args, "NOACK")
	}
	keys := []string{g.key()}
	if g.r.IntN(4) == 0 {
		keys = append(keys, g.key())
	}
	args = append(args, "STREAMS")
	args = append(args, keys...)
	for range keys {
		if g.r.IntN(3) == 0 {
			args = append(args, g.id())
		} else {
			args = append(args, ">")
		}
	}
	return args
}

func (g *cgGen) xpending(k, gr string) []string {
	args := []string{"XPENDING", k, gr}
	if g.r.IntN(3) == 0 {
		return args
	}
	if g.r.IntN(3) == 0 {
		args = append(args, "IDLE", g.minIdle())
	}
	args = append(args, g.pick("-", "(0-0", g.id()), g.pick("+", g.id(), "(70-0"), g.count())
	if g.r.IntN(3) == 0 {
		args = append(args, g.consumer())
	}
	return args
}

func (g *cgGen) xclaim(k, gr string) []string {
	args := []string{"XCLAIM", k, gr, g.consumer(), g.minIdle()}
	for range 1 + g.r.IntN(3) {
		args = append(args, g.id())
	}
	for range g.r.IntN(3) {
		switch g.r.IntN(7) {
		case 0:
			args = append(args, "JUSTID")
		case 1:
			args = append(args, "FORCE")
		case 2:
			args = append(args, "RETRYCOUNT", g.pick("0", "5", "x"))
		case 3:
			args = append(args, "LASTID", g.id())
		case 4:
			args = append(args, "IDLE", g.pick("10", "-1", "x"))
		case 5:
			args = append(args, "TIME", "1")
		default:
			args = append(args, g.pick("BOGUS", "IDLE"))
		}
	}
	return args
}

func (g *cgGen) xinfo(k, gr string) []string {
	switch g.r.IntN(5) {
	case 0:
		return []string{"XINFO", "GROUPS", k}
	case 1:
		return []string{"XINFO", "CONSUMERS", k, gr}
	case 2:
		return []string{"XINFO", "STREAM", k, "FULL", "COUNT", g.pick("0", "1", "3", "-1")}
	case 3:
		return []string{"XINFO", "STREAM", k, "FULL"}
	}
	return []string{"XINFO", "STREAM", k}
}

// TestStreamRadixNodesMatchRedis compares XINFO STREAM (radix-tree-keys
// and -nodes included) with Redis's while a stream grows to many nodes,
// with IDs far apart and close, and loses entries and whole nodes.
func TestStreamRadixNodesMatchRedis(t *testing.T) {
	ref := startRedis(t)
	r := rand.New(rand.NewPCG(testSeed(t), 0))
	d := &cgDiff{t: t, h: newHarness(t), ref: ref}
	g := &cgGen{r: r}
	var ids []datatypes.StreamID
	for i := range 3000 {
		if r.IntN(10) == 0 {
			d.ms += uint64(r.Int64N(1 << 40)) // far apart: the keys part early
		}
		d.addEntry("big", g)
		ids = append(ids, datatypes.StreamID{Ms: d.ms})
		if r.IntN(4) == 0 {
			id := ids[r.IntN(len(ids))]
			if d.ref.do("XDEL", "big", id.String()) == ":1\r\n" {
				e := d.h.ks.Mutable(d.h.ks.Lookup("big", d.h.now))
				e.Value.(*datatypes.Stream).Delete(id)
			}
		}
		if i%100 == 99 && !d.same("XINFO", "STREAM", "big") {
			t.Fatalf("after %d entries", i+1)
		}
	}
}
