package main

import (
	"fmt"
	"maps"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestDirtyMatchesRedis runs the differential stream (every family) one
// command at a time against redis-server 7.0 and geetcache, reading INFO
// persistence after each, and compares how much the command added to
// rdb_changes_since_last_save (Redis's server.dirty): SET 1, MSET its
// pairs, SADD the members added, SETBIT only when a bit changed, a no-op
// or an error 0. Some runs go as MULTI ... EXEC (the block adds the sum)
// and some inside EVAL (the script adds its calls'). A command whose reply
// differs (a random pick, or a mismatch TestDifferential reports) is not
// compared; both servers are flushed and the stream goes on.
//
// Left out: SCAN walks (reads). A single-key PFCOUNT that stores the count
// it computed in the HLL's header counts 1, as in Redis.
func TestDirtyMatchesRedis(t *testing.T) {
	total := max(diffBudget(t)/8, 1)
	redisAddr := startRedisServer(t)
	n := startNode(t)
	p := newDiffPair(t, 2, redisAddr, n.addr())
	requireRedis70(t, p.redis)
	dr := &dirtyRun{t: t, p: p, gen: newDiffGen(newRand(t)), known: commandNames(t, p.gc)}
	for dr.sent < total && dr.mismatches < maxReports {
		dr.step()
	}
	t.Logf("dirty: %d runs sent (%d commands, %d in MULTI, %d in EVAL), %d deltas compared, %d not compared (replies differed), %d mismatches",
		dr.sent, dr.commands, dr.inMulti, dr.inEval, dr.compared, dr.skipped, dr.mismatches)
	if dr.mismatches > 0 {
		t.Fatalf("%d dirty deltas differ from redis-server's", dr.mismatches)
	}
}

type dirtyRun struct {
	t                               *testing.T
	p                               *diffPair
	gen                             *diffGen
	known                           map[string]bool
	sent, commands, inMulti, inEval int
	compared, skipped, mismatches   int
}

// step sends one command, a MULTI block of a few or an EVAL of a few, and
// compares the dirty deltas.
func (dr *dirtyRun) step() {
	dr.sent++
	switch k := dr.gen.r.IntN(10); {
	case k == 0:
		dr.compare(dr.multi(dr.batch(2 + dr.gen.r.IntN(3))))
	case k == 1:
		dr.compare(dr.eval(dr.batch(1 + dr.gen.r.IntN(3))))
	default:
		dr.compare(dr.batch(1))
	}
}

// batch generates n commands geetcache knows, leaving out SCAN walks.
func (dr *dirtyRun) batch(n int) [][]string {
	var out [][]string
	for len(out) < n {
		saved := maps.Clone(dr.gen.hll)
		c := dr.gen.next(diffFamilies())
		name := strings.ToLower(c.args[0])
		if !dr.known[name] || c.mode == cmpScan || name == "multi" || name == "exec" {
			dr.gen.hll = saved
			continue
		}
		out = append(out, c.args)
	}
	dr.commands += n
	return out
}

func (dr *dirtyRun) multi(cmds [][]string) [][]string {
	dr.inMulti += len(cmds)
	return append(append([][]string{{"MULTI"}}, cmds...), []string{"EXEC"})
}

// eval wraps cmds in one script that runs each with redis.pcall.
func (dr *dirtyRun) eval(cmds [][]string) [][]string {
	dr.inEval += len(cmds)
	var b strings.Builder
	var argv []string
	for _, c := range cmds {
		b.WriteString("redis.pcall(")
		for i, a := range c {
			if i > 0 {
				b.WriteString(",")
			}
			argv = append(argv, a)
			fmt.Fprintf(&b, "ARGV[%d]", len(argv))
		}
		b.WriteString(") ")
	}
	return [][]string{append([]string{"EVAL", b.String(), "0"}, argv...)}
}

var dirtyLine = regexp.MustCompile(`rdb_changes_since_last_save:(\d+)`)

// compare runs cmds on both servers, each followed by INFO persistence, and
// compares the deltas the last INFO shows.
func (dr *dirtyRun) compare(cmds [][]string) {
	before := dr.counters()
	fromRedis, fromGC := dr.p.batch(dr.t, cmds)
	after := dr.counters()
	for i := range cmds {
		if string(fromRedis[i].raw) != string(fromGC[i].raw) {
			dr.skipped++
			dr.p.batch(dr.t, [][]string{{"FLUSHALL"}})
			dr.gen.flushed()
			return
		}
	}
	dr.compared++
	dRedis, dGC := after[0]-before[0], after[1]-before[1]
	if dRedis != dGC {
		dr.mismatches++
		dr.t.Errorf("dirty delta differs: redis +%d, geetcache +%d after %s (redis replied %s)",
			dRedis, dGC, formatDirtyCmds(cmds), clipQuote(fromRedis[len(fromRedis)-1].raw, 200))
	}
}

// counters returns rdb_changes_since_last_save of redis and of geetcache.
func (dr *dirtyRun) counters() [2]int64 {
	r, g := dr.p.batch(dr.t, [][]string{{"INFO", "persistence"}})
	return [2]int64{dirtyOf(dr.t, r[0].raw), dirtyOf(dr.t, g[0].raw)}
}

func dirtyOf(t *testing.T, raw []byte) int64 {
	t.Helper()
	m := dirtyLine.FindSubmatch(raw)
	if m == nil {
		t.Fatalf("INFO persistence has no rdb_changes_since_last_save: %q", raw)
	}
	n, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return n
}

func formatDirtyCmds(cmds [][]string) string {
	var parts []string
	for _, c := range cmds {
		parts = append(parts, formatDiffArgs(c))
	}
	return strings.Join(parts, "; ")
}

// TestDirtySaveResets checks that a successful SAVE or BGSAVE takes the
// count it began with away from rdb_changes_since_last_save, and that
// LASTSAVE and rdb_last_save_time then agree.
func TestDirtySaveResets(t *testing.T) {
	n := startNode(t)
	s := dialDiffSide(t, "geetcache", n.addr())
	dirty := func() int64 {
		rep, err := s.roundTrip([]string{"INFO", "persistence"})
		if err != nil {
			t.Fatal(err)
		}
		return dirtyOf(t, rep.raw)
	}
	run := func(args ...string) string {
		rep, err := s.roundTrip(args)
		if err != nil {
			t.Fatal(err)
		}
		return string(rep.raw)
	}
	run("MSET", "a", "1", "b", "2", "c", "3")
	if got := dirty(); got != 3 {
		t.Fatalf("after MSET of 3 pairs: rdb_changes_since_last_save %d, want 3", got)
	}
	if rep := run("SAVE"); rep != "+OK\r\n" {
		t.Fatalf("SAVE answered %q", rep)
	}
	if got := dirty(); got != 0 {
		t.Fatalf("after SAVE: rdb_changes_since_last_save %d, want 0", got)
	}
	run("SADD", "s", "x", "y")
	if rep := run("BGSAVE"); rep != "+Background saving started\r\n" {
		t.Fatalf("BGSAVE answered %q", rep)
	}
	waitFor(t, 10*time.Second, func() error {
		if got := dirty(); got != 0 {
			return fmt.Errorf("after BGSAVE: rdb_changes_since_last_save %d, want 0", got)
		}
		return nil
	})
	info := run("INFO", "persistence")
	last := run("LASTSAVE")
	m := regexp.MustCompile(`rdb_last_save_time:(\d+)`).FindStringSubmatch(info)
	if m == nil || ":"+m[1]+"\r\n" != last {
		t.Fatalf("rdb_last_save_time %v and LASTSAVE %q differ", m, last)
	}
}
