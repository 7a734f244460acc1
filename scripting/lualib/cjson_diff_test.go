package lualib

import (
	"fmt"
	"testing"
)

// cjsonNumbers are numbers (as Lua expressions) encoded one by one.
var cjsonNumbers = []string{
	"0", "-0", "1", "-1", "0.5", "-0.5", "1/3", "2/3", "0.1", "0.2", "0.1+0.2",
	"100", "1e14", "1e15", "1e16", "123456789012345", "1234567890123456",
	"12345678901234567890", "2^53", "2^53+1", "2^63", "-2^63", "2^64", "2^31",
	"-2^31", "2^32", "1e-4", "1e-5", "0.0001", "0.00001", "1.5e-7", "1e300",
	"1e308", "1.7976931348623157e308", "5e-324", "2.2250738585072014e-308",
	"3.14159265358979", "3.141592653589793", "99999999999999.5", "999999999999999",
	"0.1234567890123456789", "1e21", "1e22", "123e-20", "-123.456", "4.35",
	"1.005", "2.675", "1e100", "12.0", "65535.5", "127", "128", "255", "256",
}

// cjsonDecodeInputs are JSON texts decoded one by one.
var cjsonDecodeInputs = []string{
	`1`, `-1`, `0`, `-0`, `1.5`, `1e3`, `1E3`, `1e+3`, `1e-3`, `-1.5e-3`, `0.1`,
	`123456789012345678901234567890`, `1e400`, `-1e400`, `1e-400`, `0x10`, `0X1F`,
	`-0x10`, `0x1p4`, `0x1.8p1`, `01`, `007`, `+1`, `+0`, `inf`, `-inf`, `Infinity`,
	`-Infinity`, `INF`, `nan`, `-nan`, `NaN`, `NAN`, `nan(123)`, `infinity`, `1.`,
	`.5`, `-`, `--1`, `1.5e`, `1e+`, `1.2.3`, `1_000`,
	`"abc"`, `""`, `"a\"b"`, `"a\\b"`, `"a\/b"`, `"\b\f\n\r\t"`, `"\u0041"`,
	`"\u00e9"`, `"\u20AC"`, `"\ud83d\ude00"`, `"\uD83D\uDE00"`, `"\ud83d"`,
	`"\ude00"`, `"\ud83dx"`, `"\ud83d\u0041"`, `"\u12"`, `"\u12g4"`, `"\x41"`,
	`"\a"`, `"abc`, `"\u0000"`, `"é"`, `"\u007f"`, `"ctrl` + "\x01" + `char"`,
	`true`, `false`, `null`, `tru`, `nul`, `falsey`, `True`, `NULL`,
	`[]`, `{}`, `[1,2,3]`, `[1,[2,[3,[4]]]]`, `{"a":1}`, `{"a":{"b":{"c":[1,2,{"d":null}]}}}`,
	`[null,null]`, `[1,null,3]`, `{"a":null}`, `[1,]`, `[,1]`, `[1 2]`, `{"a" 1}`,
	`{"a":1,}`, `{1:2}`, `{"a":}`, `{"a"}`, `[`, `]`, `{`, `}`, `:`, `,`, `[1}`,
	`{"a":1]`, `  [ 1 , 2 ]  `, "\t\n\r [1]\n", `[1] x`, `[1][2]`, ``, ` `,
	`{"a":1,"a":2}`, `{"":1}`, `[true,false,null,"x",1.5,{}]`, `@`, `#`, `'a'`,
	`[1e2,1E-2,-0.0]`, `{"k":"v","n":[1,{"x":[]}]}`, `[[[[[]]]]]`, `[{}]`,
	"[1]\x00garbage", "\"a\x00b\"", "1\x00", "a\x00", "\x00a", `[-]`, `[1,-]`,
	`-a`, `-i`, `-infx`, `[inf]`, `{"a":nan}`, `[0x]`, `[0xg]`, `0x`, `1e5x`,
}

func cjsonCases() []string {
	var cases []string
	for _, n := range cjsonNumbers {
		cases = append(cases,
			fmt.Sprintf("return cjson.encode(%s)", n),
			fmt.Sprintf("return cjson.encode({%s})", n),
			fmt.Sprintf("return dumpall(cjson.decode(cjson.encode(%s)))", n))
	}
	for _, in := range cjsonDecodeInputs {
		cases = append(cases, fmt.Sprintf("return dumpall(cjson.decode(%q))", in))
	}
	for p := 1; p <= 14; p++ {
		cases = append(cases, fmt.Sprintf(
			"local r = cjson.encode_number_precision(%d) return r .. ' ' .. cjson.encode({1/3, 2/3, 12345.6789, 1e20, 0.1, 100, 1e-7})", p))
	}
	return append(cases, cjsonMiscCases...)
}

var cjsonMiscCases = []string{
	// types
	`return cjson.encode(nil)`, `return cjson.encode(true)`, `return cjson.encode(false)`,
	`return cjson.encode("")`, `return cjson.encode("abc")`, `return cjson.encode(cjson.null)`,
	`return cjson.encode({cjson.null, 1})`, `return cjson.encode({})`, `return cjson.encode({{}})`,
	`return cjson.encode({{},{{}}})`, `return cjson.encode({a={}})`, `return cjson.encode({1,2,3})`,
	`return cjson.encode({1,nil,3})`, `return cjson.encode({nil,nil,3})`, `return cjson.encode({[1]=1,[3]=3})`,
	`return cjson.encode({[2]=2})`, `return cjson.encode({[10]=1})`, `return cjson.encode({[11]=1})`,
	`return cjson.encode({[1]=1,[2]=2,[20]=3})`, `return cjson.encode({[1]=1,[2]=2,[3]=3,[4]=4,[5]=5,[6]=6,[12]=1})`,
	`return cjson.encode({[0]=1})`, `return cjson.encode({[-1]=1})`, `return cjson.encode({[1.5]=1})`,
	`return cjson.encode({[1e20]=1})`, `return cjson.encode({[2^31]=1})`, `return cjson.encode({[2^31-1]=1})`,
	`return cjson.encode({[true]=1})`, `return cjson.encode({[{}]=1})`, `return cjson.encode({a=1})`,
	`return cjson.encode({["a\"b"]="c\\d"})`, `return cjson.encode({[1]=1,a=2})`,
	`return cjson.encode({[1/0]=1})`, `return cjson.encode({[-1/0]=1})`,
	`return cjson.encode(function() end)`, `return cjson.encode({f=tostring})`, `return cjson.encode(coroutine.create(function() end))`,
	`return cjson.encode()`, `return cjson.encode(1, 2)`, `return cjson.decode()`, `return cjson.decode("1", 2)`,
	`return cjson.decode(nil)`, `return cjson.decode({})`, `return dumpall(cjson.decode(123))`, `return dumpall(cjson.decode(1.5))`,
	`return dumpall(cjson.decode(1e20))`, `return cjson.encode(1/0)`, `return cjson.encode(-1/0)`, `return cjson.encode(0/0)`,
	`return cjson.encode({1/0})`,
	// all bytes
	`local t = {} for i = 0, 255 do t[#t+1] = string.char(i) end return cjson.encode(table.concat(t))`,
	`return cjson.encode("\0\1\31\32\127\128\255")`, `return cjson.encode("/path/to")`,
	`return cjson.encode("\226\130\172 é 日本")`,
	`local t = {} for i = 0, 255 do t[#t+1] = string.char(i) end local s = table.concat(t) return tostring(cjson.decode(cjson.encode(s)) == s)`,
	// decode structure and null
	`return tostring(cjson.decode("null") == cjson.null)`, `return tostring(cjson.decode("[null]")[1] == cjson.null)`,
	`return type(cjson.null)`, `return tostring(cjson.null)`, `return cjson._NAME .. " " .. cjson._VERSION`,
	`return tostring(#cjson.decode("[1,2,3,4,5,6,7,8,9,10,11,12]"))`,
	`return dumpall(cjson.decode('{"1":1,"2":2}'))`,
	// depth
	`return cjson.encode(cjson.decode(string.rep("[", 1000) .. string.rep("]", 1000))):sub(1, 10)`,
	`return dumpall(pcall(cjson.decode, string.rep("[", 1001) .. string.rep("]", 1001)))`,
	`return dumpall(pcall(cjson.decode, string.rep("[", 100000)))`,
	`return dumpall(pcall(cjson.decode, string.rep('{"a":', 1001)))`,
	`return dumpall(pcall(cjson.decode, string.rep('{"a":[', 600)))`,
	`local t = {} t[1] = t return cjson.encode(t)`,
	`local t = {} t.a = t return cjson.encode(t)`,
	`local t = {} local c = t for i = 1, 1000 do c[1] = {} c = c[1] end return cjson.encode(t):sub(1, 5)`,
	`local t = {} local c = t for i = 1, 1000 do c[1] = {} c = c[1] end return #cjson.encode(t) .. ''`,
	`local t = {} local c = t for i = 1, 999 do c[1] = {} c = c[1] end return #cjson.encode(t) .. ''`,
	`cjson.encode_max_depth(5) return cjson.encode({{{{{1}}}}})`,
	`cjson.encode_max_depth(5) return cjson.encode({{{{{{1}}}}}})`,
	`cjson.decode_max_depth(3) return dumpall(cjson.decode("[[[1]]]"))`,
	`cjson.decode_max_depth(3) return dumpall(cjson.decode("[[[[1]]]]"))`,
	`cjson.decode_max_depth(3) return dumpall(cjson.decode('{"a":{"b":{"c":{}}}}'))`,
	`cjson.decode_max_depth(100000) return dumpall(pcall(cjson.decode, string.rep("[", 10000)))`,
	`cjson.decode_max_depth(100000) return dumpall(pcall(cjson.decode, string.rep('{"a":', 10000)))`,
	`cjson.decode_max_depth(100000) return dumpall(pcall(cjson.decode, string.rep('{"a":[', 10000)))`,
	`cjson.decode_max_depth(100000) return #cjson.encode(cjson.decode(string.rep("[", 7990) .. string.rep("]", 7990))) .. ""`,
	`cjson.encode_max_depth(100000) local t = {} local c = t for i = 1, 9000 do c[1] = {} c = c[1] end return cjson.encode(t)`,
	`cjson.encode_max_depth(100000) local t = {} local c = t for i = 1, 9000 do c.a = {} c = c.a end return cjson.encode(t)`,
	`cjson.encode_max_depth(100000) local t = {} local c = t for i = 1, 7996 do c[1] = {} c = c[1] end return #cjson.encode(t) .. ""`,
	`cjson.encode_max_depth(100000) local t = {} local c = t for i = 1, 7997 do c[1] = {} c = c[1] end return #cjson.encode(t) .. ""`,
	// configuration
	`return dumpall(cjson.encode_max_depth())`, `return dumpall(cjson.decode_max_depth())`,
	`return dumpall(cjson.encode_max_depth(0))`, `return dumpall(cjson.encode_max_depth(-1))`,
	`return dumpall(cjson.encode_max_depth("x"))`, `return dumpall(cjson.encode_max_depth(1, 2))`,
	`return dumpall(cjson.encode_max_depth(2^31))`, `return dumpall(cjson.encode_max_depth(2^32 + 5))`,
	`return dumpall(cjson.encode_max_depth("12"))`, `return dumpall(cjson.encode_max_depth(3.7))`,
	`return dumpall(cjson.encode_number_precision())`, `return dumpall(cjson.encode_number_precision(0))`,
	`return dumpall(cjson.encode_number_precision(15))`, `return dumpall(cjson.encode_number_precision(3))`,
	`return dumpall(cjson.encode_sparse_array())`, `return dumpall(cjson.encode_sparse_array(true))`,
	`return dumpall(cjson.encode_sparse_array("on", 3, 5))`, `return dumpall(cjson.encode_sparse_array("yes"))`,
	`return dumpall(cjson.encode_sparse_array(1))`, `return dumpall(cjson.encode_sparse_array(nil, -1))`,
	`return dumpall(cjson.encode_sparse_array(nil, nil, -1))`, `return dumpall(cjson.encode_sparse_array(1, 2, 3, 4))`,
	`cjson.encode_sparse_array(true) return cjson.encode({[1]=1,[2]=2,[20]=3}) == '[1,2,null]' and 'array' or 'object'`,
	`cjson.encode_sparse_array(true) return cjson.encode({[20]='x'})`,
	`cjson.encode_sparse_array(false, 0) return #cjson.encode({[1000]=1}) .. ''`,
	`cjson.encode_sparse_array(false, 1) return cjson.encode({[1]=1,[3]=1})`,
	`cjson.encode_sparse_array(false, 1, 0) return cjson.encode({[1]=1,[3]=1})`,
	`cjson.encode_sparse_array(false, 2, 0) return cjson.encode({[1]=1,[4]=1})`,
	`cjson.encode_sparse_array(false, 2, 0) return cjson.encode({[1]=1,[3]=1})`,
	`return dumpall(cjson.encode_keep_buffer())`, `return dumpall(cjson.encode_keep_buffer(false))`,
	`return dumpall(cjson.encode_keep_buffer("off"))`, `return dumpall(cjson.encode_keep_buffer("x"))`,
	`cjson.encode_keep_buffer(false) return cjson.encode({1,2,"x"})`,
	`return dumpall(cjson.encode_invalid_numbers())`, `return dumpall(cjson.encode_invalid_numbers("null"))`,
	`return dumpall(cjson.encode_invalid_numbers(true))`, `return dumpall(cjson.encode_invalid_numbers("on"))`,
	`return dumpall(cjson.encode_invalid_numbers("maybe"))`, `return dumpall(cjson.encode_invalid_numbers({}))`,
	`cjson.encode_invalid_numbers(true) return cjson.encode({1/0, -1/0, 0/0, -(0/0), 1})`,
	`cjson.encode_invalid_numbers("null") return cjson.encode({1/0, -1/0, 0/0, 1})`,
	`cjson.encode_invalid_numbers(true) return cjson.encode({[1/0]=1})`,
	`cjson.encode_invalid_numbers("null") return cjson.encode({[1/0]=1})`,
	`return dumpall(cjson.decode_invalid_numbers())`, `return dumpall(cjson.decode_invalid_numbers(false))`,
	`cjson.decode_invalid_numbers(false) return dumpall(pcall(cjson.decode, "[1, 2]"))`,
	`cjson.decode_invalid_numbers(false) return dumpall(pcall(cjson.decode, "0x10"))`,
	`cjson.decode_invalid_numbers(false) return dumpall(pcall(cjson.decode, "[01]"))`,
	`cjson.decode_invalid_numbers(false) return dumpall(pcall(cjson.decode, "+1"))`,
	`cjson.decode_invalid_numbers(false) return dumpall(pcall(cjson.decode, "inf"))`,
	`cjson.decode_invalid_numbers(false) return dumpall(pcall(cjson.decode, "-Infinity"))`,
	`cjson.decode_invalid_numbers(false) return dumpall(pcall(cjson.decode, "NaN"))`,
	`cjson.decode_invalid_numbers(false) return dumpall(pcall(cjson.decode, "[0, 0.5, -0, -0.5, 10]"))`,
	`cjson.decode_invalid_numbers(false) return dumpall(pcall(cjson.decode, "[-01]"))`,
	`cjson.decode_invalid_numbers(false) return dumpall(pcall(cjson.decode, "-"))`,
	`return dumpall(cjson.decode_invalid_numbers(1, 2))`,
	`local c = cjson.new() c.encode_max_depth(2) return dumpall(pcall(c.encode, {{{}}})) .. ' ' .. cjson.encode({{{}}})`,
	`local c = cjson.new() return tostring(c.null == cjson.null) .. tostring(c.decode("null") == cjson.null)`,
	`local c = cjson.new() return c._VERSION .. type(c.new)`,
	// how the failing function was named by its caller
	`local f = cjson.decode return f({})`, `return dumpall(pcall(cjson.decode, {}))`,
	`local t = {d = cjson.decode} return t.d({})`, `local t = {d = cjson.decode} return t["d"]({})`,
	`return cjson["decode"]({})`, `local t = {cjson.decode} return t[1]({})`, `return (cjson.decode)({})`,
	`return dumpall(pcall(cjson.encode_max_depth, 0))`, `return dumpall(pcall(struct.pack, "i", "x"))`,
	`return dumpall(pcall(bit.band, {}))`, `local m = cmsgpack.unpack_limit return m("x", "y")`,
	`local function g(...) return cjson.encode(...) end return g(1, 2)`,
	`local function g(...) return cjson.encode(...) end return dumpall(pcall(g, 1, 2))`,
}

func TestCJSONMatchesRedis(t *testing.T) {
	diffCases(t, cjsonCases())
}
