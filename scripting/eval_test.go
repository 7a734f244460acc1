package scripting

import (
	"strings"
	"testing"
	"time"
)

// Replies checked against redis-server 7.0.15.
func TestEval(t *testing.T) {
	incr := "return redis.call('incr',KEYS[1])"
	sha := SHA1Hex([]byte(incr))
	suffix := func(body string, line int) string {
		return " script: " + SHA1Hex([]byte(body)) + ", on @user_script:" + string(rune('0'+line)) + ".|"
	}
	cases := []struct {
		name  string
		steps []step
	}{
		{"incr and evalsha", []step{
			cmd("-NOSCRIPT No matching script. Please use EVAL.|", "EVALSHA", sha, "1", "k"),
			cmd(":1|", "EVAL", incr, "1", "k"),
			cmd(":2|", "EVALSHA", sha, "1", "k"),
			cmd(":3|", "EVALSHA", strings.ToUpper(sha), "1", "k"),
			cmd("*2|:1|:0|", "SCRIPT", "EXISTS", sha, strings.Repeat("f", 40)),
			cmd("+OK|", "SCRIPT", "FLUSH"),
			cmd("-NOSCRIPT No matching script. Please use EVAL.|", "EVALSHA", sha, "1", "k"),
			cmd("$40|"+sha+"|", "SCRIPT", "LOAD", incr),
			cmd(":4|", "EVALSHA", sha, "1", "k"),
		}},
		{"numkeys", []step{
			cmd("-ERR Number of keys can't be greater than number of args|", "EVAL", "return 1", "2", "a"),
			cmd("-ERR Number of keys can't be negative|", "EVAL", "return 1", "-1"),
			cmd("-ERR value is not an integer or out of range|", "EVAL", "return 1", "abc"),
		}},
		{"conversions to the client", []step{
			cmd("*3|:1|:2|*3|:3|$1|x|+fine|", "EVAL", "return {1,2,{3,'x',{ok='fine'}}}", "0"),
			cmd(":1|", "EVAL", "return true", "0"),
			cmd("$-1|", "EVAL", "return false", "0"),
			cmd("$-1|", "EVAL", "return nil", "0"),
			cmd("$3|3.5|", "EVAL", "return {double=3.5}", "0"),
			cmd(":-3|", "EVAL", "return -3.7", "0"),
			cmd("*3|:1|$-1|:3|", "EVAL", "return {1,false,3}", "0"),
			cmd("*2|:1|:2|", "EVAL", "return {1,2,nil,3}", "0"),
			cmd("-ERR xx|", "EVAL", "return redis.error_reply('xx')", "0"),
			cmd("-XX yy|", "EVAL", "return redis.error_reply('-XX yy')", "0"),
			cmd("-My Error|", "EVAL", "return {err='My Error'}", "0"),
			cmd("+FINE|", "EVAL", "return redis.status_reply('FINE')", "0"),
		}},
		{"errors", []step{
			cmd("-ERR Unknown Redis command called from script|", "EVAL", "return redis.pcall('nosuch')", "0"),
			cmd("-ERR Unknown Redis command called from script"+suffix("return redis.call('nosuch')", 1), "EVAL", "return redis.call('nosuch')", "0"),
			cmd("-ERR This Redis command is not allowed from script"+suffix("return redis.call('multi')", 1), "EVAL", "return redis.call('multi')", "0"),
			cmd("-ERR Wrong number of args calling Redis command from script|", "EVAL", "return redis.pcall('incr')", "0"),
			cmd("-FOO bar"+suffix("error({err='FOO bar'})", 1), "EVAL", "error({err='FOO bar'})", "0"),
			cmd("-ERR user_script:1: boom"+suffix("error('boom')", 1), "EVAL", "error('boom')", "0"),
			cmd("-ERR Error compiling script (new function): user_script:1: unexpected symbol near '<eof>'|", "EVAL", "return (", "0"),
			cmd("-ERR Please specify at least one argument for this redis lib call"+suffix("return redis.call()", 1), "EVAL", "return redis.call()", "0"),
			cmd("-ERR Lua redis lib command arguments must be strings or integers|", "EVAL", "return redis.pcall('set','x',true)", "0"),
		}},
		{"read-only", []step{
			cmd("-ERR Write commands are not allowed from read-only scripts."+suffix("return redis.call('set','a','1')", 1), "EVAL_RO", "return redis.call('set','a','1')", "1", "a"),
			cmd("-ERR Write commands are not allowed from read-only scripts."+suffix("#!lua flags=no-writes\nreturn redis.call('set','a','1')", 2), "EVAL", "#!lua flags=no-writes\nreturn redis.call('set','a','1')", "1", "a"),
			cmd("-ERR Can not execute a script with write flag using *_ro command.|", "EVAL_RO", "#!lua\nreturn 1", "0"),
			cmd("-ERR Unexpected flag in script shebang: bad|", "EVAL", "#!lua flags=bad\nreturn 1", "0"),
			cmd("-ERR Unexpected engine in script shebang: #!notlua|", "EVAL", "#!notlua\nreturn 1", "0"),
		}},
		{"globals", []step{
			cmd("-ERR user_script:1: Attempt to modify a readonly table"+suffix("a=1", 1), "EVAL", "a=1", "0"),
			cmd("-ERR user_script:1: Script attempted to access nonexistent global variable 'a'"+suffix("return a", 1), "EVAL", "return a", "0"),
			cmd("-ERR user_script:1: Attempt to modify a readonly table"+suffix("string.foo = 1", 1), "EVAL", "string.foo = 1", "0"),
			cmd("-ERR Attempt to modify a readonly table"+suffix("rawset(_G,'a',1)", 1), "EVAL", "rawset(_G,'a',1)", "0"),
			cmd("-ERR user_script:1: Attempt to modify a readonly table"+suffix("getmetatable('').__index = nil", 1), "EVAL", "getmetatable('').__index = nil", "0"),
			cmd(":1|", "EVAL", "return getmetatable('').__index == string", "0"),
			cmd("-ERR user_script:1: Script attempted to access nonexistent global variable 'os'"+suffix("return os", 1), "EVAL", "return os", "0"),
		}},
		{"lua 5.1 texts", []step{
			cmd("-ERR user_script:1: attempt to perform arithmetic on a nil value"+suffix("local x; return x + 1", 1), "EVAL", "local x; return x + 1", "0"),
			cmd("-ERR user_script:1: attempt to index a nil value"+suffix("local t = nil; return t.x", 1), "EVAL", "local t = nil; return t.x", "0"),
			cmd("-ERR user_script:1: attempt to concatenate a nil value"+suffix("local s; return 'a' .. s", 1), "EVAL", "local s; return 'a' .. s", "0"),
			cmd("-ERR user_script:1: attempt to call a nil value"+suffix("return loadstring(string.dump(function() return 1 end))()", 1), "EVAL", "return loadstring(string.dump(function() return 1 end))()", "0"),
			cmd("$16|0.33333333333333|", "EVAL", "return tostring(1/3)", "0"),
			cmd("$28|1e+15 9.007199254741e+15 0.1|", "EVAL", "return tostring(1e15)..' '..tostring(2^53)..' '..tostring(0.1)", "0"),
			cmd("$3|inf|", "EVAL", "return tostring(math.huge)", "0"),
			cmd("-ERR nil"+suffix("error()", 1), "EVAL", "error()", "0"),
			cmd("-ERR x"+suffix("error('x', 0)", 1), "EVAL", "error('x', 0)", "0"),
			cmd("$1|X|", "EVAL", "local ok, e = pcall(function() error({err='X'}) end) return e", "0"),
			cmd("-ERR wrong number or type of arguments|", "EVAL", "return redis.error_reply()", "0"),
			cmd("-ERR wrong number or type of arguments|", "EVAL", "return redis.status_reply(1)", "0"),
			cmd("-ERR RESP version must be 2 or 3."+suffix("redis.setresp(4)", 1), "EVAL", "redis.setresp(4)", "0"),
			cmd("-ERR Error compiling script (new function): user_script:1: unfinished string near ''a'|", "EVAL", "return 'a\nb'", "0"),
		}},
		{"protection tricks", []step{
			cmd("-ERR Attempt to modify a readonly table"+suffix("setmetatable(_G, {})", 1), "EVAL", "setmetatable(_G, {})", "0"),
			cmd("-ERR user_script:2: Attempt to modify a readonly table"+suffix("local g = getmetatable(_G)\ng.__index = {}", 2), "EVAL", "local g = getmetatable(_G)\ng.__index = {}", "0"),
			cmd("-ERR user_script:1: Attempt to modify a readonly table"+suffix("redis.call = function() return 1 end", 1), "EVAL", "redis.call = function() return 1 end", "0"),
			cmd("-ERR user_script:1: Attempt to modify a readonly table"+suffix("_G = {}", 1), "EVAL", "_G = {}", "0"),
			cmd("-ERR user_script:1: Script attempted to access nonexistent global variable 'print'"+suffix("print('x')", 1), "EVAL", "print('x')", "0"),
		}},
		{"booleans follow the script's protocol", []step{
			cmd(":0|", "EVAL", "redis.setresp(3); return false", "0"),
			cmd(":1|", "EVAL", "redis.setresp(3); return true", "0"),
			cmd("$-1|", "EVAL", "return false", "0"),
		}},
		{"bounded string.rep", []step{
			cmd(":6|", "EVAL", "return #string.rep('ab', 3)", "0"),
			cmd("-ERR user_script:1: bad argument #2 to rep (resulting string too large)"+suffix("return #string.rep('x', 1e12)", 1), "EVAL", "return #string.rep('x', 1e12)", "0"),
		}},
		{"bounded concatenation", []step{
			cmd("$5|a1.52|", "EVAL", "return 'a' .. 1.5 .. 2", "0"),
			cmd("$16|0.33333333333333|", "EVAL", "return 1/3 .. ''", "0"),
			cmd("$2|mm|", "EVAL", "local t = setmetatable({}, {__concat=function(a,b) return 'mm' end}) return t .. 'x'", "0"),
			cmd("-ERR user_script:1: attempt to concatenate a table value"+suffix("return {} .. 'x'", 1), "EVAL", "return {} .. 'x'", "0"),
			cmd(":0|", "EVAL", "for k in pairs(_G) do if k == '__redis__concat' then return 1 end end return 0", "0"),
			cmd("$2|ab|", "EVAL", "return loadstring(\"return 'a' .. 'b'\")()", "0"),
		}},
		{"math.random", []step{
			cmd(":171|", "EVAL", "math.randomseed(0) return math.random(1000)", "0"),
			cmd(":171|", "EVAL", "math.randomseed(ARGV[1]) return math.random(ARGV[2])", "0", "0", "1000"),
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { newHarness(t).run(tc.steps) })
	}
}

// TestDebugProtocolInScripts: once DEBUG SET-DISABLE-DENY-SCRIPTS 1, a
// script converts every reply shape of DEBUG PROTOCOL as Redis 7.0.15
// does (RESP2 client; the script in RESP2 or RESP3). Keys 1 and 2 of a
// map or set table come first, as in Lua 5.1: they are in the table's
// array part.
func TestDebugProtocolInScripts(t *testing.T) {
	h := newHarness(t)
	h.run([]step{cmd("-ERR This Redis command is not allowed from script|", "EVAL", "return redis.pcall('debug','protocol','map')", "0")})
	h.eng.SetDenyScripts(false)
	// The switch is replicated: inside the state machine (a script that may
	// write) DEBUG works too, and SLEEP sleeps at most 1 s there.
	start := time.Now()
	h.run([]step{
		cmd("*6|:1|:1|:2|:0|:0|:0|", "EVAL", "redis.setresp(3);return redis.call('debug', 'protocol', 'map')", "0"),
		cmd("+OK|", "EVAL", "return redis.call('debug', 'sleep', '5')", "0"),
	})
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("DEBUG SLEEP 5 in a write script took %v: the state machine slept more than 1 s", took)
	}
	h.run([]step{
		cmd("$37|1234567999999999999999999999999999999|", "EVAL_RO", "redis.setresp(3);return redis.call('debug', 'protocol', 'bignum')", "0"),
		cmd("*6|:1|:1|:2|:0|:0|:0|", "EVAL_RO", "redis.setresp(3);return redis.call('debug', 'protocol', 'map')", "0"),
		cmd("*6|:0|:0|:1|:1|:2|:0|", "EVAL_RO", "return redis.call('debug', 'protocol', 'map')", "0"),
		cmd("$5|3.141|", "EVAL_RO", "redis.setresp(3);return redis.call('debug', 'protocol', 'double')", "0"),
		cmd("$-1|", "EVAL_RO", "redis.setresp(3);return redis.call('debug', 'protocol', 'null')", "0"),
		cmd("$25|This is a verbatim\nstring|", "EVAL_RO", "redis.setresp(3);return redis.call('debug', 'protocol', 'verbatim')", "0"),
		cmd(":0|", "EVAL_RO", "redis.setresp(3);return redis.call('debug', 'protocol', 'false')", "0"),
		cmd("$39|Some real reply following the attribute|", "EVAL_RO", "redis.setresp(3);return redis.call('debug', 'protocol', 'attrib')", "0"),
		cmd("$8|123  123|", "EVAL", "return {big_number='123\\r\\n123'}", "0"),
	})
	h.proto = 3
	h.run([]step{
		cmd("(1234567999999999999999999999999999999|", "EVAL_RO", "redis.setresp(3);return redis.call('debug', 'protocol', 'bignum')", "0"),
		cmd("%3|:1|#t|:2|#f|:0|#f|", "EVAL_RO", "redis.setresp(3);return redis.call('debug', 'protocol', 'map')", "0"),
		cmd("~3|:1|:2|:0|", "EVAL_RO", "redis.setresp(3);return redis.call('debug', 'protocol', 'set')", "0"),
		cmd(",3.141|", "EVAL_RO", "redis.setresp(3);return redis.call('debug', 'protocol', 'double')", "0"),
		cmd("_|", "EVAL_RO", "redis.setresp(3);return redis.call('debug', 'protocol', 'null')", "0"),
		cmd("=29|txt:This is a verbatim\nstring|", "EVAL_RO", "redis.setresp(3);return redis.call('debug', 'protocol', 'verbatim')", "0"),
		cmd("#f|", "EVAL_RO", "redis.setresp(3);return redis.call('debug', 'protocol', 'false')", "0"),
	})
}

// TestPairsOrderIsFixed: pairs() over the globals and the library tables
// lists them in one order in every sandbox (the tables are built from Go
// maps; a script that writes what it iterates must write the same on
// every replica), and {map=...}/{set=...} replies keep the table's order.
func TestPairsOrderIsFixed(t *testing.T) {
	script := "local out = {} for _, t in ipairs({_G, redis, string, math, table, cjson, bit}) do " +
		"for k in pairs(t) do out[#out+1] = k end end " +
		"local m = {} for i = 1, 50 do m['k' .. i] = i end out[#out+1] = cjson.encode({1}) return {out, {map=m}, {set=m}}"
	var first string
	for i := range 20 {
		h := newHarness(t)
		h.proto = 3
		got := h.do("EVAL", script, "0")
		if i == 0 {
			first = got
		} else if got != first {
			t.Fatalf("run %d differs:\n%q\n%q", i, got, first)
		}
	}
}

// TestStringLimits: a string over maxStringResult, or a run that built
// more than maxRunStrings bytes by concatenation and string.rep, stops the
// script with an error, at the same point on every replica (limits made
// small here to keep the test light).
func TestStringLimits(t *testing.T) {
	defer func(a int, b int64) { maxStringResult, maxRunStrings = a, b }(maxStringResult, maxRunStrings)
	maxStringResult, maxRunStrings = 1<<20, 4<<20
	suffix := func(body string, line int) string {
		return " script: " + SHA1Hex([]byte(body)) + ", on @user_script:" + string(rune('0'+line)) + ".|"
	}
	double := "local s = 'x'\nfor i = 1, 40 do s = s .. s end return #s"
	many := "local s = string.rep('x', 2^19) local t = {} for i = 1, 20 do t[i] = s .. i end"
	newHarness(t).run([]step{
		cmd("-ERR user_script:2: string length overflow"+suffix(double, 2), "EVAL", double, "0"),
		cmd("-ERR user_script:1: string length overflow (the script built more than 4194304 bytes of strings)"+suffix(many, 1), "EVAL", many, "0"),
		cmd("-ERR user_script:1: bad argument #2 to rep (resulting string too large)"+suffix("return string.rep('x', 2^21)", 1), "EVAL", "return string.rep('x', 2^21)", "0"),
		cmd(":1048576|", "EVAL", "return #string.rep('x', 2^20)", "0"),
	})
}
