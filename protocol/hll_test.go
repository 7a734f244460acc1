package protocol

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/geetcache/geetcache/datatypes"
)

// hllTestList is a value of another type, for WRONGTYPE.
type hllTestList struct{}

func (hllTestList) Kind() datatypes.Kind          { return datatypes.KindList }
func (hllTestList) Clone() datatypes.Value        { return hllTestList{} }
func (hllTestList) AppendEncoded(b []byte) []byte { return append(b, 'L') }

// Redis blobs (the "HYLL" format, which geetcache also accepts) for the
// error paths: header text, cached cardinality (top bit set = stale), body.
func redisHLL(enc byte, card string, body string) string {
	return "HYLL" + string(enc) + "\x00\x00\x00" + card + body
}

const (
	hllStale = "\x00\x00\x00\x00\x00\x00\x00\x80"
	hllCard5 = "\x05\x00\x00\x00\x00\x00\x00\x00"
)

var (
	hllEmptySparse = redisHLL(1, hllStale, "\x7f\xff")
	hllNoBody      = redisHLL(1, hllStale, "")
	hllCachedBad   = redisHLL(1, hllCard5, "")
	hllTooLong     = redisHLL(1, hllStale, "\x7f\xff\x7f\xff")
	hllDenseShort  = redisHLL(0, hllStale, string(make([]byte, 12287)))
	hllBadEncoding = redisHLL(2, hllStale, "\x7f\xff")
)

// hllCase is one command with the reply Redis 7.0.15 gives (RESP2, "\r\n"
// written as "|"). Arguments are a slice so values may hold spaces.
type hllCase struct {
	args []string
	want string
}

// hllCases are command sequences checked on the harness and, when a
// redis-server is available, against it too.
var hllCases = []struct {
	name  string
	cases []hllCase
}{
	{"pfadd and pfcount", []hllCase{
		{[]string{"PFADD", "h", "a", "b", "c"}, ":1|"},
		{[]string{"PFADD", "h", "a"}, ":0|"},
		{[]string{"PFADD", "h"}, ":0|"},
		{[]string{"PFCOUNT", "h"}, ":3|"},
		{[]string{"PFADD", "new"}, ":1|"},
		{[]string{"PFADD", "new"}, ":0|"},
		{[]string{"PFCOUNT", "new"}, ":0|"},
		{[]string{"PFCOUNT", "nokey"}, ":0|"},
		{[]string{"PFCOUNT", "nokey", "nokey2"}, ":0|"},
		{[]string{"PFCOUNT", "h", "new", "nokey"}, ":3|"},
		{[]string{"PFADD", "h2", "c", "d"}, ":1|"},
		{[]string{"PFCOUNT", "h", "h2"}, ":4|"},
		{[]string{"TYPE", "h"}, "+string|"},
	}},
	{"pfmerge", []hllCase{
		{[]string{"PFADD", "a", "1", "2", "3"}, ":1|"},
		{[]string{"PFADD", "b", "3", "4"}, ":1|"},
		{[]string{"PFMERGE", "m", "a", "b", "missing"}, "+OK|"},
		{[]string{"PFCOUNT", "m"}, ":4|"},
		{[]string{"PFMERGE", "a", "b"}, "+OK|"},
		{[]string{"PFCOUNT", "a"}, ":4|"},
		{[]string{"PFMERGE", "a"}, "+OK|"},
		{[]string{"PFMERGE", "a", "a"}, "+OK|"},
		{[]string{"PFCOUNT", "a"}, ":4|"},
		{[]string{"PFMERGE", "empty"}, "+OK|"},
		{[]string{"PFCOUNT", "empty"}, ":0|"},
		{[]string{"EXISTS", "empty"}, ":1|"},
	}},
	{"not an hll", []hllCase{
		{[]string{"SET", "s", "hello"}, "+OK|"},
		{[]string{"PFADD", "s", "x"}, "-" + ErrNotHLL + "|"},
		{[]string{"PFADD", "s"}, "-" + ErrNotHLL + "|"},
		{[]string{"PFCOUNT", "s"}, "-" + ErrNotHLL + "|"},
		{[]string{"PFCOUNT", "nokey", "s"}, "-" + ErrNotHLL + "|"},
		{[]string{"PFMERGE", "s"}, "-" + ErrNotHLL + "|"},
		{[]string{"PFMERGE", "d", "s"}, "-" + ErrNotHLL + "|"},
		{[]string{"EXISTS", "d"}, ":0|"},
		{[]string{"SET", "s", hllDenseShort}, "+OK|"},
		{[]string{"PFCOUNT", "s"}, "-" + ErrNotHLL + "|"},
		{[]string{"SET", "s", hllBadEncoding}, "+OK|"},
		{[]string{"PFCOUNT", "s"}, "-" + ErrNotHLL + "|"},
		{[]string{"SET", "s", "HYL"}, "+OK|"},
		{[]string{"PFADD", "s", "a"}, "-" + ErrNotHLL + "|"},
	}},
	{"corrupt body", []hllCase{
		{[]string{"SET", "c", hllNoBody}, "+OK|"},
		{[]string{"PFCOUNT", "c"}, "-" + ErrHLLCorrupt + "|"},
		{[]string{"PFCOUNT", "c", "c"}, "-" + ErrHLLCorrupt + "|"},
		{[]string{"PFADD", "c", "a"}, "-" + ErrHLLCorrupt + "|"},
		{[]string{"PFADD", "c"}, ":0|"}, // no element: only the header is checked
		{[]string{"PFMERGE", "x", "c"}, "-" + ErrHLLCorrupt + "|"},
		{[]string{"EXISTS", "x"}, ":0|"},
		{[]string{"SET", "c", hllTooLong}, "+OK|"},
		{[]string{"PFCOUNT", "c"}, "-" + ErrHLLCorrupt + "|"},
		{[]string{"SET", "c", hllCachedBad}, "+OK|"},
		{[]string{"PFCOUNT", "c"}, ":5|"}, // the valid cache is trusted
		{[]string{"PFCOUNT", "c", "c"}, "-" + ErrHLLCorrupt + "|"},
	}},
	{"redis blobs", []hllCase{
		{[]string{"SET", "r", hllEmptySparse}, "+OK|"},
		{[]string{"PFCOUNT", "r"}, ":0|"},
		{[]string{"PFADD", "r", "a", "b"}, ":1|"},
		{[]string{"PFCOUNT", "r"}, ":2|"},
		{[]string{"SET", "r", redisHLL(1, hllCard5, "\x7f\xff")}, "+OK|"},
		{[]string{"PFADD", "r", "a", "b"}, ":1|"},
		{[]string{"PFCOUNT", "r"}, ":2|"},
	}},
	{"copy and rename", []hllCase{
		{[]string{"PFADD", "a", "x", "y", "z"}, ":1|"},
		{[]string{"COPY", "a", "b"}, ":1|"},
		{[]string{"PFADD", "b", "w"}, ":1|"},
		{[]string{"PFCOUNT", "a"}, ":3|"},
		{[]string{"PFCOUNT", "b"}, ":4|"},
		{[]string{"RENAME", "b", "c"}, "+OK|"},
		{[]string{"PFCOUNT", "c"}, ":4|"},
		{[]string{"PFADD", "c", "w"}, ":0|"},
		{[]string{"PFCOUNT", "a", "c"}, ":4|"},
	}},
	{"hllserverd mapping", []hllCase{ // docs/hyperloglog.md
		{[]string{"PFADD", "k"}, ":1|"},
		{[]string{"EXPIRE", "k", "1234"}, ":1|"},
		{[]string{"PFADD", "k", "v1", "v2"}, ":1|"},
		{[]string{"PFCOUNT", "k"}, ":2|"},
		{[]string{"TTL", "k"}, ":1234|"},
		{[]string{"EXPIRE", "k", "10000"}, ":1|"},
		{[]string{"PERSIST", "k"}, ":1|"},
		{[]string{"DEL", "k"}, ":1|"},
		{[]string{"PFCOUNT", "k"}, ":0|"},
	}},
	{"wrong type", []hllCase{
		{[]string{"PFADD", "list", "a"}, "-" + ErrWrongType + "|"},
		{[]string{"PFCOUNT", "list"}, "-" + ErrWrongType + "|"},
		{[]string{"PFCOUNT", "nokey", "list"}, "-" + ErrWrongType + "|"},
		{[]string{"PFMERGE", "list"}, "-" + ErrWrongType + "|"},
		{[]string{"PFMERGE", "x", "list"}, "-" + ErrWrongType + "|"},
	}},
	{"arity", []hllCase{
		{[]string{"PFADD"}, "-ERR wrong number of arguments for 'pfadd' command|"},
		{[]string{"PFCOUNT"}, "-ERR wrong number of arguments for 'pfcount' command|"},
		{[]string{"PFMERGE"}, "-ERR wrong number of arguments for 'pfmerge' command|"},
	}},
}

func TestHLLCommands(t *testing.T) {
	for _, group := range hllCases {
		t.Run(group.name, func(t *testing.T) {
			h := newHarness(t)
			h.ks.Set("list", hllTestList{}, 0)
			for _, tc := range group.cases {
				want := bytes.ReplaceAll([]byte(tc.want), []byte("|"), []byte("\r\n"))
				if cmd := h.table.Lookup([]byte(tc.args[0])); cmd == nil {
					continue // TYPE and EXISTS come from other families
				}
				if got := h.do(tc.args...); got != string(want) {
					t.Errorf("%q\n got: %q\nwant: %q", tc.args, got, want)
				}
			}
		})
	}
}

// TestHLLCommandsAgainstRedis replays hllCases on a real redis-server and
// checks the replies recorded above are Redis's.
func TestHLLCommandsAgainstRedis(t *testing.T) {
	ref := startRedis(t)
	for _, group := range hllCases {
		ref.do("FLUSHALL")
		ref.do("RPUSH", "list", "a")
		for _, tc := range group.cases {
			want := string(bytes.ReplaceAll([]byte(tc.want), []byte("|"), []byte("\r\n")))
			if got := ref.do(tc.args...); got != want {
				t.Errorf("%s: redis %q\n got: %q\nwant: %q", group.name, tc.args, got, want)
			}
		}
	}
}

func TestHLLGetSetRoundTrip(t *testing.T) {
	h := newHarness(t)
	h.do("PFADD", "src", "a", "b", "c")
	blob := h.do("GET", "src")
	val := blob[bytes.IndexByte([]byte(blob), '\n')+1 : len(blob)-2]
	if got := h.do("SET", "dst", val); got != "+OK\r\n" {
		t.Fatalf("SET: %q", got)
	}
	h.check([][2]string{
		{"PFCOUNT dst", ":3|"},
		{"PFADD dst a", ":0|"},
		{"PFADD dst d", ":1|"},
		{"PFCOUNT dst", ":4|"},
		{"PFCOUNT src dst", ":4|"},
		{"PFMERGE src dst", "+OK|"},
		{"PFCOUNT src", ":4|"},
	})
	if _, ok := h.ks.Lookup("dst", h.now).Value.(*datatypes.HLL); !ok {
		t.Error("PFADD that changed a register should store an HLL value")
	}
}

// PFCOUNT runs on the read path: it must leave the keyspace untouched,
// whether the key holds an HLL value or a blob set by SET.
func TestHLLCountDoesNotWrite(t *testing.T) {
	h := newHarness(t)
	h.do("PFADD", "h", "a", "b")
	h.do("SET", "s", redisHLL(1, hllStale, "\x7f\xff"))
	before := h.ks.Digest()
	for _, args := range [][]string{{"PFCOUNT", "h"}, {"PFCOUNT", "s"}, {"PFCOUNT", "h", "s"}} {
		h.do(args...)
	}
	if after := h.ks.Digest(); after != before {
		t.Errorf("PFCOUNT changed the keyspace")
	}
	if _, ok := datatypes.PlainBytes(h.ks.Lookup("s", h.now).Value); !ok {
		t.Error("PFCOUNT converted a string value")
	}
}

func TestHLLWritesKeepTTL(t *testing.T) {
	h := newHarness(t)
	at := h.now + 60_000
	h.do("PFADD", "h", "a")
	h.do("SET", "s", redisHLL(1, hllStale, "\x7f\xff"))
	for _, key := range []string{"h", "s"} {
		h.ks.SetExpire(h.ks.Lookup(key, h.now), at)
	}
	h.do("PFADD", "h", "b")
	h.do("PFADD", "s", "b")
	h.do("PFMERGE", "h", "s")
	for _, key := range []string{"h", "s"} {
		if e := h.ks.Lookup(key, h.now); e == nil || e.ExpireAt != at {
			t.Errorf("%s lost its TTL", key)
		}
	}
}

// A frozen snapshot shares values with the live keyspace: PFADD and
// PFMERGE must copy before writing.
func TestHLLCopyOnWrite(t *testing.T) {
	h := newHarness(t)
	h.do("PFADD", "h", "a")
	frozen := h.ks.Freeze()
	want := frozen.Lookup("h", h.now).Value.(*datatypes.HLL).Bytes()
	h.do("PFADD", "h", "b", "c")
	h.do("PFMERGE", "h", "h")
	if got := frozen.Lookup("h", h.now).Value.(*datatypes.HLL).Bytes(); !bytes.Equal(got, want) {
		t.Error("the frozen snapshot saw a later PFADD")
	}
	if h.do("PFCOUNT", "h") != ":3\r\n" {
		t.Error("the live keyspace lost the PFADD")
	}
}

// String commands on an HLL turn it into a plain string; the HLL commands
// then judge the edited bytes as Redis would: a broken header is not an
// HLL, a sparse body with trailing bytes is corrupt.
func TestHLLAfterStringEdits(t *testing.T) {
	h := newHarness(t)
	h.do("PFADD", "h1", "a")
	h.do("PFADD", "h2", "a")
	h.check([][2]string{
		// Redis's sparse string: 16-byte header, XZERO, VAL, XZERO
		{"SETRANGE h1 0 X", ":21|"},
		{"PFCOUNT h1", "-" + ErrNotHLL + "|"},
		{"PFADD h1 b", "-" + ErrNotHLL + "|"},
		{"GETRANGE h2 0 3", "$4|HYLL|"},
		{"APPEND h2 x", ":22|"},
		{"PFCOUNT h2", "-" + ErrHLLCorrupt + "|"},
		{"PFMERGE h3 h2", "-" + ErrHLLCorrupt + "|"},
	})
}

// The snapshot encoding keeps every form: sparse and dense HLL values and
// HLL blobs stored as plain strings.
func TestHLLSnapshotRoundTrip(t *testing.T) {
	h := newHarness(t)
	h.do("PFADD", "sparse", "a", "b")
	dense := []string{"PFADD", "dense"}
	for i := range 5000 {
		dense = append(dense, strconv.Itoa(i))
	}
	h.do(dense...)
	h.do("SET", "blob", hllEmptySparse)
	var buf bytes.Buffer
	if _, err := h.ks.WriteTo(&buf); err != nil {
		t.Fatalf("WriteTo: %v", err)
	}
	ks, err := datatypes.ReadKeyspace(&buf)
	if err != nil {
		t.Fatalf("ReadKeyspace: %v", err)
	}
	if ks.Digest() != h.ks.Digest() {
		t.Error("digest changed by a snapshot round trip")
	}
	want := h.do("PFCOUNT", "sparse", "dense", "blob")
	h.ks, h.dbs = ks, datatypes.Single(ks, datatypes.DefaultDatabases)
	if got := h.do("PFCOUNT", "sparse", "dense", "blob"); got != want {
		t.Errorf("PFCOUNT after restore = %q, want %q", got, want)
	}
}

// A snapshot is persisted while the FSM keeps writing (run with -race).
func TestHLLSnapshotWhileWriting(t *testing.T) {
	h := newHarness(t)
	for i := range 3000 {
		h.do("PFADD", "h", strconv.Itoa(i))
	}
	h.do("PFADD", "s", "x")
	frozen := h.ks.Freeze()
	want := frozen.Digest()
	done := make(chan string)
	go func() {
		var buf bytes.Buffer
		frozen.WriteTo(&buf)
		done <- frozen.Digest()
	}()
	for i := range 200 {
		h.do("PFADD", "h", "more"+strconv.Itoa(i))
		h.do("PFADD", "s", "more"+strconv.Itoa(i))
		h.do("PFMERGE", "s", "h")
	}
	if got := <-done; got != want {
		t.Error("the frozen keyspace changed while it was written")
	}
}

// pipeline sends every command to the reference at once, then reads the
// replies in order.
func (ref *redisRef) pipeline(cmds [][]string) []string {
	ref.t.Helper()
	_ = ref.conn.SetDeadline(time.Now().Add(60 * time.Second))
	sent := make(chan error, 1)
	go func() {
		for _, args := range cmds {
			ref.w.Write(appendCommand(nil, args))
		}
		sent <- ref.w.Flush()
	}()
	defer func() {
		if err := <-sent; err != nil {
			ref.t.Errorf("redis pipeline: %v", err)
		}
	}()
	replies := make([]string, len(cmds))
	for i := range cmds {
		reply, err := readRESP(ref.r)
		if err != nil {
			ref.t.Fatalf("redis pipeline: %v", err)
		}
		replies[i] = reply
	}
	return replies
}

// hllStream returns n distinct elements for a seed: text for even seeds,
// random binary for odd ones.
func hllStream(seed uint64, n int) []string {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	elems := make([]string, n)
	for i := range elems {
		if seed%2 == 0 {
			elems[i] = fmt.Sprintf("user:%d:%d", seed, i)
			continue
		}
		var b [12]byte
		for j := range b {
			b[j] = byte(r.Uint32())
		}
		elems[i] = string(b[:]) + strconv.Itoa(i)
	}
	return elems
}

// hllFill adds elems to key on both sides, pipelined in PFADDs of batch
// elements, and checks every PFADD reply matches.
func hllFill(t *testing.T, h *harness, ref *redisRef, key string, elems []string, batch int) {
	t.Helper()
	var cmds [][]string
	for i := 0; i < len(elems); i += batch {
		cmds = append(cmds, append([]string{"PFADD", key}, elems[i:min(i+batch, len(elems))]...))
	}
	replies := ref.pipeline(cmds)
	for i, args := range cmds {
		if got := h.do(args...); got != replies[i] {
			t.Fatalf("%s batch %d: PFADD got %q, redis %q", key, i, got, replies[i])
		}
	}
}

// TestHLLEqualsRedis adds the same streams to Redis and to geetcache and
// compares PFCOUNT, multi-key PFCOUNT and PFMERGE exactly.
func TestHLLEqualsRedis(t *testing.T) {
	ref := startRedis(t)
	h := newHarness(t)
	sizes := []int{10, 100, 1000, 10000, 100000}
	seeds := []uint64{1, 2, 3}
	for _, n := range sizes {
		var keys []string
		for _, seed := range seeds {
			key := fmt.Sprintf("hll:%d:%d", n, seed)
			hllFill(t, h, ref, key, hllStream(seed, n), 500)
			sameReply(t, h, ref, []string{"PFCOUNT", key})
			keys = append(keys, key)
		}
		sameReply(t, h, ref, append([]string{"PFCOUNT"}, keys...))
		dest := fmt.Sprintf("merged:%d", n)
		sameReply(t, h, ref, append([]string{"PFMERGE", dest}, keys...))
		sameReply(t, h, ref, []string{"PFCOUNT", dest})
		sameReply(t, h, ref, []string{"PFMERGE", keys[0], "hll:10:1", dest})
		sameReply(t, h, ref, []string{"PFCOUNT", keys[0]})
	}
	checkRedisBlobsImport(t, h, ref, []string{"hll:10:1", "hll:1000:2", "hll:100000:3"})
}

// checkRedisBlobsImport copies Redis's own blobs (sparse and dense) into
// geetcache with SET: PFCOUNT must read them as Redis does.
func checkRedisBlobsImport(t *testing.T, h *harness, ref *redisRef, keys []string) {
	t.Helper()
	for _, key := range keys {
		ref.do("PFADD", key, "one more")
		ref.do("PFCOUNT", key) // Redis caches the count in the blob
		blob := ref.do("GET", key)
		val := blob[bytes.IndexByte([]byte(blob), '\n')+1 : len(blob)-2]
		h.do("SET", "imported", val)
		ref.do("SET", "imported", val)
		sameReply(t, h, ref, []string{"PFCOUNT", "imported"})
		sameReply(t, h, ref, []string{"PFADD", "imported", "and another"})
		sameReply(t, h, ref, []string{"PFCOUNT", "imported", key})
	}
}

// logLargeRow compares PFCOUNT key on both sides and logs a table row.
func logLargeRow(t *testing.T, h *harness, ref *redisRef, n int, seed string, truth int, key string) {
	t.Helper()
	got, want := h.do("PFCOUNT", key), ref.do("PFCOUNT", key)
	if got != want {
		t.Errorf("n=%d seed %s: PFCOUNT got %q, redis %q", n, seed, got, want)
	}
	est, _ := strconv.Atoi(got[1 : len(got)-2])
	t.Logf("| %d | %s | %d | %s | %d | %+.3f |", n, seed, truth, want[1:len(want)-2], est, 100*float64(est-truth)/float64(truth))
}

// TestHLLLarge (GEETCACHE_HLL_LARGE=1) compares counts up to 10M elements,
// three seeds each and their PFMERGE, and prints the accuracy and memory
// tables of docs/hyperloglog.md.
func TestHLLLarge(t *testing.T) {
	if os.Getenv("GEETCACHE_HLL_LARGE") != "1" {
		t.Skip("set GEETCACHE_HLL_LARGE=1")
	}
	ref := startRedis(t)
	h := newHarness(t)
	t.Log("| n | seed | true count | Redis | geetcache | error % |")
	t.Log("|---:|---|---:|---:|---:|---:|")
	for _, n := range []int{10, 100, 1000, 10000, 100000, 1000000, 10000000} {
		var keys []string
		for seed := uint64(1); seed <= 3; seed++ {
			key := fmt.Sprintf("large:%d:%d", n, seed)
			keys = append(keys, key)
			hllFill(t, h, ref, key, hllStream(seed, n), 1000)
			logLargeRow(t, h, ref, n, strconv.FormatUint(seed, 10), n, key)
		}
		merged := fmt.Sprintf("large:%d", n)
		sameReply(t, h, ref, append([]string{"PFMERGE", merged}, keys...))
		logLargeRow(t, h, ref, n, "1+2+3 merged", 3*n, merged)
	}
	t.Log("| elements | geetcache bytes | Redis STRLEN |")
	t.Log("|---:|---:|---:|")
	for _, n := range []int{10, 1000, 100000} {
		key := fmt.Sprintf("large:%d:1", n)
		ours := len(h.ks.Lookup(key, h.now).Value.(datatypes.StringValue).Bytes())
		strlen := ref.do("STRLEN", key)
		t.Logf("| %d | %d | %s |", n, ours, strlen[1:len(strlen)-2])
	}
}
