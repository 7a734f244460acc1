package lualib

import (
	"fmt"
	"math"

	lua "github.com/yuin/gopher-lua"
)

// maxCStack is Lua 5.1's LUAI_MAXCSTACK: the most stack slots a C
// function may use. lua-cjson and lua-cmsgpack fail (with their own
// messages) when their recursion would need more; the Go code counts the
// slots the C code would use to fail at the same point.
const maxCStack = 8000

// nullMarker is the Value of the userdata that stands for cjson.null
// (a NULL light userdata in Redis).
type nullMarker struct{}

// NewNull returns a userdata standing for cjson.null: type() is
// "userdata" and tostring() gives "userdata: (nil)", as in Redis.
func newNull(L *lua.LState) *lua.LUserData {
	ud := L.NewUserData()
	ud.Value = nullMarker{}
	mt := L.NewTable()
	mt.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString("userdata: (nil)"))
		return 1
	}))
	ud.Metatable = mt
	return ud
}

// IsNull reports whether v is cjson.null (what Redis sees as a NULL light
// userdata): the value JSON null decodes to.
func IsNull(v lua.LValue) bool {
	ud, ok := v.(*lua.LUserData)
	if !ok {
		return false
	}
	_, ok = ud.Value.(nullMarker)
	return ok
}

// cjsonConfig is lua-cjson's json_config_t: the per-module settings the
// configuration functions change.
type cjsonConfig struct {
	null           *lua.LUserData
	sparseConvert  int
	sparseRatio    int
	sparseSafe     int
	encodeMaxDepth int
	decodeMaxDepth int
	encodeInvalid  int // 0 off, 1 on, 2 null
	precision      int
	keepBuffer     int
	decodeInvalid  int
	hooks          Hooks
}

func defaultCJSONConfig(null *lua.LUserData) *cjsonConfig {
	return &cjsonConfig{
		null: null, sparseRatio: 2, sparseSafe: 10,
		encodeMaxDepth: 1000, decodeMaxDepth: 1000,
		precision: 14, keepBuffer: 1, decodeInvalid: 1,
	}
}

// newCJSON builds the cjson module table (lua_cjson_new) with a fresh
// configuration.
// h.CJSONConfig (may be nil) is called before a configuration function runs.
func newCJSON(L *lua.LState, h Hooks) *lua.LTable {
	return newCJSONWith(L, newNull(L), h)
}

func newCJSONWith(L *lua.LState, null *lua.LUserData, h Hooks) *lua.LTable {
	cfg := defaultCJSONConfig(null)
	cfg.hooks = h
	onConfig := h.CJSONConfig
	t := L.NewTable()
	set := func(name string, fn func(*lua.LState, *cjsonConfig) int) {
		t.RawSetString(name, L.NewFunction(func(L *lua.LState) int { return fn(L, cfg) }))
	}
	setConfig := func(name string, fn func(*lua.LState, *cjsonConfig) int) {
		t.RawSetString(name, L.NewFunction(func(L *lua.LState) int {
			if onConfig != nil {
				onConfig()
			}
			return fn(L, cfg)
		}))
	}
	set("encode", jsonEncode)
	set("decode", jsonDecode)
	setConfig("encode_sparse_array", cfgSparseArray)
	setConfig("encode_max_depth", cfgEncodeMaxDepth)
	setConfig("decode_max_depth", cfgDecodeMaxDepth)
	setConfig("encode_number_precision", cfgPrecision)
	setConfig("encode_keep_buffer", cfgKeepBuffer)
	setConfig("encode_invalid_numbers", cfgEncodeInvalid)
	setConfig("decode_invalid_numbers", cfgDecodeInvalid)
	t.RawSetString("new", L.NewFunction(func(L *lua.LState) int {
		L.Push(newCJSONWith(L, null, h))
		return 1
	}))
	t.RawSetString("null", null)
	t.RawSetString("_NAME", lua.LString("cjson"))
	t.RawSetString("_VERSION", lua.LString("2.1.0"))
	return t
}

// argInit is json_arg_init: at most n arguments.
func argInit(L *lua.LState, n int, fname string) {
	if L.GetTop() > n {
		argError(L, n+1, fname, "found too many arguments")
	}
	for L.GetTop() < n {
		L.Push(lua.LNil)
	}
}

// intOption is json_integer_option.
func intOption(L *lua.LState, idx int, fname string, setting *int, min, max int) {
	if L.Get(idx) != lua.LNil {
		v := int(int32(checkInteger(L, idx, fname)))
		if v < min || v > max {
			argError(L, 1, fname, fmt.Sprintf("expected integer between %d and %d", min, max))
		}
		*setting = v
	}
	L.Push(lua.LNumber(*setting))
}

// enumOption is json_enum_option; options nil means off/on.
func enumOption(L *lua.LState, idx int, fname string, setting *int, options []string) {
	if options == nil {
		options = []string{"off", "on"}
	}
	if v := L.Get(idx); v != lua.LNil {
		if b, ok := v.(lua.LBool); ok {
			*setting = 0
			if b {
				*setting = 1
			}
		} else {
			*setting = checkOption(L, idx, fname, options)
		}
	}
	if *setting == 0 || *setting == 1 {
		L.Push(lua.LBool(*setting == 1))
	} else {
		L.Push(lua.LString(options[*setting]))
	}
}

// checkOption is luaL_checkoption without a default.
func checkOption(L *lua.LState, idx int, fname string, options []string) int {
	s := checkString(L, idx, fname)
	for i, o := range options {
		if o == s {
			return i
		}
	}
	argError(L, idx, fname, fmt.Sprintf("invalid option '%s'", s))
	return 0
}

func cfgSparseArray(L *lua.LState, c *cjsonConfig) int {
	const f = "encode_sparse_array"
	argInit(L, 3, f)
	enumOption(L, 1, f, &c.sparseConvert, nil)
	intOption(L, 2, f, &c.sparseRatio, 0, math.MaxInt32)
	intOption(L, 3, f, &c.sparseSafe, 0, math.MaxInt32)
	return 3
}

func cfgEncodeMaxDepth(L *lua.LState, c *cjsonConfig) int {
	argInit(L, 1, "encode_max_depth")
	intOption(L, 1, "encode_max_depth", &c.encodeMaxDepth, 1, math.MaxInt32)
	return 1
}

func cfgDecodeMaxDepth(L *lua.LState, c *cjsonConfig) int {
	argInit(L, 1, "decode_max_depth")
	intOption(L, 1, "decode_max_depth", &c.decodeMaxDepth, 1, math.MaxInt32)
	return 1
}

func cfgPrecision(L *lua.LState, c *cjsonConfig) int {
	argInit(L, 1, "encode_number_precision")
	intOption(L, 1, "encode_number_precision", &c.precision, 1, 14)
	return 1
}

func cfgKeepBuffer(L *lua.LState, c *cjsonConfig) int {
	argInit(L, 1, "encode_keep_buffer")
	enumOption(L, 1, "encode_keep_buffer", &c.keepBuffer, nil)
	return 1
}

func cfgEncodeInvalid(L *lua.LState, c *cjsonConfig) int {
	argInit(L, 1, "encode_invalid_numbers")
	enumOption(L, 1, "encode_invalid_numbers", &c.encodeInvalid, []string{"off", "on", "null"})
	return 1
}

func cfgDecodeInvalid(L *lua.LState, c *cjsonConfig) int {
	argInit(L, 1, "decode_invalid_numbers")
	enumOption(L, 1, "decode_invalid_numbers", &c.decodeInvalid, nil)
	return 1
}
