package lualib

import (
	"math"

	lua "github.com/yuin/gopher-lua"
)

// newBit builds the bit module table (LuaBitOp 1.0.2).
func newBit(L *lua.LState) *lua.LTable {
	t := L.NewTable()
	fns := map[string]func(*lua.LState, string) uint32{
		"tobit":   func(L *lua.LState, f string) uint32 { return bitArg(L, 1, f) },
		"bnot":    func(L *lua.LState, f string) uint32 { return ^bitArg(L, 1, f) },
		"band":    bitFold(func(a, b uint32) uint32 { return a & b }),
		"bor":     bitFold(func(a, b uint32) uint32 { return a | b }),
		"bxor":    bitFold(func(a, b uint32) uint32 { return a ^ b }),
		"lshift":  bitShift(func(b, n uint32) uint32 { return b << n }),
		"rshift":  bitShift(func(b, n uint32) uint32 { return b >> n }),
		"arshift": bitShift(func(b, n uint32) uint32 { return uint32(int32(b) >> n) }),
		"rol":     bitShift(func(b, n uint32) uint32 { return b<<n | b>>(32-n) }),
		"ror":     bitShift(func(b, n uint32) uint32 { return b<<(32-n) | b>>n }),
		"bswap": func(L *lua.LState, f string) uint32 {
			b := bitArg(L, 1, f)
			return b>>24 | b>>8&0xff00 | (b&0xff00)<<8 | b<<24
		},
	}
	for _, name := range []string{"tobit", "bnot", "band", "bor", "bxor", "lshift", "rshift", "arshift", "rol", "ror", "bswap"} {
		name, fn := name, fns[name]
		t.RawSetString(name, L.NewFunction(func(L *lua.LState) int {
			L.Push(lua.LNumber(int32(fn(L, name))))
			return 1
		}))
	}
	t.RawSetString("tohex", L.NewFunction(bitToHex))
	return t
}

// bitArg is barg: the number's low 32 bits after rounding, found the way
// LuaBitOp does it (adding 2^52+2^51 and taking the mantissa's low word).
func bitArg(L *lua.LState, idx int, fname string) uint32 {
	f, ok := toNumber(L.Get(idx))
	b := uint32(math.Float64bits(f + 6755399441055744.0))
	if b == 0 && !ok {
		typeError(L, idx, fname, "number")
	}
	return b
}

func bitFold(op func(a, b uint32) uint32) func(*lua.LState, string) uint32 {
	return func(L *lua.LState, f string) uint32 {
		b := bitArg(L, 1, f)
		for i := L.GetTop(); i > 1; i-- {
			b = op(b, bitArg(L, i, f))
		}
		return b
	}
}

func bitShift(op func(b, n uint32) uint32) func(*lua.LState, string) uint32 {
	return func(L *lua.LState, f string) uint32 {
		b := bitArg(L, 1, f)
		return op(b, bitArg(L, 2, f)&31)
	}
}

// bitToHex is bit.tohex(x [, n]): n hex digits (default 8, at most 8),
// upper case when n is negative.
func bitToHex(L *lua.LState) int {
	b := bitArg(L, 1, "tohex")
	n := int32(8)
	if L.GetTop() >= 2 {
		n = int32(bitArg(L, 2, "tohex"))
	}
	digits := "0123456789abcdef"
	if n < 0 {
		n = -n
		digits = "0123456789ABCDEF"
	}
	if n > 8 {
		n = 8
	}
	if n < 0 { // -INT32_MIN overflows; Redis's build prints 8 digits
		n = 8
	}
	buf := make([]byte, n)
	for i := int(n) - 1; i >= 0; i-- {
		buf[i] = digits[b&15]
		b >>= 4
	}
	L.Push(lua.LString(buf))
	return 1
}
