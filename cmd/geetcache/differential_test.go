package main

// The cross-family differential test: one random command stream goes to a
// real redis-server 7.0 and to the geetcache binary, and every reply must
// match.

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	defaultDiffCommands = 20_000
	diffBatch           = 50   // commands pipelined in one round trip
	checkpointEvery     = 1000 // commands between full reads of the key pool
	maxReports          = 10   // mismatches described in full
	maxMismatches       = 50   // the run stops after this many
	historyLen          = 20   // commands shown before a mismatch
)

// TestDifferential sends the same random command stream to redis-server and
// to geetcache and compares every reply, byte for byte unless Redis leaves
// the order unspecified (then sorted, or SCAN walked in full and compared
// as a set) or the reply is random or clock-dependent by design (then by
// shape or sign). The stream covers every family in geetcache's table over
// twelve shared keys, so keys change type and WRONGTYPE paths run; a
// quarter of it goes over RESP3 connections. Commands not in geetcache's
// table are not sent.
//
// After a mismatch both servers are flushed and the stream goes on, so one
// run reports several; the test fails if there was any.
//
// Knobs: GEETCACHE_DIFF_COMMANDS=N runs N commands instead of 20,000 (a
// longer soak; up to tens of millions keep the TTL series apart);
// GEETCACHE_E2E_SEED=S replays the stream of seed S; GEETCACHE_DIFF_STATS=1
// logs how each command fared.
func TestDifferential(t *testing.T) {
	total := diffBudget(t)
	redisAddr := startRedisServer(t)
	n := startNode(t)
	d := &diffRun{t: t, gen: newDiffGen(newRand(t)), fams: diffFamilies(), skipped: map[string]int{}, stats: diffTally{}}
	d.pairs = []*diffPair{newDiffPair(t, 2, redisAddr, n.addr()), newDiffPair(t, 3, redisAddr, n.addr())}
	requireRedis70(t, d.pairs[0].redis)
	d.known = commandNames(t, d.pairs[0].gc)
	d.arity = commandArities(t, d.pairs[0].gc)
	start := time.Now()
	d.run(total)
	t.Logf("differential: %d commands generated, %d replies compared, %d mismatches, %v",
		d.generated, d.compared, d.mismatches, time.Since(start).Round(time.Millisecond))
	t.Logf("of which %d runs were sent as MULTI ... EXEC, %d of them discarded with EXECABORT", d.multis, d.aborts)
	d.logSkipped()
	d.stats.log(t)
	if d.mismatches > 0 {
		t.Fatalf("%d mismatches between redis-server and geetcache", d.mismatches)
	}
}

func diffBudget(t *testing.T) int {
	s := os.Getenv("GEETCACHE_DIFF_COMMANDS")
	if s == "" {
		return defaultDiffCommands
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		t.Fatalf("bad GEETCACHE_DIFF_COMMANDS %q: want a positive count", s)
	}
	return n
}

// commandNames returns the lower-case names in geetcache's command table.
func commandNames(t *testing.T, s *diffSide) map[string]bool {
	t.Helper()
	rep, err := s.roundTrip([]string{"COMMAND", "LIST"})
	if err != nil || rep.kind != '*' {
		t.Fatalf("COMMAND LIST answered %q (%v)", rep.raw, err)
	}
	names := map[string]bool{}
	for _, el := range rep.elems {
		names[strings.ToLower(replyText(el))] = true
	}
	return names
}

// diffRun is one run of the stream.
type diffRun struct {
	t          *testing.T
	gen        *diffGen
	fams       []diffFamily
	pairs      []*diffPair // RESP2, RESP3
	known      map[string]bool
	arity      map[string]int // per command, 0 for a container (see queueable)
	skipped    map[string]int // generated but not in geetcache's table
	stats      diffTally
	history    []string
	generated  int
	compared   int
	mismatches int
	sinceCheck int
	multis     int // runs sent as MULTI ... EXEC
	aborts     int // of which EXEC answered with an error (EXECABORT)
	// afterExec, when set, runs after each batch (and its resync): the
	// keyspace-event comparison (diff_events_test.go).
	afterExec func(p *diffPair, cmds []diffCmd)
}

// run generates total commands and sends them in batches, with a full read
// of the key pool every checkpointEvery commands and at the end.
func (d *diffRun) run(total int) {
	for d.generated < total && d.mismatches < maxMismatches {
		p := d.pairs[0]
		if d.gen.r.IntN(4) == 0 {
			p = d.pairs[1]
		}
		d.exec(p, d.nextBatch(min(diffBatch, total-d.generated)))
		if d.sinceCheck >= checkpointEvery {
			d.exec(p, d.gen.checkpoint())
			d.sinceCheck = 0
		}
	}
	for _, p := range d.pairs {
		d.exec(p, d.gen.checkpoint())
	}
}

// nextBatch generates n commands that geetcache knows (or that test its
// unknown-command error). A command that is not sent leaves the
// generator's HLL tracking as it was.
func (d *diffRun) nextBatch(n int) []diffCmd {
	var out []diffCmd
	for len(out) < n {
		saved := maps.Clone(d.gen.hll)
		c := d.gen.next(d.fams)
		name := strings.ToLower(c.args[0])
		if !d.known[name] && !slices.Contains(unknownNames, name) {
			d.skipped[name]++
			d.gen.hll = saved
			continue
		}
		c.seq = d.generated + len(out) + 1
		out = append(out, c)
	}
	d.generated += n
	d.sinceCheck += n
	return out
}

// exec pipelines runs of ordinary commands and walks SCAN-family commands
// on their own, in stream order. After a mismatch the rest of the batch is
// not compared (the keyspaces differ now) and both servers are flushed.
func (d *diffRun) exec(p *diffPair, cmds []diffCmd) {
	if d.afterExec != nil {
		defer d.afterExec(p, cmds)
	}
	for len(cmds) > 0 {
		i := slices.IndexFunc(cmds, func(c diffCmd) bool { return c.mode == cmpScan })
		if i == 0 {
			if !d.walkBoth(p, cmds[0]) {
				d.resync(p)
				return
			}
			cmds = cmds[1:]
			continue
		}
		if i < 0 {
			i = len(cmds)
		}
		if !d.pipeline(p, cmds[:i]) {
			d.resync(p)
			return
		}
		cmds = cmds[i:]
	}
}

func (d *diffRun) pipeline(p *diffPair, cmds []diffCmd) bool {
	if cmds[0].seq > 0 && d.gen.r.IntN(multiEvery) == 0 {
		return d.pipelineMulti(p, cmds)
	}
	return d.pipelinePlain(p, cmds)
}

func (d *diffRun) pipelinePlain(p *diffPair, cmds []diffCmd) bool {
	argv := make([][]string, len(cmds))
	for i, c := range cmds {
		argv[i] = c.args
	}
	fromRedis, fromGC := p.batch(d.t, argv)
	for i, c := range cmds {
		d.compared++
		d.stats.add(c.args[0], fromRedis[i].raw)
		d.remember(c, fromRedis[i].raw)
		if !sameReply(c, fromRedis[i], fromGC[i]) {
			d.mismatch(p, c, fromRedis[i].raw, fromGC[i].raw)
			return false
		}
	}
	return true
}

// walkBoth runs a full SCAN-family walk on each server and compares what
// the walks returned as sets.
func (d *diffRun) walkBoth(p *diffPair, c diffCmd) bool {
	d.compared++
	want, err := scanWalk(p.redis, c.args)
	if err != nil {
		d.t.Fatal(err)
	}
	got, err := scanWalk(p.gc, c.args)
	if err != nil {
		d.t.Fatal(err)
	}
	d.stats.add(c.args[0], []byte(want))
	d.remember(c, []byte(want))
	if want != got {
		d.mismatch(p, c, []byte(want), []byte(got))
		return false
	}
	return true
}

// resync flushes both servers so the stream can go on after a mismatch.
func (d *diffRun) resync(p *diffPair) {
	p.batch(d.t, [][]string{{"FLUSHALL"}})
	d.gen.flushed()
	d.history = append(d.history, "--- FLUSHALL after the mismatch ---")
}

func (d *diffRun) remember(c diffCmd, fromRedis []byte) {
	d.history = append(d.history, fmt.Sprintf("%s -> %s", formatDiffArgs(c.args), clipQuote(fromRedis, 80)))
	if len(d.history) > historyLen {
		d.history = d.history[len(d.history)-historyLen:]
	}
}

func (d *diffRun) mismatch(p *diffPair, c diffCmd, fromRedis, fromGC []byte) {
	d.mismatches++
	if d.mismatches > maxReports {
		return
	}
	where := fmt.Sprintf("command %d", c.seq)
	if c.seq == 0 {
		where = fmt.Sprintf("the checkpoint after command %d", d.generated)
	}
	d.t.Errorf("mismatch #%d at %s (RESP%d): %s\n  redis:     %s\n  geetcache: %s\n  last commands (with redis's replies):\n    %s",
		d.mismatches, where, p.proto, formatDiffArgs(c.args), clipQuote(fromRedis, 600), clipQuote(fromGC, 600),
		strings.Join(d.history, "\n    "))
}

func (d *diffRun) logSkipped() {
	if len(d.skipped) == 0 {
		return
	}
	var names []string
	for name, n := range d.skipped {
		names = append(names, fmt.Sprintf("%s(%d)", name, n))
	}
	slices.Sort(names)
	d.t.Logf("not in geetcache's command table, so not sent: %s", strings.Join(names, " "))
}

// formatDiffArgs renders a command for a log line, quoting arguments that
// are empty or hold spaces or unprintable bytes.
func formatDiffArgs(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		if a == "" || strings.Contains(a, " ") || strconv.Quote(a) != `"`+a+`"` {
			out[i] = strconv.Quote(a)
		}
	}
	return strings.Join(out, " ")
}

// maxWalk bounds one SCAN walk: the key pool is tiny, so a walk this long
// means the cursor never returns to 0.
const maxWalk = 10_000

// scanWalk walks SCAN, HSCAN, SSCAN or ZSCAN from cursor 0 to the end and
// returns the set of what it returned (member and value together for HSCAN
// and ZSCAN), or the reply itself if it was an error or misshapen.
func scanWalk(s *diffSide, args []string) (string, error) {
	at, step := 2, 2
	switch strings.ToUpper(args[0]) {
	case "SCAN":
		at, step = 1, 1
	case "SSCAN":
		step = 1
	}
	seen := map[string]bool{}
	cursor, shapeOf := "0", ""
	for range maxWalk {
		a := slices.Clone(args)
		a[at] = cursor
		rep, err := s.roundTrip(a)
		if err != nil {
			return "", err
		}
		if rep.kind != '*' || len(rep.elems) != 2 || rep.elems[1].kind != '*' {
			return string(rep.raw), nil
		}
		shapeOf = fmt.Sprintf("%c%c%c", rep.kind, rep.elems[0].kind, rep.elems[1].kind)
		items := rep.elems[1].elems
		for j := 0; j+step <= len(items); j += step {
			var item []byte
			for _, el := range items[j : j+step] {
				item = append(item, el.raw...)
			}
			seen[string(item)] = true
		}
		if cursor = replyText(rep.elems[0]); cursor == "0" {
			return shapeOf + " " + joinSortedKeys(seen), nil
		}
	}
	return fmt.Sprintf("walk did not end within %d calls", maxWalk), nil
}

func joinSortedKeys(m map[string]bool) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return strings.Join(keys, "")
}

// replyText returns a simple or bulk string reply's content.
func replyText(rep respReply) string {
	raw := string(rep.raw)
	if rep.kind == '$' {
		if _, body, ok := strings.Cut(raw, "\r\n"); ok {
			return strings.TrimSuffix(body, "\r\n")
		}
	}
	return strings.TrimSuffix(raw[1:], "\r\n")
}
