package protocol

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/geetcache/geetcache/datatypes"
)

// keyScript is a named sequence of commands run on one fresh keyspace. Each
// step is {command line, RESP reply with "|" for CRLF}. A reply starting
// with "!" is geetcache's own (one database, deterministic key order): the
// reference replay runs that step without comparing its reply. Replies
// without "!" are what redis-server 7.0.15 answers (TestKeyScriptsMatchRedis).
type keyScript struct {
	name  string
	steps [][2]string
}

// runKeyScripts runs each script on a fresh harness.
func runKeyScripts(t *testing.T, scripts []keyScript) {
	t.Helper()
	for _, s := range scripts {
		t.Run(s.name, func(t *testing.T) {
			h := newHarness(t)
			for _, st := range s.steps {
				got := h.do(strings.Fields(st[0])...)
				want := strings.ReplaceAll(strings.TrimPrefix(st[1], "!"), "|", "\r\n")
				if got != want {
					t.Errorf("%s\n got: %q\nwant: %q", st[0], got, want)
				}
			}
		})
	}
}

// replayOnRedis runs each script on the reference and checks it answers
// every step not marked "!" as the script says.
func replayOnRedis(t *testing.T, scripts []keyScript) {
	ref := startRedis(t)
	for _, s := range scripts {
		t.Run(s.name, func(t *testing.T) {
			ref.do("FLUSHALL")
			for _, st := range s.steps {
				got := ref.do(strings.Fields(st[0])...)
				if strings.HasPrefix(st[1], "!") {
					continue
				}
				if want := strings.ReplaceAll(st[1], "|", "\r\n"); got != want {
					t.Errorf("redis: %s\n got: %q\nwant: %q", st[0], got, want)
				}
			}
		})
	}
}

// allKeyScripts are every script of this family; the reference replays them.
func allKeyScripts() [][]keyScript {
	return [][]keyScript{genericScripts, expireScripts, ttlScripts, renameScripts, copyScripts, scanScripts, databaseScripts}
}

func TestKeyScriptsMatchRedis(t *testing.T) {
	for _, scripts := range allKeyScripts() {
		replayOnRedis(t, scripts)
	}
}

var genericScripts = []keyScript{
	{"del", [][2]string{
		{"SET a 1", "+OK|"},
		{"SET b 2", "+OK|"},
		{"DEL a b c", ":2|"},
		{"DEL a", ":0|"},
		{"SET a 1", "+OK|"},
		{"DEL a a", ":1|"},
		{"DEL", "-ERR wrong number of arguments for 'del' command|"},
	}},
	{"unlink", [][2]string{
		{"SET a 1", "+OK|"},
		{"UNLINK a b", ":1|"},
		{"EXISTS a", ":0|"},
		{"UNLINK", "-ERR wrong number of arguments for 'unlink' command|"},
	}},
	{"exists and touch", [][2]string{
		{"EXISTS a", ":0|"},
		{"SET a 1", "+OK|"},
		{"EXISTS a a b", ":2|"},
		{"TOUCH a a b", ":2|"},
		{"TOUCH b", ":0|"},
		{"EXISTS", "-ERR wrong number of arguments for 'exists' command|"},
		{"TOUCH", "-ERR wrong number of arguments for 'touch' command|"},
	}},
	{"type", [][2]string{
		{"TYPE a", "+none|"},
		{"SET a 1", "+OK|"},
		{"TYPE a", "+string|"},
		{"TYPE a b", "-ERR wrong number of arguments for 'type' command|"},
	}},
	{"dbsize", [][2]string{
		{"DBSIZE", ":0|"},
		{"SET a 1", "+OK|"},
		{"SET b 1", "+OK|"},
		{"DBSIZE", ":2|"},
		{"DBSIZE x", "-ERR wrong number of arguments for 'dbsize' command|"},
	}},
	{"flushdb", [][2]string{
		{"SET a 1", "+OK|"},
		{"FLUSHDB foo", "-ERR syntax error|"},
		{"FLUSHDB SYNC ASYNC", "-ERR syntax error|"},
		{"DBSIZE", ":1|"},
		{"FLUSHDB aSyNc", "+OK|"},
		{"DBSIZE", ":0|"},
		{"SET a 1", "+OK|"},
		{"FLUSHDB sync", "+OK|"},
		{"FLUSHDB", "+OK|"},
		{"EXISTS a", ":0|"},
	}},
	{"flushall", [][2]string{
		{"SET a 1", "+OK|"},
		{"FLUSHALL now", "-ERR syntax error|"},
		{"FLUSHALL ASYNC x", "-ERR syntax error|"},
		{"FLUSHALL ASYNC", "+OK|"},
		{"DBSIZE", ":0|"},
		{"SET a 1", "+OK|"},
		{"FLUSHALL SYNC", "+OK|"},
		{"FLUSHALL", "+OK|"},
		{"DBSIZE", ":0|"},
	}},
	{"randomkey", [][2]string{
		{"RANDOMKEY", "$-1|"},
		{"SET a 1", "+OK|"},
		{"RANDOMKEY", "$1|a|"},
		{"RANDOMKEY x", "-ERR wrong number of arguments for 'randomkey' command|"},
	}},
}

func TestGenericCommands(t *testing.T) { runKeyScripts(t, genericScripts) }

// TestRandomKey checks RANDOMKEY reaches every key, skips expired ones
// (also when nearly all are expired) and answers nil when all are.
func TestRandomKey(t *testing.T) {
	h := newHarness(t)
	for _, k := range []string{"a", "b", "c", "d"} {
		h.do("SET", k, "v")
	}
	seen := map[string]bool{}
	for range 400 {
		seen[h.do("RANDOMKEY")] = true
	}
	if len(seen) != 4 {
		t.Errorf("RANDOMKEY over 4 keys gave %d distinct replies: %v", len(seen), seen)
	}
	h.check([][2]string{{"FLUSHALL", "+OK|"}})
	for i := range 1000 {
		h.do("SET", "k"+decimal(i), "v", "PX", "10")
	}
	h.do("SET", "live", "v")
	h.advance(11)
	for range 20 {
		if got := h.do("RANDOMKEY"); got != "$4\r\nlive\r\n" {
			t.Fatalf("RANDOMKEY with one live key among 1001: %q", got)
		}
	}
	h.do("PEXPIRE", "live", "5")
	h.advance(6)
	if got := h.do("RANDOMKEY"); got != "$-1\r\n" {
		t.Errorf("RANDOMKEY with only expired keys: %q", got)
	}
}

// TestRandomKeyInFSM checks RANDOMKEY run inside the FSM (in a MULTI block)
// draws from the entry's seeded source: equal seeds, equal replies.
func TestRandomKeyInFSM(t *testing.T) {
	h := newHarness(t)
	for i := range 100 {
		h.do("SET", "k"+decimal(i), "v")
	}
	run := func(seed uint64) string {
		w := &Writer{}
		c := &Ctx{Args: [][]byte{[]byte("RANDOMKEY")}, DB: h.ks, Now: h.now, Rand: newSeeded(seed), Out: w}
		randomkey(c)
		return string(w.B)
	}
	distinct := map[string]bool{}
	for seed := range uint64(20) {
		a, b := run(seed), run(seed)
		if a != b {
			t.Fatalf("seed %d: %q then %q", seed, a, b)
		}
		distinct[a] = true
	}
	if len(distinct) < 5 {
		t.Errorf("20 seeds gave only %d keys", len(distinct))
	}
}

// TestDelCountsExpiredAsMissing checks DEL and EXISTS treat a key past its
// expiry as gone, and that the FSM's lookup removes it.
func TestDelCountsExpiredAsMissing(t *testing.T) {
	h := newHarness(t)
	h.check([][2]string{
		{"SET a 1 PX 100", "+OK|"},
		{"SET b 1", "+OK|"},
	})
	h.advance(100)
	h.check([][2]string{{"EXISTS a", ":1|"}})
	h.advance(1)
	h.check([][2]string{
		{"EXISTS a b", ":1|"},
		{"TYPE a", "+none|"},
		{"DBSIZE", ":2|"},
		{"DEL a b", ":1|"},
		{"DBSIZE", ":0|"},
	})
}

// TestKeyCommandsTable checks each command's table row against the
// reference's COMMAND INFO (arity, flags, key positions) and COMMAND DOCS
// (summary, since, group).
func TestKeyCommandsTable(t *testing.T) {
	ref := startRedis(t)
	for _, cmd := range keyCommands {
		t.Run(cmd.Name, func(t *testing.T) {
			info := ref.do("COMMAND", "INFO", cmd.Name)
			if want := commandInfoPrefix(cmd); !strings.HasPrefix(info, want) {
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

// commandInfoPrefix is the start of Redis's COMMAND INFO reply for cmd: name,
// arity, flags, first key, last key, step.
func commandInfoPrefix(cmd *Command) string {
	names := cmd.Flags.Names()
	var b strings.Builder
	b.WriteString("*1\r\n*10\r\n" + bulk(cmd.Name) + ":" + decimal(cmd.Arity) + "\r\n*" + decimal(len(names)) + "\r\n")
	for _, n := range names {
		b.WriteString("+" + n + "\r\n")
	}
	b.WriteString(":" + decimal(cmd.FirstKey) + "\r\n:" + decimal(cmd.LastKey) + "\r\n:" + decimal(cmd.Step) + "\r\n")
	return b.String()
}

func bulk(s string) string { return "$" + decimal(len(s)) + "\r\n" + s + "\r\n" }

// TestRenameKeepsSnapshot checks a renamed value that a frozen snapshot
// shares is copied, not changed in place, when it is next written.
func TestRenameKeepsSnapshot(t *testing.T) {
	h := newHarness(t)
	h.do("SET", "a", "old")
	frozen := h.ks.Freeze()
	h.check([][2]string{
		{"RENAME a b", "+OK|"},
		{"APPEND b !", ":4|"},
		{"GET b", "$4|old!|"},
	})
	e := frozen.Lookup("a", h.now)
	if e == nil || string(e.Value.(datatypes.StringValue).Bytes()) != "old" {
		t.Errorf("snapshot's a = %v, want old", e)
	}
	if frozen.Lookup("b", h.now) != nil {
		t.Error("snapshot sees b")
	}
}

func decimal[T ~int | ~int64](n T) string { return strconv.FormatInt(int64(n), 10) }

func newSeeded(seed uint64) Rand { return rand.New(rand.NewPCG(seed, 0)) }
