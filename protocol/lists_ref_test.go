package protocol

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/geetcache/geetcache/datatypes"
)

// TestListCasesMatchRedis replays every table case of lists_test.go on a
// real redis-server, so the expected replies are Redis's own.
func TestListCasesMatchRedis(t *testing.T) {
	ref := startRedis(t)
	tables := [][]listCase{listPushCases, listPopCases, listIndexCases, listEditCases,
		listPosCases, listMoveCases, listMpopCases}
	for _, cases := range tables {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				ref.do("FLUSHALL")
				ref.do("HELLO", strconv.Itoa(max(tc.proto, 2)))
				ref.do("SET", "s", "v")
				for _, c := range tc.cmds {
					want := strings.ReplaceAll(c[1], "|", "\r\n")
					if got := ref.do(strings.Fields(c[0])...); got != want {
						t.Errorf("%s\nredis: %q\n case: %q", c[0], got, want)
					}
				}
			})
		}
	}
}

// TestListsMatchRedis runs the same random stream of list commands on the
// harness and on a real redis-server and compares the raw replies; list
// replies have no unspecified order, so every reply must be identical. The
// last quarter runs in RESP3. Set GEETCACHE_SEED to replay a run.
func TestListsMatchRedis(t *testing.T) {
	ref := startRedis(t)
	seed := testSeed(t)
	g := listGen{rand.New(rand.NewPCG(seed, 0))}
	h := newHarness(t)
	const total = 20000
	mismatches, longest := 0, 0
	for i := range total {
		if i == total*3/4 {
			ref.do("HELLO", "3")
			h.proto = 3
		}
		if !sameReply(t, h, ref, g.command()) {
			if mismatches++; mismatches >= 10 {
				t.Fatalf("stopping after %d mismatches (seed %d)", mismatches, seed)
			}
		}
		longest = max(longest, g.longest(h))
	}
	for _, k := range lgAllKeys {
		sameReply(t, h, ref, []string{"TYPE", k})
		sameReply(t, h, ref, []string{"LRANGE", k, "0", "-1"})
	}
	t.Logf("%d commands, %d mismatches, longest list %d", total, mismatches, longest)
}

// TestListReplicasAgree applies the same random list commands to two
// harnesses, as two replicas apply one log, and restores one of them from a
// snapshot of itself every so often (which repacks its lists' chunks).
// Every reply must be identical and the digests must agree at the end. Set
// GEETCACHE_SEED to replay a run.
func TestListReplicasAgree(t *testing.T) {
	seed := testSeed(t)
	r := rand.New(rand.NewPCG(seed, 1))
	g := listGen{rand.New(rand.NewPCG(seed, 0))}
	a, b := newHarness(t), newHarness(t)
	for i := range 20000 {
		args := g.command()
		if ra, rb := a.do(args...), b.do(args...); ra != rb {
			t.Fatalf("command %d %q: replicas differ\n a: %q\n b: %q", i, args, ra, rb)
		}
		switch r.IntN(300) {
		case 0:
			b.ks = restored(t, b.ks)
		case 1:
			a.ks.Freeze() // later writes copy the shared values first
		}
	}
	if da, db := a.ks.Digest(), b.ks.Digest(); da != db {
		t.Fatalf("digests differ: %s %s", da, db)
	}
}

// listGen makes random list commands over a few keys: mostly valid,
// sometimes wrong-typed, malformed or out of range, with lists long enough
// to span several chunks and the odd element larger than a chunk.
type listGen struct{ r *rand.Rand }

var (
	lgListKeys = []string{"l0", "l1", "l2"}
	lgAllKeys  = []string{"l0", "l1", "l2", "s", "none"}
	lgElems    = []string{"a", "b", "c", "d", "e", "1", "2", "-1", "", "a b"}
	lgBadInts  = []string{"x", "", "9223372036854775807", "-9223372036854775808",
		"9223372036854775808", "-0", "+1", "01", "1.5", " 1"}
	lgWheres = []string{"LEFT", "RIGHT", "left", "Right"}
)

func (g listGen) pick(s []string) string { return s[g.r.IntN(len(s))] }

// longest returns the length of the longest list on the harness.
func (g listGen) longest(h *harness) int {
	n := 0
	for _, k := range lgListKeys {
		if e := h.ks.Lookup(k, h.now); e != nil {
			if l, ok := e.Value.(*datatypes.List); ok {
				n = max(n, l.Len())
			}
		}
	}
	return n
}

// where is LEFT or RIGHT in some case, rarely neither.
func (g listGen) where() string {
	if g.r.IntN(15) == 0 {
		return "up"
	}
	return g.pick(lgWheres)
}

func (g listGen) key() string {
	if g.r.IntN(10) == 0 {
		return g.pick(lgAllKeys)
	}
	return g.pick(lgListKeys)
}

func (g listGen) elem() string {
	switch g.r.IntN(100) {
	case 0:
		return strings.Repeat(string(rune('A'+g.r.IntN(3))), 3000+g.r.IntN(7000))
	case 1, 2, 3, 4, 5, 6, 7, 8, 9, 10:
		return "m" + strconv.Itoa(g.r.IntN(300))
	}
	return g.pick(lgElems)
}

func (g listGen) elems(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = g.elem()
	}
	return out
}

// index is mostly near either end, sometimes deep or out of range,
// sometimes malformed.
func (g listGen) index() string {
	switch g.r.IntN(20) {
	case 0:
		return g.pick(lgBadInts)
	case 1, 2, 3:
		return strconv.Itoa(g.r.IntN(800) - 400)
	}
	return strconv.Itoa(g.r.IntN(21) - 10)
}

func (g listGen) count() string {
	if g.r.IntN(12) == 0 {
		return g.pick(lgBadInts)
	}
	return strconv.Itoa(g.r.IntN(12) - 1)
}

func (g listGen) command() []string {
	args := g.listCommand()
	switch g.r.IntN(60) {
	case 0:
		args = args[:len(args)-1]
	case 1:
		args = append(args, g.elem())
	}
	return args
}

func (g listGen) listCommand() []string {
	k := g.key()
	switch g.r.IntN(24) {
	case 0, 1, 2, 3:
		return append([]string{g.pick([]string{"LPUSH", "RPUSH"}), k}, g.elems(g.pushSize())...)
	case 4:
		return append([]string{g.pick([]string{"LPUSHX", "RPUSHX"}), k}, g.elems(1+g.r.IntN(3))...)
	case 5, 6:
		return g.popArgs(k)
	case 7:
		return []string{"LLEN", k}
	case 8, 9:
		return []string{"LRANGE", k, g.index(), g.pick([]string{"-1", "-1", g.index()})}
	case 10:
		return []string{"LINDEX", k, g.index()}
	case 11:
		return []string{"LSET", k, g.index(), g.elem()}
	case 12:
		return []string{"LREM", k, g.count(), g.elem()}
	case 13:
		return []string{"LTRIM", k, g.index(), strconv.Itoa(g.r.IntN(300) - 5)}
	case 14:
		return []string{"LINSERT", k, g.pick([]string{"BEFORE", "after", "middle"}), g.elem(), g.elem()}
	case 15, 16:
		return g.lposArgs(k)
	case 17:
		return []string{"LMOVE", k, g.key(), g.where(), g.where()}
	case 18:
		return []string{"RPOPLPUSH", k, g.key()}
	case 19, 20:
		return g.lmpopArgs()
	case 21:
		return []string{"DEL", k}
	case 22:
		return []string{"SET", g.pick([]string{"s", "s", "s", "s", "l2"}), "v"}
	default:
		return []string{"EXISTS", k}
	}
}

// pushSize is mostly small, sometimes large enough to fill chunks.
func (g listGen) pushSize() int {
	if g.r.IntN(5) == 0 {
		return 20 + g.r.IntN(150)
	}
	return 1 + g.r.IntN(5)
}

func (g listGen) popArgs(k string) []string {
	args := []string{g.pick([]string{"LPOP", "RPOP"}), k}
	if g.r.IntN(2) == 0 {
		args = append(args, g.count())
	}
	return args
}

func (g listGen) lposArgs(k string) []string {
	args := []string{"LPOS", k, g.elem()}
	for range g.r.IntN(4) {
		switch g.r.IntN(7) {
		case 0, 1:
			args = append(args, "RANK", g.pick([]string{"1", "2", "-1", "-2", "3", "1", "-1", "2",
				"-9223372036854775808", "9223372036854775807", "0", "x"}))
		case 2, 3:
			args = append(args, "COUNT", g.pick([]string{"0", "1", "2", "5", "0", "1", "2", "-1", "x"}))
		case 4, 5:
			args = append(args, "maxlen", g.pick([]string{"0", "1", "3", "50", "0", "5", "-1", "x"}))
		default:
			if g.r.IntN(3) == 0 {
				args = append(args, g.pick([]string{"FOO", "RANK", "COUNT"}))
			}
		}
	}
	return args
}

func (g listGen) lmpopArgs() []string {
	n := 1 + g.r.IntN(3)
	numkeys := strconv.Itoa(n)
	if g.r.IntN(10) == 0 {
		numkeys = g.pick([]string{"0", "-1", "x", "4", "9223372036854775807"})
	}
	args := []string{"LMPOP", numkeys}
	for range n {
		args = append(args, g.key())
	}
	args = append(args, g.where())
	if g.r.IntN(2) == 0 {
		args = append(args, g.pick([]string{"COUNT", "count", "FOO"}), g.pick([]string{"1", "2", "10", "0", "-1", "x"}))
	}
	return args
}

// TestListCommandsTable checks each list command's table row against the
// reference's COMMAND INFO (arity, flags, key positions) and COMMAND DOCS
// (summary, since, group).
func TestListCommandsTable(t *testing.T) {
	ref := startRedis(t)
	for _, cmd := range listCommands {
		t.Run(cmd.Name, func(t *testing.T) {
			want := commandInfoPrefix(cmd)
			if cmd.KeyCount > 0 {
				// COMMAND INFO derives movablekeys from the key count.
				want = strings.Replace(want, "*1\r\n+write\r\n", "*2\r\n+write\r\n+movablekeys\r\n", 1)
			}
			if info := ref.do("COMMAND", "INFO", cmd.Name); !strings.HasPrefix(info, want) {
				t.Errorf("COMMAND INFO\n got: %q\nwant prefix: %q", info, want)
			}
			docs := ref.do("COMMAND", "DOCS", cmd.Name)
			for _, field := range [][2]string{{"summary", cmd.Summary}, {"since", cmd.Since}, {"group", cmd.Group}} {
				if want := bulk(field[0]) + bulk(field[1]); !strings.Contains(docs, want) {
					t.Errorf("COMMAND DOCS lacks %q", want)
				}
			}
		})
	}
}
