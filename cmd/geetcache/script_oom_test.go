package main

import (
	"slices"
	"testing"
)

// scriptOOMSteps run with maxmemory 1 (memory is above it on both
// servers): a script without a shebang is not refused at start; its
// first write fails if it is denyoom (raised, or returned to pcall), and a
// first write that is not lets the rest run; a shebang script without
// allow-oom is refused at start; EVAL in MULTI is refused while queueing.
var scriptOOMSteps = [][]string{
	{"EVAL", "return redis.call('set','x','y')", "1", "x"},
	{"EVAL", "local t = redis.pcall('set','x','y') return t['err']", "1", "x"},
	{"EVAL", "return redis.pcall('set','x','y')", "1", "x"},
	{"EVALSHA", "71e6319f97b0fe8bdfa1c5df3ce4489946dda479", "1", "x"},
	{"EVAL", "redis.call('del','x') return redis.call('set','x','z')", "1", "x"},
	{"EVAL", "return redis.call('get','x')", "1", "x"},
	{"EVAL", "#!lua\nreturn redis.call('set','x','y')", "1", "x"},
	{"EVAL", "#!lua flags=allow-oom\nreturn redis.call('set','x','w')", "1", "x"},
	{"EVAL", "#!lua flags=no-writes\nreturn redis.call('get','x')", "1", "x"},
	{"MULTI"}, {"EVAL", "return redis.call('set','x',1)", "0"}, {"EXEC"},
}

// TestScriptOOMMatchesRedis runs scriptOOMSteps on redis-server 7.0.15 and
// one geetcache node with maxmemory 1 and requires the same replies, then
// the same INFO commandstats (calls, rejected and failed calls of EVAL and
// of the SET it called) and errorstats.
func TestScriptOOMMatchesRedis(t *testing.T) {
	redisAddr := startRedisServer(t)
	n := startNode(t)
	p := newDiffPair(t, 2, redisAddr, n.addr())
	requireRedis70(t, p.redis)
	p.requireSame(t, "setup", [][]string{{"FLUSHALL"}, {"SET", "x", "1"},
		{"SCRIPT", "LOAD", "return redis.call('set','x','y')"}, {"CONFIG", "SET", "maxmemory", "1"}, {"CONFIG", "RESETSTAT"}})
	t.Cleanup(func() { p.batch(t, [][]string{{"CONFIG", "SET", "maxmemory", "0"}}) })
	for _, step := range scriptOOMSteps {
		p.requireSame(t, "step", [][]string{step})
	}
	fromRedis, fromGC := p.batch(t, [][]string{{"INFO", "commandstats"}, {"INFO", "errorstats"}})
	for i, section := range []string{"commandstats", "errorstats"} {
		if r, g := statLines(t, fromRedis[i].raw), statLines(t, fromGC[i].raw); !slices.Equal(r, g) {
			t.Errorf("INFO %s:\n redis:     %q\n geetcache: %q", section, r, g)
		}
	}
}

// TestScriptOOMThroughFollowerMatchesRedis runs the steps of Redis's
// unit/scripting "Consistent eval error reporting" (a script without a
// shebang whose first write, denyoom, fails with maxmemory 1) on
// redis-server 7.0.15 and on a follower of a three-node geetcache cluster,
// and requires the same replies, INFO commandstats and errorstats. Before,
// the follower sent the script to the leader, where the refused SET was
// counted: the follower's commandstats had no cmdstat_set line.
func TestScriptOOMThroughFollowerMatchesRedis(t *testing.T) {
	redisAddr := startRedisServer(t)
	_, _, follower := startClusterWithFollower(t)
	p := newDiffPair(t, 2, redisAddr, follower.addr())
	requireRedis70(t, p.redis)
	p.requireSame(t, "setup", [][]string{{"FLUSHALL"}, {"SET", "x", "1"},
		{"SCRIPT", "LOAD", "return redis.call('set','x','y')"}, {"CONFIG", "SET", "maxmemory", "1"}, {"CONFIG", "RESETSTAT"}})
	t.Cleanup(func() { p.batch(t, [][]string{{"CONFIG", "SET", "maxmemory", "0"}}) })
	for _, step := range scriptOOMSteps[:4] {
		p.requireSame(t, "step", [][]string{step})
	}
	fromRedis, fromGC := p.batch(t, [][]string{{"INFO", "commandstats"}, {"INFO", "errorstats"}})
	for i, section := range []string{"commandstats", "errorstats"} {
		if r, g := statLines(t, fromRedis[i].raw), statLines(t, fromGC[i].raw); !slices.Equal(r, g) {
			t.Errorf("INFO %s:\n redis:     %q\n geetcache: %q", section, r, g)
		}
	}
}
