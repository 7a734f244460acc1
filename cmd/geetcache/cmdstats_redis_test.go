package main

import (
	"regexp"
	"slices"
	"strings"
	"testing"
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
