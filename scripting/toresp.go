package scripting

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/geetcache/geetcache/protocol"
)

// maxReplyDepth bounds the nesting of a script's reply (a table that
// contains itself would never end).
const maxReplyDepth = 512

// luaToResp writes a script's result as the client's reply, as Redis
// 7.0's luaReplyToRedisReply: string -> bulk; number -> integer
// (truncated); a boolean, while the script's own protocol (redis.setresp)
// is 2: true -> 1, false -> null, and under setresp(3) a boolean reply
// (#t/#f, or :1/:0 to a RESP2 client); a table
// with a string err -> error, ok -> status, a number double -> double, a
// string big_number, a verbatim_string table, a map or set table; any
// other table -> array of t[1], t[2]... up to the first nil; anything else
// -> null.
func luaToResp(w *protocol.Writer, v lua.LValue, resp, depth int) {
	switch v := v.(type) {
	case lua.LString:
		w.BulkString(string(v))
	case lua.LNumber:
		w.Int(luaInt(float64(v)))
	case lua.LBool:
		switch {
		case resp == 3:
			w.Bool(bool(v))
		case bool(v):
			w.Int(1)
		default:
			w.Null()
		}
	case *lua.LTable:
		if depth >= maxReplyDepth {
			w.Error("ERR reached lua stack limit")
			return
		}
		tableToResp(w, v, resp, depth+1)
	default:
		w.Null()
	}
}

// luaInt is C's (long long) conversion of a Lua number; out of range
// values saturate as on amd64 (LLONG_MIN).
func luaInt(f float64) int64 {
	if f != f || f >= 9.223372036854775807e18 || f < -9.223372036854775808e18 {
		return -1 << 63
	}
	return int64(f)
}

func tableToResp(w *protocol.Writer, t *lua.LTable, resp, depth int) {
	if s, ok := t.RawGetString("err").(lua.LString); ok {
		w.Error(sanitizeError(string(s)))
		return
	}
	if s, ok := t.RawGetString("ok").(lua.LString); ok {
		w.Simple(sanitizeError(string(s)))
		return
	}
	if n, ok := t.RawGetString("double").(lua.LNumber); ok {
		w.Double(float64(n))
		return
	}
	if s, ok := t.RawGetString("big_number").(lua.LString); ok {
		bigNumber(w, sanitizeError(string(s)))
		return
	}
	if vt, ok := t.RawGetString("verbatim_string").(*lua.LTable); ok {
		if verbatim(w, vt) {
			return
		}
	}
	if m, ok := t.RawGetString("map").(*lua.LTable); ok {
		mapToResp(w, m, resp, depth)
		return
	}
	if s, ok := t.RawGetString("set").(*lua.LTable); ok {
		setToResp(w, s, resp, depth)
		return
	}
	n := 0
	for t.RawGetInt(n+1) != lua.LNil {
		n++
	}
	w.Array(n)
	for i := 1; i <= n; i++ {
		luaToResp(w, t.RawGetInt(i), resp, depth)
	}
}

func bigNumber(w *protocol.Writer, s string) {
	if w.Proto != 3 {
		w.BulkString(s)
		return
	}
	w.Raw([]byte("(" + s + "\r\n"))
}

func verbatim(w *protocol.Writer, t *lua.LTable) bool {
	format, ok1 := t.RawGetString("format").(lua.LString)
	s, ok2 := t.RawGetString("string").(lua.LString)
	if !ok1 || !ok2 {
		return false
	}
	if w.Proto != 3 {
		w.BulkString(string(s))
		return true
	}
	f := (string(format) + "   ")[:3]
	w.Raw([]byte("=" + strconv.Itoa(len(s)+4) + "\r\n" + f + ":" + string(s) + "\r\n"))
	return true
}

// mapToResp and setToResp walk the table with Next, in gopher-lua's
// insertion order (ForEach would follow Go's random map order).
func mapToResp(w *protocol.Writer, m *lua.LTable, resp, depth int) {
	w.Map(countPairs(m))
	for k, v := m.Next(lua.LNil); k != lua.LNil; k, v = m.Next(k) {
		luaToResp(w, k, resp, depth)
		luaToResp(w, v, resp, depth)
	}
}

func setToResp(w *protocol.Writer, s *lua.LTable, resp, depth int) {
	w.Set(countPairs(s))
	for k, _ := s.Next(lua.LNil); k != lua.LNil; k, _ = s.Next(k) {
		luaToResp(w, k, resp, depth)
	}
}

func countPairs(t *lua.LTable) int {
	n := 0
	for k, _ := t.Next(lua.LNil); k != lua.LNil; k, _ = t.Next(k) {
		n++
	}
	return n
}

// formatLuaNumber formats a number argument of redis.call as Redis does
// ("%.17g").
func formatLuaNumber(f float64) string {
	s := strconv.FormatFloat(f, 'g', 17, 64)
	if f == 0 && strings.HasPrefix(s, "-") {
		return "-0"
	}
	return s
}

// formatLua14 formats a number as Lua 5.1's tostring ("%.14g").
func formatLua14(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case f != f:
		return "nan"
	}
	if f == float64(int64(f)) && f > -1e14 && f < 1e14 {
		return strconv.FormatInt(int64(f), 10)
	}
	return fmt.Sprintf("%.14g", f)
}
