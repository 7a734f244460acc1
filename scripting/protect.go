package scripting

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// Globals protection, as Redis 7.0: a script can neither create nor change
// a global, nor change any table reachable from the globals (library
// tables, the string metatable); reading an undefined global is an error.
//
// gopher-lua has no read-only tables, so each shared table T is shown to
// scripts as an empty proxy P whose metatable reads a shadow copy of T
// (table-valued fields replaced by their proxies) and refuses writes; the
// metatable's __metatable field stops setmetatable and hides it. next,
// pairs, rawget and rawset see through proxies; getmetatable('') gives the
// string library's proxy.

// protectAll makes the globals and every table under them read-only and
// runs scripts with the globals proxy as their environment.
func (sb *Sandbox) protectAll() {
	L := sb.L
	real := L.G.Global
	g := real
	g.RawSetString("next", L.NewFunction(sb.luaNext))
	g.RawSetString("pairs", L.NewFunction(sb.luaPairs))
	g.RawSetString("rawget", L.NewFunction(sb.luaRawGet))
	g.RawSetString("rawset", L.NewFunction(sb.luaRawSet))
	g.RawSetString("getmetatable", L.NewFunction(sb.luaGetMetatable))
	g.RawSetString("loadstring", L.NewFunction(sb.luaLoadString))
	g.RawSetString("load", L.NewFunction(sb.luaLoad))
	g.RawSetString("setmetatable", L.NewFunction(sb.luaSetMetatable))
	g.RawSetString("tostring", L.NewFunction(luaToString))
	g.RawSetString(concatFunc, L.NewFunction(sb.luaConcat))
	str := g.RawGetString("string").(*lua.LTable)
	str.RawSetString("dump", L.NewFunction(luaStringDump))
	openTableCompat(L, g.RawGetString("table").(*lua.LTable))
	sb.watchCJSONConfig(g.RawGetString("cjson"))
	sb.globals = sb.proxy(real)
	sb.shadow = sb.shadowOf(sb.globals)
	L.SetMetatable(sb.shadow, sb.globalsMeta())
	// _G is the proxy itself.
	sb.shadow.RawSetString("_G", sb.globals)
	// gopher-lua's string table is its own metatable (string.__index);
	// scripts see Lua's: a string table without __index, and a separate
	// read-only metatable for strings.
	strProxy := sb.shadow.RawGetString("string").(*lua.LTable)
	sb.shadowOf(strProxy).RawSetString("__index", lua.LNil)
	strMeta := L.NewTable()
	strMeta.RawSetString("__index", str)
	sb.stringMeta = sb.proxy(strMeta)
	sb.shadowOf(sb.stringMeta).RawSetString("__index", strProxy)
}

// cjsonSettings are the cjson functions that change the module's settings
// for later calls (lua-cjson's configuration functions).
var cjsonSettings = []string{"encode_sparse_array", "encode_max_depth", "decode_max_depth",
	"encode_number_precision", "encode_keep_buffer", "encode_invalid_numbers", "decode_invalid_numbers"}

// watchCJSONConfig marks the sandbox dirty when a script calls one of
// cjson's configuration functions: a dirty sandbox is not reused, so every
// run (on every replica) starts from cjson's defaults.
func (sb *Sandbox) watchCJSONConfig(v lua.LValue) {
	t, ok := v.(*lua.LTable)
	if !ok {
		return
	}
	for _, name := range cjsonSettings {
		fn, ok := t.RawGetString(name).(*lua.LFunction)
		if !ok {
			continue
		}
		t.RawSetString(name, sb.L.NewFunction(func(L *lua.LState) int {
			sb.dirty = true
			top := L.GetTop()
			L.Push(fn)
			L.Insert(fn, 1)
			L.Pop(1)
			L.Call(top, lua.MultRet)
			return L.GetTop()
		}))
	}
}

// openTableCompat adds Lua 5.1's deprecated table functions gopher-lua
// lacks: foreach, foreachi, setn.
func openTableCompat(L *lua.LState, t *lua.LTable) {
	t.RawSetString("foreach", L.NewFunction(func(L *lua.LState) int {
		tb, fn := L.CheckTable(1), L.CheckFunction(2)
		for k, v := tb.Next(lua.LNil); k != lua.LNil; k, v = tb.Next(k) {
			if r := callPair(L, fn, k, v); r != lua.LNil {
				L.Push(r)
				return 1
			}
		}
		return 0
	}))
	t.RawSetString("foreachi", L.NewFunction(func(L *lua.LState) int {
		tb, fn := L.CheckTable(1), L.CheckFunction(2)
		for i := 1; i <= tb.Len(); i++ {
			if r := callPair(L, fn, lua.LNumber(i), tb.RawGetInt(i)); r != lua.LNil {
				L.Push(r)
				return 1
			}
		}
		return 0
	}))
	t.RawSetString("setn", L.NewFunction(func(L *lua.LState) int {
		L.RaiseError("'setn' is obsolete")
		return 0
	}))
}

func callPair(L *lua.LState, fn *lua.LFunction, k, v lua.LValue) lua.LValue {
	L.Push(fn)
	L.Push(k)
	L.Push(v)
	L.Call(2, 1)
	r := L.Get(-1)
	L.Pop(1)
	return r
}

// proxy returns t's read-only proxy, building it (and its fields'
// proxies) the first time.
func (sb *Sandbox) proxy(t *lua.LTable) *lua.LTable {
	if p, ok := sb.proxies[t]; ok {
		return p
	}
	L := sb.L
	p := L.NewTable()
	sb.proxies[t] = p
	shadow := L.NewTable()
	meta := L.NewTable()
	meta.RawSetString("__index", shadow)
	meta.RawSetString("__newindex", L.NewFunction(luaReadonly))
	meta.RawSetString("__metatable", lua.LFalse)
	meta.RawSetString("__shadow", shadow)
	L.SetMetatable(p, meta)
	for _, k := range sortedKeys(t) {
		v := t.RawGet(k)
		if vt, ok := v.(*lua.LTable); ok {
			v = sb.proxy(vt)
		}
		shadow.RawSet(k, v)
	}
	return p
}

// sortedKeys returns t's keys sorted by type, then value: the shadow is
// filled in this order, so pairs() over a library table lists it the same
// way in every sandbox on every replica (the tables were built from Go
// maps, in random order).
func sortedKeys(t *lua.LTable) []lua.LValue {
	var keys []lua.LValue
	for k, _ := t.Next(lua.LNil); k != lua.LNil; k, _ = t.Next(k) {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b lua.LValue) int {
		if c := cmp.Compare(a.Type(), b.Type()); c != 0 {
			return c
		}
		if an, ok := a.(lua.LNumber); ok {
			return cmp.Compare(an, b.(lua.LNumber))
		}
		return cmp.Compare(a.String(), b.String())
	})
	return keys
}

// shadowOf returns the table a proxy reads, or nil if p is no proxy.
func (sb *Sandbox) shadowOf(p *lua.LTable) *lua.LTable {
	mt, ok := p.Metatable.(*lua.LTable)
	if !ok {
		return nil
	}
	s, _ := mt.RawGetString("__shadow").(*lua.LTable)
	return s
}

// globalsMeta makes reading an undefined global an error.
func (sb *Sandbox) globalsMeta() *lua.LTable {
	mt := sb.L.NewTable()
	mt.RawSetString("__index", sb.L.NewFunction(luaNoGlobal))
	return mt
}

// luaNoGlobal is the __index of a table whose missing keys are an error
// (the globals; a library's globals while it loads).
func luaNoGlobal(L *lua.LState) int {
	L.RaiseError(errNoGlobalFmt, lua.LVAsString(L.Get(2)))
	return 0
}

func luaReadonly(L *lua.LState) int {
	L.RaiseError(errReadonlyTable)
	return 0
}

// seeThrough returns the table a script's table value stands for.
func (sb *Sandbox) seeThrough(t *lua.LTable) *lua.LTable {
	if s := sb.shadowOf(t); s != nil {
		return s
	}
	return t
}

func (sb *Sandbox) luaNext(L *lua.LState) int {
	t := sb.seeThrough(L.CheckTable(1))
	k, v := t.Next(L.Get(2))
	if k == lua.LString(concatFunc) && t == sb.shadow {
		k, v = t.Next(k) // not a global of Redis's
	}
	if k == lua.LNil {
		L.Push(lua.LNil)
		return 1
	}
	L.Push(k)
	L.Push(v)
	return 2
}

func (sb *Sandbox) luaPairs(L *lua.LState) int {
	t := L.CheckTable(1)
	L.Push(L.G.Global.RawGetString("next"))
	L.Push(t)
	L.Push(lua.LNil)
	return 3
}

func (sb *Sandbox) luaRawGet(L *lua.LState) int {
	t := sb.seeThrough(L.CheckTable(1))
	L.Push(t.RawGet(L.CheckAny(2)))
	return 1
}

func (sb *Sandbox) luaRawSet(L *lua.LState) int {
	t := L.CheckTable(1)
	if sb.shadowOf(t) != nil {
		L.Error(lua.LString(errReadonlyTable), 0)
	}
	t.RawSet(L.CheckAny(2), L.CheckAny(3))
	L.SetTop(1)
	return 1
}

func (sb *Sandbox) luaGetMetatable(L *lua.LState) int {
	v := L.CheckAny(1)
	if _, ok := v.(lua.LString); ok {
		L.Push(sb.stringMeta)
		return 1
	}
	if t, ok := v.(*lua.LTable); ok && sb.shadowOf(t) != nil {
		L.Push(sb.frozenMeta())
		return 1
	}
	L.Push(L.GetMetatable(v))
	return 1
}

// frozenMeta is what getmetatable shows of a read-only table: a
// read-only table, as Redis's.
func (sb *Sandbox) frozenMeta() *lua.LTable {
	if sb.frozen == nil {
		sb.frozen = sb.proxy(sb.L.NewTable())
	}
	return sb.frozen
}

// luaSetMetatable refuses read-only tables with Redis's text.
func (sb *Sandbox) luaSetMetatable(L *lua.LState) int {
	if t, ok := L.Get(1).(*lua.LTable); ok && sb.shadowOf(t) != nil {
		L.Error(lua.LString(errReadonlyTable), 0)
	}
	L.CheckTypes(2, lua.LTNil, lua.LTTable)
	obj := L.Get(1)
	if m := L.GetMetatable(obj); m != lua.LNil {
		if _, isT := m.(*lua.LTable); !isT || m.(*lua.LTable).RawGetString("__metatable") != lua.LNil {
			L.RaiseError("cannot change a protected metatable")
		}
	}
	L.SetMetatable(obj, L.Get(2))
	L.SetTop(1)
	return 1
}

// luaToString is tostring with Lua 5.1's number format ("%.14g").
func luaToString(L *lua.LState) int {
	v := L.CheckAny(1)
	if n, ok := v.(lua.LNumber); ok {
		L.Push(lua.LString(formatLua14(float64(n))))
		return 1
	}
	if mt, ok := L.GetMetaField(v, "__tostring").(*lua.LFunction); ok {
		L.Push(mt)
		L.Push(v)
		L.Call(1, 1)
		return 1
	}
	L.Push(lua.LString(v.String()))
	return 1
}

// luaStringDump returns a Lua 5.1 binary chunk header: Redis 7.0 refuses
// binary chunks, so what it holds never runs (loadstring gives nil).
func luaStringDump(L *lua.LState) int {
	L.CheckFunction(1)
	L.Push(lua.LString("\x1bLuaQ\x00\x01\x04\x08\x04\x08\x00"))
	return 1
}

// luaLoadString compiles a chunk that runs, like the script, with the
// protected globals.
func (sb *Sandbox) luaLoadString(L *lua.LState) int {
	src := L.CheckString(1)
	name := L.OptString(2, src)
	if strings.HasPrefix(src, "\x1b") {
		L.Push(lua.LNil)
		L.Push(lua.LString("binary chunks are not allowed"))
		return 2
	}
	proto, err := compileLua(src, name)
	if err != nil {
		L.Push(lua.LNil)
		L.Push(lua.LString(err.Error()))
		return 2
	}
	fn := L.NewFunctionFromProto(proto)
	fn.Env = sb.globals
	L.Push(fn)
	return 1
}

// luaLoad is load(func [, chunkname]) over the same environment.
func (sb *Sandbox) luaLoad(L *lua.LState) int {
	if s, ok := L.Get(1).(lua.LString); ok {
		L.SetTop(0)
		L.Push(s)
		return sb.luaLoadString(L)
	}
	f := L.CheckFunction(1)
	var src []byte
	for {
		L.Push(f)
		L.Call(0, 1)
		piece := L.Get(-1)
		L.Pop(1)
		s, ok := piece.(lua.LString)
		if !ok || s == "" {
			break
		}
		src = append(src, s...)
	}
	L.SetTop(0)
	L.Push(lua.LString(src))
	L.Push(lua.LString(fmt.Sprintf("=(load)")))
	return sb.luaLoadString(L)
}
