// Package lualib provides the Lua library modules Redis 7.0 gives scripts —
// cjson, cmsgpack, bit and struct — for gopher-lua (Lua 5.1), with the exact
// behaviour, output bytes and error texts of the C modules bundled with
// Redis 7.0.15 (lua-cjson 2.1.0, lua-cmsgpack 0.4.0, LuaBitOp 1.0.2 and
// Roberto Ierusalimschy's struct.c).
//
// Everything here is deterministic: no clock, no random source, no Go map
// iteration. Objects and maps are encoded in Lua 5.1's traversal order,
// rebuilt from the table's keys (luaorder.go, NextOrder); it equals
// Redis's for tables built by assignment or decoding, and can differ for
// some constructors (docs/compatibility.md).
//
// Errors are Lua errors with Redis's texts. Like luaL_error they carry
// the position of the calling Lua code ("user_script:1: "), or none when
// the caller is Go code such as pcall; "bad argument" errors name the
// function as the caller did (lua_getinfo's "n").
//
// Hostile input fails as in Redis, never with a Go stack overflow or an
// unbounded allocation: the C code's 8000-slot stack limit is modelled,
// msgpack lengths are only claims checked against the input, and the two
// places where gopher-lua would allocate far more than Redis are bounded
// (sparse integer map keys in cmsgpack.unpack, cjson.encode's output).
package lualib

import lua "github.com/yuin/gopher-lua"

// Open installs the globals cjson, cmsgpack, bit and struct in L, as
// Redis 7.0 does when it creates its scripting state. Each call creates
// fresh module tables (and a fresh cjson configuration) bound to L.
func Open(L *lua.LState) {
	OpenWith(L, Hooks{})
}

// Hooks are optional callbacks into the embedding sandbox.
type Hooks struct {
	// CJSONConfig, when set, is called before any of cjson's
	// configuration functions (encode_max_depth, encode_keep_buffer, ...)
	// runs, so a sandbox can tell that the state's cjson settings may no
	// longer be the defaults. It is called from the script's goroutine.
	CJSONConfig func()

	// ReadTable, when set, gives the table whose contents Lua code sees
	// through t, for a sandbox that protects tables with empty proxies
	// (nil, or t itself, for an ordinary table). cjson.encode and
	// cmsgpack.pack read tables through it, so encoding a protected
	// table gives its contents, as Redis's read-only tables do.
	ReadTable func(t *lua.LTable) *lua.LTable
}

// view is t as h.ReadTable shows it.
func (h Hooks) view(t *lua.LTable) *lua.LTable {
	if h.ReadTable != nil {
		if r := h.ReadTable(t); r != nil {
			return r
		}
	}
	return t
}

// OpenWith is Open with hooks.
func OpenWith(L *lua.LState, h Hooks) {
	L.SetGlobal("cjson", newCJSON(L, h))
	L.SetGlobal("struct", newStruct(L))
	L.SetGlobal("cmsgpack", newCMsgpack(L, h))
	L.SetGlobal("bit", newBit(L))
}
