// Package lualib provides the Lua library modules Redis 7.0 gives scripts —
// cjson, cmsgpack, bit and struct — for gopher-lua (Lua 5.1), with the exact
// behaviour, output bytes and error texts of the C modules bundled with
// Redis 7.0.15 (lua-cjson 2.1.0, lua-cmsgpack 0.4.0, LuaBitOp 1.0.2 and
// Roberto Ierusalimschy's struct.c).
//
// Everything here is deterministic: no clock, no random source, no Go map
// iteration. Table traversal follows gopher-lua's own order (array part,
// then keys in insertion order); Redis follows Lua 5.1's hash layout, so an
// object or map with several keys may be encoded in another key order (see
// docs/compatibility.md).
//
// Errors are raised as Lua errors carrying Redis's message without a
// position prefix, as luaL_error raised from a C function does.
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
