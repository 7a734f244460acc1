package lualib

import (
	"encoding/binary"
	"math"

	lua "github.com/yuin/gopher-lua"
)

// msgpackMaxNesting is LUACMSGPACK_MAX_NESTING: a table this deep is
// packed as nil (so circular tables terminate).
const msgpackMaxNesting = 16

// newCMsgpack builds the cmsgpack module table.
func newCMsgpack(L *lua.LState, h Hooks) *lua.LTable {
	t := L.NewTable()
	t.RawSetString("pack", L.NewFunction(func(L *lua.LState) int { return mpPack(L, h) }))
	t.RawSetString("unpack", L.NewFunction(mpUnpack))
	t.RawSetString("unpack_one", L.NewFunction(mpUnpackOne))
	t.RawSetString("unpack_limit", L.NewFunction(mpUnpackLimit))
	t.RawSetString("_NAME", lua.LString("cmsgpack"))
	t.RawSetString("_VERSION", lua.LString("lua-cmsgpack 0.4.0"))
	t.RawSetString("_COPYRIGHT", lua.LString("Copyright (C) 2012, Salvatore Sanfilippo"))
	t.RawSetString("_DESCRIPTION", lua.LString("MessagePack C implementation for Lua"))
	return t
}

// mpPack is cmsgpack.pack(v1, ...): the concatenated encodings.
func mpPack(L *lua.LState, h Hooks) int {
	n := L.GetTop()
	if n == 0 {
		argError(L, 0, "pack", "MessagePack pack needs input.")
	}
	if 2*n > maxCStack {
		argError(L, 0, "pack", "Too many arguments for MessagePack pack.")
	}
	var buf []byte
	for i := 1; i <= n; i++ {
		buf = mpEncode(buf, L.Get(i), 0, h)
	}
	L.Push(lua.LString(buf))
	return 1
}

// mpEncode is mp_encode_lua_type.
func mpEncode(b []byte, v lua.LValue, level int, h Hooks) []byte {
	switch x := v.(type) {
	case lua.LString:
		return mpEncodeBytes(b, string(x))
	case lua.LBool:
		if x {
			return append(b, 0xc3)
		}
		return append(b, 0xc2)
	case lua.LNumber:
		return mpEncodeNumber(b, float64(x))
	case *lua.LTable:
		if level == msgpackMaxNesting {
			return append(b, 0xc0)
		}
		x = h.view(x)
		if n, ok := mpIsArray(x); ok {
			return mpEncodeArray(b, x, n, level, h)
		}
		return mpEncodeMap(b, x, level, h)
	}
	return append(b, 0xc0)
}

func mpEncodeBytes(b []byte, s string) []byte {
	n := len(s)
	switch {
	case n < 32:
		b = append(b, 0xa0|byte(n))
	case n <= 0xff:
		b = append(b, 0xd9, byte(n))
	case n <= 0xffff:
		b = append(b, 0xda, byte(n>>8), byte(n))
	default:
		b = append(b, 0xdb)
		b = binary.BigEndian.AppendUint32(b, uint32(n))
	}
	return append(b, s...)
}

// mpEncodeNumber is mp_encode_lua_number: integral values that fit an
// int64 use the smallest integer encoding, others a float when exact,
// else a double.
func mpEncodeNumber(b []byte, f float64) []byte {
	if !math.IsInf(f, 0) && float64(toInt64(f)) == f {
		return mpEncodeInt(b, toInt64(f))
	}
	if f32 := float32(f); float64(f32) == f {
		b = append(b, 0xca)
		return binary.BigEndian.AppendUint32(b, math.Float32bits(f32))
	}
	b = append(b, 0xcb)
	return binary.BigEndian.AppendUint64(b, math.Float64bits(f))
}

func mpEncodeInt(b []byte, n int64) []byte {
	if n >= 0 {
		switch {
		case n <= 127:
			return append(b, byte(n))
		case n <= 0xff:
			return append(b, 0xcc, byte(n))
		case n <= 0xffff:
			return binary.BigEndian.AppendUint16(append(b, 0xcd), uint16(n))
		case n <= 0xffffffff:
			return binary.BigEndian.AppendUint32(append(b, 0xce), uint32(n))
		}
		return binary.BigEndian.AppendUint64(append(b, 0xcf), uint64(n))
	}
	switch {
	case n >= -32:
		return append(b, byte(n))
	case n >= -128:
		return append(b, 0xd0, byte(n))
	case n >= -32768:
		return binary.BigEndian.AppendUint16(append(b, 0xd1), uint16(n))
	case n >= -2147483648:
		return binary.BigEndian.AppendUint32(append(b, 0xd2), uint32(n))
	}
	return binary.BigEndian.AppendUint64(append(b, 0xd3), uint64(n))
}

// mpIsArray is table_is_an_array: every key a positive integer (that
// fits a C int) and the largest key equal to the number of keys, which
// it returns (what lua_objlen then gives for such a table).
func mpIsArray(t *lua.LTable) (int, bool) {
	max, count := int32(0), int32(0)
	for k, _ := t.Next(lua.LNil); k != lua.LNil; k, _ = t.Next(k) {
		n, ok := k.(lua.LNumber)
		f := float64(n)
		if !ok || f <= 0 || math.IsInf(f, 0) || float64(toInt32(f)) != f {
			return 0, false
		}
		if f > float64(max) {
			max = toInt32(f)
		}
		count++
	}
	return int(max), max == count
}

func mpEncodeArray(b []byte, t *lua.LTable, n, level int, h Hooks) []byte {
	b = mpEncodeHeader(b, uint32(n), 0x90, 0xdc, 0xdd)
	for i := 1; i <= n; i++ {
		b = mpEncode(b, t.RawGetInt(i), level+1, h)
	}
	return b
}

func mpEncodeMap(b []byte, t *lua.LTable, level int, h Hooks) []byte {
	keys, values := NextOrder(t)
	b = mpEncodeHeader(b, uint32(len(keys)), 0x80, 0xde, 0xdf)
	for i, k := range keys {
		b = mpEncode(b, k, level+1, h)
		b = mpEncode(b, values[i], level+1, h)
	}
	return b
}

// mpEncodeHeader writes an array or map header: fix, 16 or 32 bits.
func mpEncodeHeader(b []byte, n uint32, fix, c16, c32 byte) []byte {
	switch {
	case n <= 15:
		return append(b, fix|byte(n))
	case n <= 0xffff:
		return binary.BigEndian.AppendUint16(append(b, c16), uint16(n))
	}
	return binary.BigEndian.AppendUint32(append(b, c32), n)
}
