package lualib

import (
	"math"

	lua "github.com/yuin/gopher-lua"
)

// jsonEncoder is one cjson.encode call: the output and the model of the
// C stack depth (top) the C encoder would have reached.
type jsonEncoder struct {
	L   *lua.LState
	cfg *cjsonConfig
	buf []byte
}

// jsonEncode is cjson.encode(value).
func jsonEncode(L *lua.LState, cfg *cjsonConfig) int {
	if L.GetTop() != 1 {
		argError(L, 1, "encode", "expected 1 argument")
	}
	e := &jsonEncoder{L: L, cfg: cfg}
	e.value(L.Get(1), 0, 1)
	L.Push(lua.LString(e.buf))
	return 1
}

// fail is json_encode_exception: v is the Lua value at fault.
func (e *jsonEncoder) fail(v lua.LValue, reason string) {
	raise(e.L, "Cannot serialise %s: %s", luaTypeName(v), reason)
}

// value is json_append_data; top is the C stack height with v on top.
func (e *jsonEncoder) value(v lua.LValue, depth, top int) {
	switch x := v.(type) {
	case lua.LString:
		e.buf = appendJSONString(e.buf, string(x))
	case lua.LNumber:
		e.number(x)
	case lua.LBool:
		if x {
			e.buf = append(e.buf, "true"...)
		} else {
			e.buf = append(e.buf, "false"...)
		}
	case *lua.LTable:
		e.table(e.cfg.hooks.view(x), depth+1, top)
	case *lua.LNilType:
		e.buf = append(e.buf, "null"...)
	default:
		if IsNull(v) {
			e.buf = append(e.buf, "null"...)
			return
		}
		e.fail(v, "type not supported")
	}
}

func (e *jsonEncoder) table(t *lua.LTable, depth, top int) {
	if depth > e.cfg.encodeMaxDepth || top+3 > maxCStack {
		raise(e.L, "Cannot serialise, excessive nesting (%d)", depth)
	}
	if n := e.arrayLength(t); n > 0 {
		e.array(t, n, depth, top)
	} else {
		e.object(t, depth, top)
	}
}

// arrayLength is lua_array_length: the largest key when every key is a
// positive integer, else -1; an excessively sparse array is an error or
// (with encode_sparse_array convert) an object.
func (e *jsonEncoder) arrayLength(t *lua.LTable) int {
	max, items := int32(0), int32(0)
	for k, _ := t.Next(lua.LNil); k != lua.LNil; k, _ = t.Next(k) {
		n, ok := k.(lua.LNumber)
		f := float64(n)
		if !ok || f == 0 || math.Floor(f) != f || f < 1 {
			return -1
		}
		if f > float64(max) {
			max = toInt32(f)
		}
		items++
	}
	c := e.cfg
	if c.sparseRatio > 0 && max > items*int32(c.sparseRatio) && int(max) > c.sparseSafe {
		if c.sparseConvert == 0 {
			e.fail(t, "excessively sparse array")
		}
		return -1
	}
	return int(max)
}

// maxJSONOutput bounds what one cjson.encode may produce: Redis's
// proto-max-bulk-len default, 512 MiB. Without it a script that turns
// sparse-array checks off (encode_sparse_array(true, 0)) could ask for
// {[2^31-1] = 1}, about 10 GB of "null,". A variable for tests.
var maxJSONOutput = 512 << 20

func (e *jsonEncoder) checkSize() {
	if len(e.buf) > maxJSONOutput {
		raise(e.L, "Cannot serialise, output exceeds %d bytes", maxJSONOutput)
	}
}

func (e *jsonEncoder) array(t *lua.LTable, n, depth, top int) {
	e.buf = append(e.buf, '[')
	for i := 1; i <= n; i++ {
		e.checkSize()
		if i > 1 {
			e.buf = append(e.buf, ',')
		}
		e.value(t.RawGetInt(i), depth, top+1)
	}
	e.buf = append(e.buf, ']')
}

func (e *jsonEncoder) object(t *lua.LTable, depth, top int) {
	e.buf = append(e.buf, '{')
	keys, values := NextOrder(t)
	for i, k := range keys {
		e.checkSize()
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		switch x := k.(type) {
		case lua.LNumber:
			e.buf = append(e.buf, '"')
			e.number(x)
			e.buf = append(e.buf, '"', ':')
		case lua.LString:
			e.buf = appendJSONString(e.buf, string(x))
			e.buf = append(e.buf, ':')
		default:
			e.fail(k, "table key must be a number or string")
		}
		e.value(values[i], depth, top+2)
	}
	e.buf = append(e.buf, '}')
}

// number is json_append_number.
func (e *jsonEncoder) number(n lua.LNumber) {
	f := float64(n)
	bad := math.IsInf(f, 0) || math.IsNaN(f)
	switch e.cfg.encodeInvalid {
	case 0:
		if bad {
			e.fail(n, "must not be NaN or Inf")
		}
	case 1:
		if math.IsNaN(f) {
			e.buf = append(e.buf, "nan"...)
			return
		}
	default:
		if bad {
			e.buf = append(e.buf, "null"...)
			return
		}
	}
	e.buf = append(e.buf, formatG(f, e.cfg.precision)...)
}

// appendJSONString is json_append_string: lua-cjson escapes '"', '\\',
// '/', control characters and DEL, and passes every other byte through.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			b = append(b, '\\', '"')
		case c == '\\':
			b = append(b, '\\', '\\')
		case c == '/':
			b = append(b, '\\', '/')
		case c == '\b':
			b = append(b, '\\', 'b')
		case c == '\t':
			b = append(b, '\\', 't')
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\f':
			b = append(b, '\\', 'f')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c < 0x20 || c == 0x7f:
			const hex = "0123456789abcdef"
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}
