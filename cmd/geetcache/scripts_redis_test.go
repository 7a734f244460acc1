package main

import (
	"fmt"
	"testing"
)

// scriptSteps are EVAL sessions whose every reply redis-server 7.0.15 and
// geetcache must give byte for byte, in RESP2 and RESP3. A step is a
// pipeline (a MULTI block is one step). Left out: what docs/compatibility.md
// lists as different (some variable names in runtime errors, SELECT of another
// database, SCRIPT HELP's DEBUG lines, cjson settings across runs).
var scriptSteps = [][][]string{
	{{"FLUSHALL"}, {"SCRIPT", "FLUSH"}},
	{{"EVAL", "return redis.call('incr',KEYS[1])", "1", "n"}},
	{{"EVALSHA", "b1f6ba2a0ea1e7e3ac3bd7cfa1d6a3a7d3a3e4f1", "1", "n"}},
	{{"EVALSHA", "f1a0b8d0c8c8f63b1a6f5b1ee7a1e6cf3d2c8e7a", "1", "n"}},
	{{"SCRIPT", "LOAD", "return {KEYS[1], ARGV[1], #KEYS, #ARGV}"}},
	{{"EVALSHA", "3b2ff45c0cfa9d8e2da5e5cd68bb7c1cd0b36f76", "2", "a", "b", "c"}},
	{{"SCRIPT", "EXISTS", "3b2ff45c0cfa9d8e2da5e5cd68bb7c1cd0b36f76", "ffffffffffffffffffffffffffffffffffffffff"}},
	{{"EVAL", "return 1", "2", "a"}, {"EVAL", "return 1", "-1"}, {"EVAL", "return 1", "x"}},
	{{"EVAL", "return {1,2,{3,'x',{ok='fine'}},{err='bad'}, true, false, nil, 3.99}", "0"}},
	{{"EVAL", "return {double=3.5}", "0"}, {"EVAL", "return {map={a=1}}", "0"}, {"EVAL", "return {set={a=true}}", "0"}},
	{{"EVAL", "return {big_number='123'}", "0"}, {"EVAL", "return {verbatim_string={format='txt',string='hi'}}", "0"}},
	{{"EVAL", "redis.setresp(3); return false", "0"}, {"EVAL", "redis.setresp(3); return true", "0"}},
	{{"EVAL", "redis.call('hset','h','a','1') redis.setresp(3) return redis.call('hgetall','h')", "0"}},
	{{"EVAL", "redis.setresp(3) return {redis.call('get','nokey'), 1}", "0"}},
	{{"EVAL", "redis.call('zadd','z',1.5,'m') redis.setresp(3) local r = redis.call('zscore','z','m') return {type(r), tostring(r.double)}", "0"}},
	{{"EVAL", "return redis.call('nosuch')", "0"}, {"EVAL", "return redis.pcall('nosuch')", "0"}},
	{{"EVAL", "return redis.call('multi')", "0"}, {"EVAL", "return redis.pcall('incr')", "0"}},
	{{"EVAL", "redis.call('set','s','v') return redis.call('incr','s')", "0"}, {"EVAL", "return redis.pcall('lpush','s','x')", "0"}},
	{{"EVAL", "return redis.call()", "0"}, {"EVAL", "return redis.call('set',{})", "0"}},
	{{"EVAL", "error('boom')", "0"}, {"EVAL", "error({err='FOO bar'})", "0"}, {"EVAL", "error()", "0"}, {"EVAL", "error(12)", "0"}},
	{{"EVAL", "local ok, e = pcall(function() redis.call('nosuch') end) return e", "0"}},
	{{"EVAL", "return (", "0"}, {"EVAL", "x(", "0"}, {"EVAL", "return 'a\nb'", "0"}},
	{{"EVAL", "return 'abc", "0"}, {"EVAL", "local a = 1\nreturn \"abc", "0"}, {"EVAL", "return [==[abc\ndef", "0"},
		{"EVAL", "return 1 --[[ abc", "0"}},
	{{"EVAL", "a=1", "0"}, {"EVAL", "return a", "0"}, {"EVAL", "string.foo = 1", "0"}, {"EVAL", "rawset(_G,'a',1)", "0"}},
	{{"EVAL", "setmetatable(_G, {})", "0"}, {"EVAL", "local g = getmetatable(_G) g.__index = {}", "0"}, {"EVAL", "print('x')", "0"}},
	{{"EVAL", "return tostring(1/3)..' '..tostring(1e15)..' '..tostring(math.huge)", "0"}},
	{{"EVAL", "math.randomseed(7) return {math.random(100), math.random(5, 10), tostring(math.random())}", "0"}},
	{{"EVAL", "return {redis.REDIS_VERSION, redis.REDIS_VERSION_NUM, redis.sha1hex('abc'), _VERSION}", "0"}},
	{{"EVAL", "return cjson.encode({1,2,3})", "0"}, {"EVAL", "return cmsgpack.unpack(cmsgpack.pack({1,2}))", "0"}},
	{{"EVAL_RO", "return redis.call('set','a','1')", "1", "a"}, {"EVAL_RO", "return redis.call('get','s')", "1", "s"}},
	{{"EVAL", "#!lua flags=no-writes\nreturn redis.call('set','a','1')", "1", "a"}},
	{{"EVAL_RO", "#!lua\nreturn 1", "0"}, {"EVAL", "#!lua flags=bad\nreturn 1", "0"}, {"EVAL", "#!notlua\nreturn 1", "0"}},
	{{"EVAL", "#!lua flags=no-writes,allow-oom,allow-stale,no-cluster,allow-cross-slot-keys\nreturn 1", "0"}},
	{{"EVAL", "return redis.call('blpop','nolist',0)", "0"}},
	// Redis's order for a call it refuses: the command (a container's subcommand) and its arity, then noscript.
	{{"EVAL", "return redis.pcall('blpop')", "0"}, {"EVAL", "return redis.pcall('eval')", "0"}, {"EVAL", "return redis.pcall('auth')", "0"},
		{"EVAL", "return redis.pcall('config','get')", "0"}, {"EVAL", "return redis.pcall('config','nosuch')", "0"},
		{"EVAL", "return redis.pcall('client','id')", "0"}, {"EVAL", "return redis.pcall('object','nosuch')", "0"},
		{"EVAL", "return redis.pcall('xinfo','nosuch','s')", "0"}, {"EVAL", "return redis.pcall('debug')", "0"},
		{"EVAL", "return redis.pcall('replconf','a','b')", "0"}, {"EVAL", "return redis.pcall('latency')", "0"},
		{"EVAL", "return redis.pcall('watch')", "0"}, {"EVAL", "return redis.pcall('subscribe','ch')", "0"},
		{"EVAL", "return redis.pcall('object','encoding')", "0"}, {"EVAL", "return redis.pcall('xgroup','create')", "0"},
		{"EVAL", "return redis.pcall('cluster','reset','hard')", "0"}, {"EVAL", "return redis.pcall('script','debug','no')", "0"},
		{"EVAL", "return redis.pcall('script','debug')", "0"}},
	{{"EVAL", "return redis.pcall('ping','a','b')", "0"}, {"EVAL", "return redis.pcall('echo')", "0"},
		{"EVAL", "return redis.pcall('time','x')", "0"}, {"EVAL", "return redis.call('ping','a')", "0"}},
	// A script error leaves what ran before it applied.
	{{"DEL", "x"}, {"EVAL", "redis.call('incr','x') error('after')", "0"}, {"GET", "x"}},
	{{"MULTI"}, {"EVAL", "return redis.call('incr','x')", "0"}, {"EVAL", "return (", "0"},
		{"EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0"}, {"EVAL_RO", "return redis.call('get','x')", "0"},
		{"SCRIPT", "LOAD", "return 'in multi'"}, {"SCRIPT", "EXISTS", "ffffffffffffffffffffffffffffffffffffffff"},
		{"EVAL", "redis.call('incr','x') error('x')", "0"}, {"GET", "x"}, {"EXEC"}},
	{{"MULTI"}, {"EVAL", "return 1", "abc"}, {"EVAL", "return 1"}, {"EXEC"}},
	{{"SCRIPT", "FLUSH", "ASYNC"}, {"SCRIPT", "FLUSH", "bad"}, {"SCRIPT", "FLUSH", "a", "b"}, {"SCRIPT", "LOAD"}, {"SCRIPT", "nope"}},
	{{"SCRIPT", "EXISTS", "3b2ff45c0cfa9d8e2da5e5cd68bb7c1cd0b36f76"}},
	// a call of nil names the callee as Lua 5.1 does (scripting/vm_callname.go)
	{{"EVAL", "local t = {} return t.x()", "0"}, {"EVAL", "local f; return f()", "0"}, {"EVAL", "local t = {} return t:m()", "0"},
		{"EVAL", "local u; local function g() return u() end return g()", "0"}, {"EVAL", "return redis.nosuch('x')", "0"},
		{"EVAL", "local t = {} local k = 'z' return t[k]()", "0"}, {"EVAL", "return (nil)()", "0"},
		{"EVAL", "local t = {}\nreturn t.x(\n1)", "0"}},
}

// TestScriptsMatchRedis runs scriptSteps on redis-server and geetcache
// and compares every reply byte for byte, in RESP2 and RESP3; then WATCH
// before EVAL: a change by another client makes EXEC answer null.
func TestScriptsMatchRedis(t *testing.T) {
	redisAddr := startRedisServer(t)
	n := startNode(t)
	for _, proto := range []int{2, 3} {
		p := newDiffPair(t, proto, redisAddr, n.addr())
		requireRedis70(t, p.redis)
		for i, step := range scriptSteps {
			p.requireSame(t, fmt.Sprintf("RESP%d step %d", proto, i), step)
		}
	}
	p, other := newDiffPair(t, 2, redisAddr, n.addr()), newDiffPair(t, 2, redisAddr, n.addr())
	for _, steps := range [][]struct {
		p    *diffPair
		cmds [][]string
	}{
		{{p, [][]string{{"SET", "w", "1"}, {"WATCH", "w"}}}, {other, [][]string{{"SET", "w", "2"}}},
			{p, [][]string{{"MULTI"}, {"EVAL", "return redis.call('incr', KEYS[1])", "1", "w"}, {"EXEC"}, {"GET", "w"}}}},
		{{p, [][]string{{"WATCH", "w"}}},
			{p, [][]string{{"MULTI"}, {"EVAL", "return redis.call('incr', KEYS[1])", "1", "w"}, {"EXEC"}, {"GET", "w"}}}},
	} {
		for _, s := range steps {
			s.p.requireSame(t, "WATCH", s.cmds)
		}
	}
}

// requireSame sends cmds as one pipeline to both servers and fails the
// test (not at once) for each reply that differs byte for byte.
func (p *diffPair) requireSame(t *testing.T, what string, cmds [][]string) {
	t.Helper()
	fromRedis, fromGC := p.batch(t, cmds)
	for j := range cmds {
		if string(fromRedis[j].raw) != string(fromGC[j].raw) {
			t.Errorf("%s, %q:\n redis:     %q\n geetcache: %q", what, clipArgs(cmds[j]), fromRedis[j].raw, fromGC[j].raw)
		}
	}
}
