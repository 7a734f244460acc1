package lualib

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	lua "github.com/yuin/gopher-lua"
)

// Differential tests: every snippet runs in gopher-lua with this package's
// modules and in a real redis-server (EVAL "<snippet>" 0); the replies
// must be equal byte for byte. A snippet is the body of a function that
// returns a string; the preamble gives it dump/dumpall, a canonical,
// order-independent rendering of Lua values that does not depend on either
// engine's tostring of numbers. Errors are caught with pcall and compared
// by message. The tests skip when redis-server is not on PATH (fail under
// CI=true).

// luaDumpPreamble defines dump(v) and dumpall(...); fmtnum is defined per
// engine (string.format('%.17g') in Redis, formatG(v, 17) in Go).
const luaDumpPreamble = `
local function lt(a, b)
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = a:byte(i), b:byte(i)
    if x ~= y then return x < y end
  end
  return #a < #b
end
local function sortstr(t)
  for i = 2, #t do
    local v = t[i]
    local j = i - 1
    while j >= 1 and lt(v, t[j]) do t[j+1] = t[j]; j = j - 1 end
    t[j+1] = v
  end
end
local function qstr(s)
  local out = {}
  for i = 1, #s do
    local c = s:byte(i)
    if c < 32 or c > 126 or c == 92 or c == 34 then out[#out+1] = '\\' .. c .. ';'
    else out[#out+1] = string.char(c) end
  end
  return '"' .. table.concat(out) .. '"'
end
local function dnum(v)
  if v ~= v then return 'nan' end
  if v == math.huge then return 'inf' end
  if v == -math.huge then return '-inf' end
  return fmtnum(v)
end
local dump
dump = function(v, depth)
  depth = depth or 0
  local t = type(v)
  if t == 'string' then return qstr(v)
  elseif t == 'number' then return dnum(v)
  elseif t == 'nil' then return 'nil'
  elseif t == 'boolean' then return v and 'true' or 'false'
  elseif t == 'userdata' then if v == cjson.null then return 'NULL' end return 'userdata'
  elseif t == 'table' then
    if depth > 40 then return '{...}' end
    local items = {}
    for k, x in pairs(v) do items[#items+1] = dump(k, depth+1) .. '=' .. dump(x, depth+1) end
    sortstr(items)
    return '{' .. table.concat(items, ',') .. '}'
  end
  return t
end
local function dumpall(...)
  local n = select('#', ...)
  local out = {}
  for i = 1, n do out[i] = dump((select(i, ...))) end
  return n .. ':' .. table.concat(out, ' ')
end
local function hex(s)
  local out = {}
  local d = '0123456789abcdef'
  for i = 1, #s do
    local c = s:byte(i)
    local hi = math.floor(c / 16)
    out[#out+1] = d:sub(hi+1, hi+1) .. d:sub(c-hi*16+1, c-hi*16+1)
  end
  return table.concat(out)
end
`

// wrapSnippet makes the script both engines run.
func wrapSnippet(fmtnum, snippet string) string {
	return fmtnum + luaDumpPreamble + `
local ok, r = pcall(function()
` + snippet + `
end)
if not ok then return 'err:' .. tostring(r) end
if type(r) ~= 'string' then return 'nonstring:' .. dump(r) end
return 'ok:' .. r`
}

const (
	redisFmtnum = `local fmtnum = function(v) return string.format('%.17g', v) end`
	goFmtnum    = `local fmtnum = __fmtnum`
)

// runGopher runs snippet in a fresh gopher-lua state with Open applied.
func runGopher(snippet string) (out string) {
	L := lua.NewState(lua.Options{RegistrySize: 1024, RegistryMaxSize: 1024 * 1024, RegistryGrowStep: 1024 * 16})
	defer L.Close()
	Open(L)
	// gopher-lua's math.huge is the largest double; Lua's (and the
	// geetcache sandbox's) is infinity.
	L.GetGlobal("math").(*lua.LTable).RawSetString("huge", lua.LNumber(math.Inf(1)))
	L.SetGlobal("__fmtnum", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString(formatG(float64(L.CheckNumber(1)), 17)))
		return 1
	}))
	defer func() {
		if r := recover(); r != nil {
			out = fmt.Sprintf("PANIC: %v", r)
		}
	}()
	fn, err := L.Load(strings.NewReader(wrapSnippet(goFmtnum, snippet)), "@user_script")
	if err != nil {
		return "LUAERR: " + err.Error()
	}
	L.Push(fn)
	if err := L.PCall(0, 1, nil); err != nil {
		return "LUAERR: " + err.Error()
	}
	return lua.LVAsString(L.Get(-1))
}

// refRedis is a private redis-server for the differential tests.
type refRedis struct {
	c *redis.Client
}

// sharedRef is the one reference server of this package's tests (they
// run one after another); TestMain stops it.
var (
	sharedRef  *refRedis
	stopShared = func() {}
)

func TestMain(m *testing.M) {
	code := m.Run()
	stopShared()
	os.Exit(code)
}

// startRefRedis returns the package's redis-server, starting it on a free
// port the first time; it skips the test when redis-server is not on PATH
// (fails under CI=true).
func startRefRedis(t *testing.T) *refRedis {
	t.Helper()
	if sharedRef != nil {
		return sharedRef
	}
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("redis-server not on PATH: %v", err)
		}
		t.Skip("redis-server not on PATH")
	}
	for attempt := 0; ; attempt++ {
		ref, err := tryStartRefRedis(bin)
		if err == nil {
			sharedRef = ref
			return ref
		}
		if attempt == 2 {
			t.Fatalf("failed to start redis-server: %v", err)
		}
	}
}

func tryStartRefRedis(bin string) (*refRedis, error) {
	// Below Linux's ephemeral range (32768-60999), where no outgoing
	// connection can take the port before redis-server binds it.
	l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(29000+rand.IntN(1000)))
	if err != nil {
		l, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		return nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	dir, err := os.MkdirTemp("", "lualib-redis-")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", dir, "--daemonize", "no")
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	c := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port), MaxRetries: -1, ReadTimeout: 30 * time.Second})
	stop := func() {
		c.Close()
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		os.RemoveAll(dir)
	}
	deadline := time.Now().Add(5 * time.Second)
	for c.Ping(context.Background()).Err() != nil {
		if time.Now().After(deadline) {
			stop()
			return nil, fmt.Errorf("redis-server on port %d did not answer", port)
		}
		time.Sleep(20 * time.Millisecond)
	}
	stopShared = stop
	return &refRedis{c: c}, nil
}

// run evaluates snippet in the reference server. A snippet that changes
// cjson's settings runs in a fresh Lua state (SCRIPT FLUSH resets the
// interpreter) so the settings do not leak into later cases.
func (r *refRedis) run(t *testing.T, snippet string) string {
	ctx := context.Background()
	if strings.Contains(snippet, "cjson.encode_") || strings.Contains(snippet, "cjson.decode_") {
		if err := r.c.ScriptFlush(ctx).Err(); err != nil {
			t.Fatalf("SCRIPT FLUSH: %v", err)
		}
	}
	v, err := r.c.Eval(ctx, wrapSnippet(redisFmtnum, snippet), nil).Result()
	if err != nil {
		return "REDISERR: " + err.Error()
	}
	s, ok := v.(string)
	if !ok {
		return fmt.Sprintf("REDISTYPE %T: %v", v, v)
	}
	return s
}

// diffCases runs every snippet in both engines and reports mismatches.
func diffCases(t *testing.T, cases []string) {
	ref := startRefRedis(t)
	match := 0
	for i, snippet := range cases {
		t0 := time.Now()
		want := ref.run(t, snippet)
		t1 := time.Now()
		got := runGopher(snippet)
		if d := time.Since(t1); d > 200*time.Millisecond || t1.Sub(t0) > 200*time.Millisecond {
			t.Logf("slow case %d: redis %v gopher %v: %s", i, t1.Sub(t0), d, clip(snippet))
		}
		if got != want {
			t.Errorf("case %d: %s\n redis: %q\n   got: %q", i, clip(snippet), clip(want), clip(got))
			continue
		}
		if strings.HasPrefix(want, "REDISERR") {
			t.Errorf("case %d: snippet failed in Redis itself: %s\n%s", i, snippet, want)
			continue
		}
		match++
	}
	t.Logf("%d of %d cases equal to Redis", match, len(cases))
}

// clip shortens s for failure messages.
func clip(s string) string {
	if len(s) > 300 {
		return fmt.Sprintf("%s...(%d bytes)...%s", s[:200], len(s), s[len(s)-60:])
	}
	return s
}
