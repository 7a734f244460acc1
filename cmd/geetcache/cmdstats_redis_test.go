package main

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// statSteps is a session whose replies, and then whose INFO commandstats,
// errorstats and error and command totals, redis-server 7.0.15 and
// geetcache must give alike: calls, rejected and failed calls of commands
// and subcommands, errors by code (including the empty code and one over
// 32 bytes), MULTI/EXEC's queued commands, refused while queueing and run
// inside EXEC, and EVAL's own errors.
var statSteps = [][]string{
	{"SET", "a", "b"}, {"GET", "a"}, {"ASDF"}, {"SET", "k"}, {"INCR", "a"}, {"GET", "a", "b"},
	{"EVAL", "return redis.error_reply('')", "0"}, {"EVAL", "return redis.error_reply('NOSPACE')", "0"},
	{"EVAL", "return redis.error_reply(' lead')", "0"}, {"EVAL", "return redis.error_reply('MY_CODE custom')", "0"},
	{"EVAL", "return {err='X123456789012345678901234567890123456789 y'}", "0"},
	{"EVAL", "return {err='X12345678901234567890123456789 y'}", "0"},
	{"EVAL", "return 1"}, {"EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0"},
	{"MULTI"}, {"SET", "x", "1"}, {"INCR", "a"}, {"PING"}, {"EXEC"}, {"EXEC"},
	{"MULTI"}, {"SET"}, {"EXEC"}, {"DISCARD"},
	{"MULTI"}, {"MULTI"}, {"WATCH", "x"}, {"GET", "x"}, {"DISCARD"},
	{"CONFIG", "GET", "maxmemory"}, {"CONFIG", "FOO"}, {"CONFIG", "GET"}, {"CLIENT", "ID", "x"},
	{"HSET", "h", "f", "v"}, {"LPUSH", "a", "x"}, {"AUTH", "k"}, {"PING"},
	// The commands a script calls count too; an error they answered counts
	// once, at the call, even when the script raises or returns it.
	{"EVAL", "return redis.call('select',99)", "0"},
	{"EVAL", "local t = redis.pcall('select',99) return tostring(t.ignore_error_stats_update)", "0"},
	{"EVAL", "return redis.pcall('select',99)", "0"},
	{"EVAL_RO", "return redis.call('set','x','y')", "1", "x"},
	{"EVAL_RO", "local t = redis.pcall('set','x','y') return t['err']", "1", "x"},
	{"SET", "Sicily", "1"},
	{"EVAL", "return redis.call('HSET', 'Sicily', 'Palermo', '1')", "1", "x"},
	{"EVAL", "return redis.call('nosuch')", "0"}, {"EVAL", "return redis.pcall('get')", "0"},
	{"EVAL", "redis.call('set', KEYS[1], 0) redis.call('expire', KEYS[1], 0) redis.call('lpush', KEYS[1], 'bar')", "1", "mykey"},
	{"EVAL", "return {redis.call('ping'), redis.call('get', 'Sicily'), redis.call('config', 'get', 'x')}", "0"},
	{"EVAL", "local t = redis.pcall('incr','Sicily') return redis.error_reply('MINE x')", "0"},
	{"EVAL", "redis.pcall('incr','Sicily') error({err='WRONGTYPE mine'})", "0"},
	{"MULTI"}, {"EVAL", "return redis.call('select',99)", "0"}, {"EVAL", "return redis.call('incr','x')", "0"}, {"EXEC"},
}

// TestCommandStatsMatchRedis runs statSteps on both after CONFIG
// RESETSTAT, requires the same replies, then the same INFO commandstats
// lines (sorted: Redis lists them in its hash table's order; usec and
// usec_per_call only checked for shape), the same errorstats, and the
// same total_error_replies and total_commands_processed.
func TestCommandStatsMatchRedis(t *testing.T) {
	redisAddr := startRedisServer(t)
	n := startNode(t)
	p := newDiffPair(t, 2, redisAddr, n.addr())
	requireRedis70(t, p.redis)
	p.requireSame(t, "reset", [][]string{{"FLUSHALL"}, {"CONFIG", "RESETSTAT"}})
	for _, step := range statSteps {
		p.requireSame(t, "step", [][]string{step})
	}
	fromRedis, fromGC := p.batch(t, [][]string{{"INFO", "commandstats"}, {"INFO", "errorstats"}, {"INFO", "stats"}})
	for i, section := range []string{"commandstats", "errorstats", "stats"} {
		r, g := statLines(t, fromRedis[i].raw), statLines(t, fromGC[i].raw)
		if section == "stats" {
			r, g = statFields(r), statFields(g)
		}
		if !slices.Equal(r, g) {
			t.Errorf("INFO %s:\n redis:     %q\n geetcache: %q", section, r, g)
		}
	}
	p.requireSame(t, "reset again", [][]string{{"CONFIG", "RESETSTAT"}, {"INFO", "errorstats"}})
	fromRedis, fromGC = p.batch(t, [][]string{{"INFO", "commandstats"}})
	if r, g := statLines(t, fromRedis[0].raw), statLines(t, fromGC[0].raw); !slices.Equal(r, g) {
		t.Errorf("INFO commandstats after CONFIG RESETSTAT:\n redis:     %q\n geetcache: %q", r, g)
	}
}

var cmdstatShape = regexp.MustCompile(`^(cmdstat_[a-z_|-]+:calls=\d+,)usec=\d+,usec_per_call=\d+\.\d\d(,rejected_calls=\d+,failed_calls=\d+)$`)

// statLines returns an INFO reply's lines, sorted, with commandstats' times
// replaced by "usec=U" once their shape is checked.
func statLines(t *testing.T, raw []byte) []string {
	t.Helper()
	_, body, _ := strings.Cut(string(raw), "\r\n") // the bulk's length
	var out []string
	for _, line := range strings.Split(strings.TrimRight(body, "\r\n"), "\r\n") {
		if strings.HasPrefix(line, "cmdstat_") {
			m := cmdstatShape.FindStringSubmatch(line)
			if m == nil {
				t.Errorf("commandstats line of the wrong shape: %q", line)
				continue
			}
			line = m[1] + "usec=U" + m[2]
		}
		out = append(out, line)
	}
	slices.Sort(out)
	return out
}

// statFields keeps the error and command totals of INFO stats.
func statFields(lines []string) []string {
	return slices.DeleteFunc(lines, func(l string) bool {
		return !strings.HasPrefix(l, "total_error_replies:") && !strings.HasPrefix(l, "unexpected_error_replies:") &&
			!strings.HasPrefix(l, "total_commands_processed:")
	})
}

// TestCommandStatsThroughFollower checks which node counts what (see
// docs/operations.md): a follower counts its client's calls, the leader
// the calls the follower's link forwarded and the commands of a write
// script it ran in its state machine, each error once per node; the other
// follower, which applied the same entries, counts nothing.
func TestCommandStatsThroughFollower(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 20*time.Second)
	var followers []*node
	for _, n := range nodes {
		if n != leader {
			followers = append(followers, n)
		}
	}
	f := followers[0]
	waitFor(t, 10*time.Second, func() error { return f.Client().Set(ctx, "warm", "1", 0).Err() })
	conns := map[*node]*diffSide{}
	for _, n := range nodes {
		conns[n] = dialDiffSide(t, "node", n.addr()) // raw: go-redis's own CLIENT SETINFO would count
		if _, err := conns[n].roundTrip([]string{"CONFIG", "RESETSTAT"}); err != nil {
			t.Fatalf("CONFIG RESETSTAT: %v", err)
		}
	}
	c := conns[f]
	for _, cmd := range [][]string{
		{"SET", "s", "v"},
		{"EVAL", "redis.call('set','k','v') return redis.call('incr','s')", "0"}, // a write script that fails
		{"EVAL", "return redis.call('get','s')", "0"},                            // a read, run on the follower
	} {
		if _, err := c.roundTrip(cmd); err != nil {
			t.Fatalf("%q: %v", cmd, err)
		}
	}
	// A pipeline of writes is forwarded in one go (forwardPipeline).
	pipeline := [][]string{{"SET", "p", "1"}, {"INCR", "p"}, {"HSET", "p", "f", "v"}, {"INCR", "p"}}
	c.send(pipeline)
	if _, err := c.replies(len(pipeline)); err != nil {
		t.Fatalf("pipeline: %v", err)
	}
	want := map[*node][]string{
		f: {"cmdstat_set:calls=2,", "cmdstat_eval:calls=2,usec=U,rejected_calls=0,failed_calls=1", "cmdstat_get:calls=1,",
			"cmdstat_incr:calls=2,usec=U,rejected_calls=0,failed_calls=0", "cmdstat_hset:calls=1,usec=U,rejected_calls=0,failed_calls=1",
			"errorstat_ERR:count=1", "errorstat_WRONGTYPE:count=1"},
		leader: {"cmdstat_set:calls=3,", "cmdstat_eval:calls=1,usec=U,rejected_calls=0,failed_calls=1",
			"cmdstat_incr:calls=3,usec=U,rejected_calls=0,failed_calls=1", "cmdstat_hset:calls=1,usec=U,rejected_calls=0,failed_calls=1",
			"errorstat_ERR:count=1", "errorstat_WRONGTYPE:count=1"},
		followers[1]: {},
	}
	for n, lines := range want {
		rep, err := conns[n].roundTrip([]string{"INFO", "commandstats", "errorstats"})
		if err != nil {
			t.Fatalf("INFO: %v", err)
		}
		got := strings.Join(statLines(t, rep.raw), "\n")
		t.Logf("node %d:\n%s", n.port, got)
		for _, w := range lines {
			if !strings.Contains(got, w) {
				t.Errorf("node %d lacks %q:\n%s", n.port, w, got)
			}
		}
		if len(lines) == 0 && strings.Contains(got, "cmdstat_") && !strings.Contains(got, "cmdstat_config|resetstat:calls=1,") {
			t.Errorf("node %d counted calls it was not sent:\n%s", n.port, got)
		}
		if strings.Contains(got, "cmdstat_get") && n != f {
			t.Errorf("node %d counted the read script's GET:\n%s", n.port, got)
		}
	}
}

var latencyValue = regexp.MustCompile(`=\d+\.\d{3}(,|$)`)

// TestLatencyStatsMatchRedis compares INFO latencystats with redis-server
// 7.0.15's: the same lines for the same calls and percentiles (the figures
// only for shape: times differ), none while latency-tracking is off, and
// the same CONFIG GET and CONFIG SET replies for its two parameters.
func TestLatencyStatsMatchRedis(t *testing.T) {
	redisAddr := startRedisServer(t)
	n := startNode(t)
	p := newDiffPair(t, 2, redisAddr, n.addr())
	requireRedis70(t, p.redis)
	for _, step := range [][]string{
		{"CONFIG", "GET", "latency-tracking"}, {"CONFIG", "GET", "latency-tracking-info-percentiles"},
		{"CONFIG", "SET", "latency-tracking-info-percentiles", "10.0 50.0 a"},
		{"CONFIG", "SET", "latency-tracking-info-percentiles", "10.0 101"},
		{"CONFIG", "SET", "latency-tracking", "maybe"},
		{"CONFIG", "SET", "latency-tracking-info-percentiles", "99.99 0.5 33.333333"},
		{"CONFIG", "GET", "latency-tracking-info-percentiles"},
		{"CONFIG", "SET", "latency-tracking-info-percentiles", "0.0 50.0 100.0"},
		{"CONFIG", "GET", "latency-tracking-info-percentiles"},
		{"CONFIG", "RESETSTAT"}, {"SET", "a", "b"}, {"GET", "a"}, {"CLIENT", "GETNAME"}, {"GET"},
	} {
		p.requireSame(t, "step", [][]string{step})
	}
	fromRedis, fromGC := p.batch(t, [][]string{{"INFO", "latencystats"}})
	shape := func(raw []byte) []string {
		lines := statLines(t, raw)
		for i, l := range lines {
			lines[i] = latencyValue.ReplaceAllString(l, "=N$1")
		}
		return lines
	}
	if r, g := shape(fromRedis[0].raw), shape(fromGC[0].raw); !slices.Equal(r, g) {
		t.Errorf("INFO latencystats:\n redis:     %q\n geetcache: %q", r, g)
	}
	for _, step := range [][]string{
		{"CONFIG", "SET", "latency-tracking", "no"}, {"GET", "a"}, {"INFO", "latencystats"},
		{"CONFIG", "SET", "latency-tracking", "yes"}, {"CONFIG", "SET", "latency-tracking-info-percentiles", ""},
		{"CONFIG", "RESETSTAT"}, {"GET", "a"},
	} {
		p.requireSame(t, "step", [][]string{step})
	}
	fromRedis, fromGC = p.batch(t, [][]string{{"INFO", "latencystats"}}) // lines without figures
	if r, g := shape(fromRedis[0].raw), shape(fromGC[0].raw); !slices.Equal(r, g) {
		t.Errorf("INFO latencystats without percentiles:\n redis:     %q\n geetcache: %q", r, g)
	}
	p.requireSame(t, "restore", [][]string{{"CONFIG", "SET", "latency-tracking-info-percentiles", "50 99 99.9"}})
}
