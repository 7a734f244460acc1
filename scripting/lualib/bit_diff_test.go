package lualib

import (
	"fmt"
	"testing"
)

// bitNumbers are operands around every conversion edge of LuaBitOp.
var bitNumbers = []string{
	"0", "1", "-1", "2", "-2", "0.5", "1.5", "2.5", "-0.5", "-1.5", "0.49999999999999994",
	"2^31-1", "2^31", "-2^31", "-2^31-1", "2^32-1", "2^32", "2^32+1", "-2^32", "2^40+3",
	"2^51", "2^51+1", "2^52", "2^52+1.5", "2^53", "2^63", "-2^63", "2^64", "1e300", "-1e300",
	"1/0", "-1/0", "0/0", "0x7fffffff", "0xffffffff", "'12'", "'0x10'", "' 7 '", "'1e2'",
	"4294967295.5", "-4294967295.5", "3.999999", "1437217655",
}

func bitCases() []string {
	var cases []string
	for _, n := range bitNumbers {
		for _, f := range []string{"tobit", "bnot", "bswap", "tohex"} {
			cases = append(cases, fmt.Sprintf("return dumpall(bit.%s(%s))", f, n))
		}
		for _, f := range []string{"lshift", "rshift", "arshift", "rol", "ror", "band", "bor", "bxor"} {
			cases = append(cases,
				fmt.Sprintf("return dumpall(bit.%s(%s, 3))", f, n),
				fmt.Sprintf("return dumpall(bit.%s(0x87654321, %s))", f, n))
		}
		cases = append(cases, fmt.Sprintf("return dumpall(bit.tohex(0x1234abcd, %s))", n))
	}
	return append(cases, bitMiscCases...)
}

var bitMiscCases = []string{
	`return dumpall(bit.tobit())`, `return dumpall(bit.tobit(nil))`, `return dumpall(bit.tobit("x"))`,
	`return dumpall(bit.tobit({}))`, `return dumpall(bit.tobit(true))`, `return dumpall(bit.band(1, "x"))`,
	`return dumpall(bit.band(1, 2, {}))`, `return dumpall(bit.band())`, `return dumpall(bit.bor(1))`,
	`return dumpall(bit.band(0xff, 0x0f, 0x3))`, `return dumpall(bit.bor(1, 2, 4, 8, 16))`,
	`return dumpall(bit.bxor(1, 3, 7, 15))`, `return dumpall(bit.lshift(1))`, `return dumpall(bit.lshift(1, 31))`,
	`return dumpall(bit.lshift(1, 32))`, `return dumpall(bit.lshift(1, 33))`, `return dumpall(bit.lshift(1, -1))`,
	`return dumpall(bit.rshift(-1, 0))`, `return dumpall(bit.rshift(-1, 31))`, `return dumpall(bit.arshift(-256, 4))`,
	`return dumpall(bit.arshift(2^31, 31))`, `return dumpall(bit.rol(0x12345678, 0))`, `return dumpall(bit.rol(0x12345678, 4))`,
	`return dumpall(bit.rol(0x12345678, 36))`, `return dumpall(bit.ror(0x12345678, 0))`, `return dumpall(bit.ror(0x12345678, 4))`,
	`return dumpall(bit.ror(0x12345678, -4))`, `return dumpall(bit.tohex(255, 2))`, `return dumpall(bit.tohex(255, -2))`,
	`return dumpall(bit.tohex(255, 0))`, `return dumpall(bit.tohex(255, 20))`, `return dumpall(bit.tohex(255, -20))`,
	`return dumpall(bit.tohex(255, nil))`, `return dumpall(bit.tohex(-1))`, `return dumpall(bit.tohex(-1, 5))`,
	`return dumpall(bit.tohex())`, `return dumpall(bit.bswap(0x12345678))`, `return dumpall(bit.bnot(0))`,
	`local t = {} for k in pairs(bit) do t[#t+1] = k end table.sort(t) return table.concat(t, ",")`,
}

func TestBitMatchesRedis(t *testing.T) {
	diffCases(t, bitCases())
}
