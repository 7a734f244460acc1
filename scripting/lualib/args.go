package lualib

import (
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// raise is luaL_error called from a C function: the message gets the
// position of the calling Lua code ("user_script:1: "), or no prefix when
// the caller is not Lua code (pcall(cjson.decode, s)).
func raise(L *lua.LState, format string, args ...interface{}) {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	L.Error(lua.LString(where(L)+msg), 0)
}

// raiseRuntime is luaG_runerror inside a C function: no position prefix.
func raiseRuntime(L *lua.LState, msg string) {
	L.Error(lua.LString(msg), 0)
}

// where is luaL_where(L, 1) seen from a Go function: "chunk:line: " of
// the calling Lua function, or "" when the caller is not a Lua function.
func where(L *lua.LState) string {
	dbg, ok := L.GetStack(1)
	if !ok {
		return ""
	}
	if _, err := L.GetInfo("Sl", dbg, lua.LNil); err != nil || dbg.CurrentLine <= 0 {
		return ""
	}
	src := dbg.Source
	if strings.HasPrefix(src, "@") || strings.HasPrefix(src, "=") {
		src = src[1:]
	}
	return fmt.Sprintf("%s:%d: ", src, dbg.CurrentLine)
}

// argError is luaL_argerror: "bad argument #n to 'name' (msg)", where
// name is how the calling Lua code named the function ("?" when it was
// called from Go code such as pcall); fname is the fallback.
func argError(L *lua.LState, n int, fname, msg string) {
	raise(L, "bad argument #%d to '%s' (%s)", n, calledAs(L, fname), msg)
}

// calledAs is the name lua_getinfo(L, "n") gives the running function.
func calledAs(L *lua.LState, fname string) string {
	dbg, ok := L.GetStack(0)
	if !ok {
		return fname
	}
	if _, err := L.GetInfo("n", dbg, lua.LNil); err != nil {
		return fname
	}
	switch {
	case dbg.Name == "(anonymous)":
		return "?"
	case dbg.Name == "" || strings.HasPrefix(dbg.Name, "<"):
		return fname
	}
	return dbg.Name
}

// typeName is luaL_typename of argument n: "no value" when absent.
func typeName(L *lua.LState, n int) string {
	if n > L.GetTop() {
		return "no value"
	}
	return luaTypeName(L.Get(n))
}

// luaTypeName is lua_typename of v's type, as Lua 5.1 spells it.
func luaTypeName(v lua.LValue) string {
	switch v.Type() {
	case lua.LTNil:
		return "nil"
	case lua.LTBool:
		return "boolean"
	case lua.LTNumber:
		return "number"
	case lua.LTString:
		return "string"
	case lua.LTTable:
		return "table"
	case lua.LTFunction:
		return "function"
	case lua.LTThread:
		return "thread"
	default:
		return "userdata"
	}
}

// typeError is luaL_typerror.
func typeError(L *lua.LState, n int, fname, want string) {
	argError(L, n, fname, fmt.Sprintf("%s expected, got %s", want, typeName(L, n)))
}

// toNumber is lua_tonumber: numbers, and strings Lua 5.1 converts.
func toNumber(v lua.LValue) (float64, bool) {
	switch x := v.(type) {
	case lua.LNumber:
		return float64(x), true
	case lua.LString:
		return str2d(string(x))
	}
	return 0, false
}

// toLString is lua_tolstring: strings, and numbers formatted "%.14g".
func toLString(v lua.LValue) (string, bool) {
	switch x := v.(type) {
	case lua.LString:
		return string(x), true
	case lua.LNumber:
		return FormatNumber(float64(x)), true
	}
	return "", false
}

// checkNumber is luaL_checknumber.
func checkNumber(L *lua.LState, n int, fname string) float64 {
	f, ok := toNumber(L.Get(n))
	if !ok {
		typeError(L, n, fname, "number")
	}
	return f
}

// checkInteger is luaL_checkinteger (truncation, as a C cast on amd64).
func checkInteger(L *lua.LState, n int, fname string) int64 {
	return toInt64(checkNumber(L, n, fname))
}

// optInteger is luaL_optinteger.
func optInteger(L *lua.LState, n int, fname string, def int64) int64 {
	if L.Get(n) == lua.LNil {
		return def
	}
	return checkInteger(L, n, fname)
}

// checkString is luaL_checklstring.
func checkString(L *lua.LState, n int, fname string) string {
	s, ok := toLString(L.Get(n))
	if !ok {
		typeError(L, n, fname, "string")
	}
	return s
}
