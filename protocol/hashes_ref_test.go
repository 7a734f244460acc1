package protocol

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestHashesSetsMatchRedis runs random hash and set commands on the harness
// and on a real redis-server and compares the replies: verbatim where Redis
// fixes the order, sorted where it does not, by shape and membership for
// random picks; SPOP runs here and its pops are replayed on Redis as SREM.
// The last quarter runs in RESP3. Set GEETCACHE_SEED to replay a run.
func TestHashesSetsMatchRedis(t *testing.T) {
	ref := startRedis(t)
	seed := testSeed(t)
	g := hsGen{rand.New(rand.NewPCG(seed, 0))}
	h := newHarness(t)
	d := hsDiff{t: t, h: h, ref: ref}
	const total = 12000
	mismatches := 0
	for i := range total {
		if i == total*3/4 {
			ref.do("HELLO", "3")
			h.proto = 3
		}
		if args := g.command(); !d.same(args) {
			if mismatches++; mismatches >= 10 {
				t.Fatalf("stopping after %d mismatches (seed %d)", mismatches, seed)
			}
		}
	}
	d.sameState()
	t.Logf("%d commands, %d mismatches", total, mismatches)
}

// hsDiff compares one command's replies and reports differences.
type hsDiff struct {
	t   *testing.T
	h   *harness
	ref *redisRef
}

// hsUnordered are the commands whose reply order Redis leaves unspecified.
var hsUnordered = map[string]bool{"hgetall": true, "hkeys": true, "hvals": true,
	"smembers": true, "sinter": true, "sunion": true, "sdiff": true}

func (d hsDiff) same(args []string) bool {
	d.t.Helper()
	switch name := strings.ToLower(args[0]); {
	case !d.h.table.Lookup([]byte(name)).ArityOK(len(args)):
		return d.equal(args, d.h.do(args...), d.ref.do(args...))
	case name == "spop":
		return d.spop(args)
	case name == "srandmember" || name == "hrandfield":
		return d.random(args)
	case name == "hscan" || name == "sscan":
		return d.scan(args)
	case hsUnordered[name]:
		return d.equal(args, respCanon(d.h.do(args...), name == "hgetall"),
			respCanon(d.ref.do(args...), name == "hgetall"))
	default:
		return d.equal(args, d.h.do(args...), d.ref.do(args...))
	}
}

func (d hsDiff) equal(args []string, got, want string) bool {
	d.t.Helper()
	if got != want {
		d.t.Errorf("%q\n got: %q\nwant: %q", args, got, want)
		return false
	}
	return true
}

// spop pops here; errors and empty replies must equal Redis's, which then
// changed nothing either. Real pops must be as many as Redis would pop,
// members of Redis's set, and are then removed there with SREM.
func (d hsDiff) spop(args []string) bool {
	d.t.Helper()
	card := respInt(d.ref.do("SCARD", args[1]))
	got := d.h.do(args...)
	n := respParse(got)
	if got[0] == '-' || got == "$-1\r\n" || got == "_\r\n" || (!n.scalar() && len(n.kids) == 0) {
		return d.equal(args, got, d.ref.do(args...))
	}
	popped := n.bulks()
	want := 1
	if len(args) == 3 {
		count, _ := strconv.Atoi(args[2])
		want = min(count, card)
		if hdr := setHeader(d.h.proto, want); n.head != hdr {
			d.t.Errorf("%q: header %q, want %q", args, n.head, hdr)
			return false
		}
	}
	if len(popped) != want || !d.refHasAll("SISMEMBER", args[1], popped) || hasDup(popped) {
		d.t.Errorf("%q: popped %q of %d (want %d distinct members)", args, popped, card, want)
		return false
	}
	d.ref.do(append([]string{"SREM", args[1]}, popped...)...)
	return true
}

func setHeader(proto, n int) string {
	if proto == 3 {
		return "~" + strconv.Itoa(n) + "\r\n"
	}
	return "*" + strconv.Itoa(n) + "\r\n"
}

// random compares SRANDMEMBER and HRANDFIELD replies by shape; a positive
// count covering the whole collection must give exactly its members, a
// positive count distinct ones, and every pick must be a member here.
func (d hsDiff) random(args []string) bool {
	d.t.Helper()
	got, want := d.h.do(args...), d.ref.do(args...)
	g, w := respParse(got), respParse(want)
	if w.scalar() && (w.head[0] != '$' || strings.HasPrefix(w.head, "$-1")) || g.shape() != w.shape() {
		return d.equal(args, got, want)
	}
	isSet := strings.EqualFold(args[0], "srandmember")
	withValues := !isSet && len(args) == 4
	picks := g.bulks()
	if isSet && !d.hasAll("SISMEMBER", args[1], picks) || !isSet && !d.hashPicksOK(args[1], picks, withValues) {
		d.t.Errorf("%q: picks %q not all members", args, picks)
		return false
	}
	if len(args) < 3 {
		return true
	}
	count, _ := strconv.ParseInt(args[2], 10, 64)
	if count > 0 && hasDup(g.fields(withValues)) {
		d.t.Errorf("%q: repeated picks %q", args, picks)
		return false
	}
	size := respInt(d.h.do(map[bool]string{true: "SCARD", false: "HLEN"}[isSet], args[1]))
	if count > 0 && count >= int64(size) {
		return d.equal(args, respCanon(got, withValues), respCanon(want, withValues))
	}
	return true
}

// hashPicksOK checks that every picked field exists here and, with
// values, carries its value.
func (d hsDiff) hashPicksOK(key string, picks []string, withValues bool) bool {
	if !withValues {
		return d.hasAll("HEXISTS", key, picks)
	}
	for i := 0; i+1 < len(picks); i += 2 {
		v := picks[i+1]
		if d.h.do("HGET", key, picks[i]) != "$"+strconv.Itoa(len(v))+"\r\n"+v+"\r\n" {
			return false
		}
	}
	return len(picks)%2 == 0
}

func (d hsDiff) hasAll(cmd, key string, members []string) bool {
	for _, m := range members {
		if d.h.do(cmd, key, m) != ":1\r\n" {
			return false
		}
	}
	return true
}

func (d hsDiff) refHasAll(cmd, key string, members []string) bool {
	for _, m := range members {
		if d.ref.do(cmd, key, m) != ":1\r\n" {
			return false
		}
	}
	return true
}

// scan compares the first reply when either side fails, and otherwise the
// union of a whole walk from 0 on each side.
func (d hsDiff) scan(args []string) bool {
	d.t.Helper()
	got, want := d.h.do(args...), d.ref.do(args...)
	if got[0] == '-' || want[0] == '-' {
		return d.equal(args, got, want)
	}
	pairs := strings.EqualFold(args[0], "hscan")
	return d.equal(args, walkAll(d.h.do, args, pairs), walkAll(d.ref.do, args, pairs))
}

// walkAll scans from cursor 0 to 0 with args' options and returns the
// sorted distinct elements (field/value pairs for HSCAN) it saw.
func walkAll(do func(...string) string, args []string, pairs bool) string {
	seen := map[string]bool{}
	cursor := "0"
	for range 100000 {
		call := append([]string{args[0], args[1], cursor}, args[3:]...)
		n := respParse(do(call...))
		cursor = n.kids[0].bulks()[0]
		for _, e := range n.kids[1].fields(pairs) {
			seen[e] = true
		}
		if cursor == "0" {
			break
		}
	}
	out := make([]string, 0, len(seen))
	for e := range seen {
		out = append(out, e)
	}
	slices.Sort(out)
	return strings.Join(out, "\n")
}

// sameState compares every key at the end, sorted.
func (d hsDiff) sameState() {
	d.t.Helper()
	for _, k := range hsAllKeys {
		d.same([]string{"TYPE", k})
		d.same([]string{"SMEMBERS", k})
		d.same([]string{"HGETALL", k})
	}
}

func hasDup(s []string) bool {
	seen := map[string]bool{}
	for _, e := range s {
		if seen[e] {
			return true
		}
		seen[e] = true
	}
	return false
}

func respInt(reply string) int {
	n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(reply, ":"), "\r\n"))
	return n
}

// respNode is one parsed RESP reply: its header (with the payload of a
// bulk string) and its elements.
type respNode struct {
	head string
	kids []respNode
}

// respParse parses one complete reply.
func respParse(s string) respNode {
	n, _ := respParseFrom(s)
	return n
}

func respParseFrom(s string) (respNode, string) {
	i := strings.Index(s, "\r\n") + 2
	line, rest := s[:i], s[i:]
	count, _ := strconv.Atoi(line[1 : len(line)-2])
	switch line[0] {
	case '$', '=':
		if count < 0 {
			return respNode{head: line}, rest
		}
		return respNode{head: line + rest[:count+2]}, rest[count+2:]
	case '*', '~', '%':
		if line[0] == '%' {
			count *= 2
		}
		n := respNode{head: line}
		for range count {
			var kid respNode
			kid, rest = respParseFrom(rest)
			n.kids = append(n.kids, kid)
		}
		return n, rest
	}
	return respNode{head: line}, rest
}

func (n respNode) scalar() bool { return !strings.ContainsAny(n.head[:1], "*~%") }

func (n respNode) String() string {
	var b strings.Builder
	b.WriteString(n.head)
	for _, k := range n.kids {
		b.WriteString(k.String())
	}
	return b.String()
}

// shape is the node's type and length with its elements' types.
func (n respNode) shape() string {
	s := n.head
	if n.head[0] == '$' && !strings.HasPrefix(n.head, "$-1") {
		s = "$"
	}
	for _, k := range n.kids {
		s += "," + k.shape()
	}
	return s
}

// bulks returns the payloads of every bulk string inside n, in order.
func (n respNode) bulks() []string {
	if n.head[0] == '$' {
		if strings.HasPrefix(n.head, "$-1") {
			return nil
		}
		body := n.head[strings.Index(n.head, "\r\n")+2:]
		return []string{body[:len(body)-2]}
	}
	var out []string
	for _, k := range n.kids {
		out = append(out, k.bulks()...)
	}
	return out
}

// fields returns n's bulks one by one, or joined in pairs.
func (n respNode) fields(pairs bool) []string {
	b := n.bulks()
	if !pairs {
		return b
	}
	var out []string
	for i := 0; i+1 < len(b); i += 2 {
		out = append(out, b[i]+"\x00"+b[i+1])
	}
	return out
}

// respCanon sorts an aggregate reply's elements (pairs of them when pairs
// is set and the elements are flat), keeping the header.
func respCanon(reply string, pairs bool) string {
	n := respParse(reply)
	if n.scalar() {
		return reply
	}
	var elems []string
	step := 1
	if pairs && len(n.kids) > 0 && n.kids[0].scalar() {
		step = 2
	}
	for i := 0; i+step <= len(n.kids); i += step {
		var b strings.Builder
		for _, k := range n.kids[i : i+step] {
			b.WriteString(k.String())
		}
		elems = append(elems, b.String())
	}
	slices.Sort(elems)
	return n.head + strings.Join(elems, "")
}

// hsGen makes random hash and set commands over small key and member
// pools: mostly valid, sometimes wrong-typed, malformed or out of range.
type hsGen struct{ r *rand.Rand }

var (
	hsHashKeys = []string{"h0", "h1", "h2"}
	hsSetKeys  = []string{"s0", "s1", "s2", "s3"}
	hsAllKeys  = []string{"h0", "h1", "h2", "s0", "s1", "s2", "s3", "str", "none"}
	hsValues   = []string{"0", "1", "-3", "100", "9223372036854775807", "-9223372036854775808",
		"1.5", "-0.25", "3e2", "abc", "", " 1", "007", "0x10", "inf"}
	hsIncrs      = []string{"1", "-1", "5", "100", "x", "1.5", "", "9223372036854775807", "-9223372036854775808"}
	hsFloatIncrs = []string{"1.5", "-0.1", "0.1", "2", "1e3", "x", "inf", "-inf", "nan", "3.0e-2", "", "0x10", "-7"}
	hsCounts     = []string{"0", "1", "2", "3", "5", "-1", "-3", "-20", "17", "100", "x", "",
		"-9223372036854775808", "9223372036854775807", "4611686018427387904"}
	hsPatterns = []string{"*", "a*", "f1*", "*[a-c]*", "?", "[0-9]*", "x"}
)

func (g hsGen) pick(s []string) string { return s[g.r.IntN(len(s))] }

// key returns a key of the family's type most of the time, any key else.
func (g hsGen) key(family []string) string {
	if g.r.IntN(8) == 0 {
		return g.pick(hsAllKeys)
	}
	return g.pick(family)
}

// member is mostly from a small pool (so sets overlap), sometimes from a
// larger one (so they grow past the small encoding).
func (g hsGen) member() string {
	switch g.r.IntN(8) {
	case 0, 1:
		return strconv.Itoa(g.r.IntN(12) - 2)
	case 2:
		return "m" + strconv.Itoa(g.r.IntN(200))
	}
	return string(rune('a' + g.r.IntN(26)))
}

func (g hsGen) field() string { return "f" + strconv.Itoa(g.r.IntN(30)) }

func (g hsGen) repeat(n int, f func() string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = f()
	}
	return out
}

func (g hsGen) command() []string {
	var args []string
	if g.r.IntN(2) == 0 {
		args = g.hashCommand()
	} else {
		args = g.setCommand()
	}
	switch g.r.IntN(40) {
	case 0:
		args = args[:len(args)-1]
	case 1:
		args = append(args, g.pick(hsValues))
	}
	return args
}

func (g hsGen) hashCommand() []string {
	k := g.key(hsHashKeys)
	switch g.r.IntN(17) {
	case 0, 1:
		return append([]string{g.pick([]string{"HSET", "HMSET"}), k}, g.pairs(1+g.r.IntN(8))...)
	case 2:
		return []string{"HSETNX", k, g.field(), g.pick(hsValues)}
	case 3:
		return []string{"HGET", k, g.field()}
	case 4:
		return append([]string{"HMGET", k}, g.repeat(1+g.r.IntN(4), g.field)...)
	case 5:
		return append([]string{"HDEL", k}, g.repeat(1+g.r.IntN(4), g.field)...)
	case 6:
		return []string{g.pick([]string{"HLEN", "HGETALL", "HKEYS", "HVALS"}), k}
	case 7:
		return []string{g.pick([]string{"HEXISTS", "HSTRLEN"}), k, g.field()}
	case 8, 9:
		return []string{"HINCRBY", k, g.field(), g.pick(hsIncrs)}
	case 10, 11:
		return []string{"HINCRBYFLOAT", k, g.field(), g.pick(hsFloatIncrs)}
	case 12, 13:
		return g.randomArgs("HRANDFIELD", k, "WITHVALUES")
	case 14:
		return g.scanArgs("HSCAN", k)
	case 15:
		return []string{"DEL", k}
	default:
		return []string{"SET", "str", g.pick(hsValues)}
	}
}

func (g hsGen) pairs(n int) []string {
	var out []string
	for range n {
		out = append(out, g.field(), g.pick(hsValues))
	}
	return out
}

// randomArgs makes HRANDFIELD or SRANDMEMBER arguments; huge negative
// counts are left out, Redis would build their replies.
func (g hsGen) randomArgs(cmd, k, option string) []string {
	args := []string{cmd, k}
	if g.r.IntN(4) == 0 {
		return args
	}
	args = append(args, g.pick(hsCounts))
	if option != "" && g.r.IntN(2) == 0 {
		args = append(args, g.pick([]string{option, strings.ToLower(option), "foo"}))
	}
	return args
}

func (g hsGen) scanArgs(cmd, k string) []string {
	args := []string{cmd, k, g.pick([]string{"0", "0", "0", "x", "-1", "5", ""})}
	for range g.r.IntN(3) {
		switch g.r.IntN(6) {
		case 0, 1:
			args = append(args, "MATCH", g.pick(hsPatterns))
		case 2, 3:
			args = append(args, "COUNT", g.pick([]string{"1", "3", "10", "100", "0", "x"}))
		case 4:
			args = append(args, g.pick([]string{"TYPE", "NOVALUES", "count"}), "set")
		default:
			args = append(args, "MATCH")
		}
	}
	return args
}

func (g hsGen) setCommand() []string {
	k := g.key(hsSetKeys)
	switch g.r.IntN(20) {
	case 0, 1, 2:
		return append([]string{"SADD", k}, g.repeat(1+g.r.IntN(20), g.member)...)
	case 3:
		return append([]string{"SREM", k}, g.repeat(1+g.r.IntN(8), g.member)...)
	case 4:
		return []string{g.pick([]string{"SMEMBERS", "SCARD"}), k}
	case 5:
		return []string{"SISMEMBER", k, g.member()}
	case 6:
		return append([]string{"SMISMEMBER", k}, g.repeat(1+g.r.IntN(4), g.member)...)
	case 7:
		return g.spopArgs(k)
	case 8, 9:
		return g.randomArgs("SRANDMEMBER", k, "")
	case 10:
		return []string{"SMOVE", k, g.key(hsSetKeys), g.member()}
	case 11, 12:
		return append([]string{g.pick([]string{"SINTER", "SUNION", "SDIFF"})}, g.repeat(1+g.r.IntN(3), func() string { return g.key(hsSetKeys) })...)
	case 13, 14:
		return append([]string{g.pick([]string{"SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"}), g.key(hsSetKeys)},
			g.repeat(1+g.r.IntN(3), func() string { return g.key(hsSetKeys) })...)
	case 15, 16:
		return g.sintercardArgs()
	case 17:
		return g.scanArgs("SSCAN", k)
	case 18:
		return []string{"DEL", k}
	default:
		return []string{"SET", "str", "v"}
	}
}

func (g hsGen) spopArgs(k string) []string {
	if g.r.IntN(3) == 0 {
		return []string{"SPOP", k}
	}
	return []string{"SPOP", k, g.pick([]string{"0", "1", "2", "5", "30", "-1", "x"})}
}

func (g hsGen) sintercardArgs() []string {
	n := 1 + g.r.IntN(3)
	numkeys := strconv.Itoa(n)
	if g.r.IntN(8) == 0 {
		numkeys = g.pick([]string{"0", "-1", "x", "5"})
	}
	args := append([]string{"SINTERCARD", numkeys}, g.repeat(n, func() string { return g.key(hsSetKeys) })...)
	if g.r.IntN(2) == 0 {
		args = append(args, g.pick([]string{"LIMIT", "limit", "FOO"}), g.pick([]string{"0", "1", "2", "-1", "x"}))
	}
	return args
}

// TestHashSetCommandsTable checks each hash and set command's table row
// against the reference's COMMAND INFO (arity, flags, key positions) and
// COMMAND DOCS (summary, since, group).
func TestHashSetCommandsTable(t *testing.T) {
	ref := startRedis(t)
	for _, cmd := range append(slices.Clone(hashCommands), setCommands...) {
		t.Run(cmd.Name, func(t *testing.T) {
			want := commandInfoPrefix(cmd)
			if cmd.KeyCount > 0 {
				// COMMAND INFO derives movablekeys from the key count.
				want = strings.Replace(want, "*1\r\n+readonly\r\n", "*2\r\n+readonly\r\n+movablekeys\r\n", 1)
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
