package scripting

import (
	"math"
	"slices"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// openBaseOverrides replaces the base functions whose gopher-lua versions
// differ from Lua 5.1's (as Redis 7.0 runs them) in what a script sees:
// error (nil and numbers), pcall (Redis's: an error table becomes its err
// text), collectgarbage and gcinfo (no Go GC from a script; a fixed
// answer, the same on every replica), math.huge (infinity).
func (sb *Sandbox) openBaseOverrides() {
	L := sb.L
	g := L.G.Global
	g.RawSetString("error", L.NewFunction(luaError))
	g.RawSetString("pcall", L.NewFunction(luaPCall))
	g.RawSetString("collectgarbage", L.NewFunction(luaCollectGarbage))
	g.RawSetString("gcinfo", L.NewFunction(luaGCInfo))
	g.RawGetString("math").(*lua.LTable).RawSetString("huge", lua.LNumber(math.Inf(1)))
	str := g.RawGetString("string").(*lua.LTable)
	for name, pos := range map[string][]int{"sub": {2, 3}, "rep": {2}, "byte": {2, 3}, "find": {3}, "gsub": {4}, "char": nil} {
		numericArgs(L, str, name, pos)
	}
	numericArgs(L, g.RawGetString("table").(*lua.LTable), "concat", []int{3, 4})
	numericArgs(L, g.RawGetString("table").(*lua.LTable), "insert", []int{2})
	numericArgs(L, g.RawGetString("table").(*lua.LTable), "remove", []int{2})
	numericArgs(L, g, "unpack", []int{2, 3})
	sb.boundRep(L, str)
}

// maxStringResult bounds a string that string.rep or a concatenation
// builds: Redis's proto-max-bulk-len (512 MB), so one call cannot take
// every replica's memory at once. A variable for tests only.
var maxStringResult = 512 << 20

// boundRep makes string.rep refuse a result over maxStringResult with
// Lua 5.3's text for it, "resulting string too large".
func (sb *Sandbox) boundRep(L *lua.LState, str *lua.LTable) {
	rep := str.RawGetString("rep").(*lua.LFunction).GFunction
	str.RawSetString("rep", L.NewFunction(func(L *lua.LState) int {
		s := L.CheckString(1)
		n := L.CheckNumber(2)
		if n > 0 && float64(len(s))*float64(n) > float64(maxStringResult) {
			L.ArgError(2, "resulting string too large")
		}
		if n > 0 {
			sb.chargeString(L, len(s)*int(n))
		}
		return rep(L)
	}))
}

// numericArgs wraps t[name] so that a string argument at one of pos (all
// arguments when pos is nil) that reads as a number is passed as that
// number: Lua 5.1's luaL_checkint takes "3" where gopher-lua's CheckInt
// wants a number (string.sub(s, ARGV[1]) is common in scripts).
func numericArgs(L *lua.LState, t *lua.LTable, name string, pos []int) {
	fn, ok := t.RawGetString(name).(*lua.LFunction)
	if !ok || !fn.IsG {
		return
	}
	orig := fn.GFunction
	t.RawSetString(name, L.NewFunction(func(L *lua.LState) int {
		top := L.GetTop()
		for i := 1; i <= top; i++ {
			if pos != nil && !slices.Contains(pos, i) {
				continue
			}
			if s, ok := L.Get(i).(lua.LString); ok {
				if n, err := strconv.ParseFloat(strings.TrimSpace(string(s)), 64); err == nil {
					L.Replace(i, lua.LNumber(n))
				}
			}
		}
		return orig(L)
	}))
}

// luaError is Lua 5.1's error([message [, level]]): a string or number
// message gets the position of the level's function.
func luaError(L *lua.LState) int {
	obj := L.Get(1)
	level := L.OptInt(2, 1)
	if n, ok := obj.(lua.LNumber); ok {
		obj = lua.LString(formatLua14(float64(n)))
	}
	L.Error(obj, level)
	return 0
}

// luaPCall is Redis 7.0's pcall: like Lua's, except that an error table
// with an err string (redis.call's errors) is returned as that string.
func luaPCall(L *lua.LState) int {
	L.CheckAny(1)
	nargs := L.GetTop() - 1
	if err := L.PCall(nargs, lua.MultRet, nil); err != nil {
		var obj lua.LValue = lua.LString(err.Error())
		if ae, ok := err.(*lua.ApiError); ok {
			obj = ae.Object
			if s, isStr := obj.(lua.LString); isStr {
				obj = lua.LString(luaVMError(string(s)))
			}
		}
		if t, ok := obj.(*lua.LTable); ok {
			if s, isStr := t.RawGetString("err").(lua.LString); isStr {
				obj = s
			}
		}
		L.Push(lua.LFalse)
		L.Push(obj)
		return 2
	}
	L.Insert(lua.LTrue, 1)
	return L.GetTop()
}

// gcKB is what collectgarbage("count") and gcinfo() say: gopher-lua has
// no heap of its own, and a per-node figure would differ between
// replicas.
const gcKB = 64

func luaCollectGarbage(L *lua.LState) int {
	switch L.OptString(1, "collect") {
	case "count":
		L.Push(lua.LNumber(gcKB))
	default:
		L.Push(lua.LNumber(0))
	}
	return 1
}

func luaGCInfo(L *lua.LState) int {
	L.Push(lua.LNumber(gcKB))
	return 1
}

// raiseRedis raises msg as an error table, as Redis's own redis.*
// functions do (no position in the text; the error handler adds where).
func raiseRedis(L *lua.LState, msg string) {
	t := L.NewTable()
	t.RawSetString("err", lua.LString(msg))
	L.Error(t, 0)
}
