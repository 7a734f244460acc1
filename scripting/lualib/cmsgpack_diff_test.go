package lualib

import (
	"fmt"
	"strings"
	"testing"
)

// luaBytes renders b as a Lua string literal using only \ddd escapes,
// which Lua 5.1 and gopher-lua read alike.
func luaBytes(b string) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for i := 0; i < len(b); i++ {
		fmt.Fprintf(&sb, "\\%03d", b[i])
	}
	sb.WriteByte('"')
	return sb.String()
}

// msgpackValues are Lua expressions packed one by one, around every
// encoding boundary.
var msgpackValues = []string{
	"0", "1", "-1", "127", "128", "-31", "-32", "-33", "-127", "-128", "-129", "255", "256",
	"-32767", "-32768", "-32769", "65535", "65536", "2^31-1", "2^31", "-2^31", "-2^31-1",
	"2^32-1", "2^32", "2^32+1", "-2^32", "2^53", "2^53+2", "-2^53", "2^62", "2^63-1024",
	"2^63", "-2^63", "-2^63-2048", "2^64", "2^64+4096", "1e20", "-1e20",
	"0.5", "-0.5", "1.5", "0.1", "-0.1", "1/3", "3.4028234663852886e38", "3.4028235e38",
	"1e39", "1e-45", "1.401298464324817e-45", "1e-46", "-0", "1/0", "-1/0", "0/0", "-(0/0)",
	"65535.5", "2^24+1", "2^24", "16777217.5", "123456.789",
	"''", "'a'", "string.rep('x', 31)", "string.rep('x', 32)", "string.rep('x', 255)",
	"string.rep('x', 256)", "string.rep('x', 65535)", "string.rep('x', 65536)",
	"'\\0\\1\\255'", "true", "false", "nil", "cjson.null", "tostring", "coroutine.create(function() end)",
	"{}", "{1}", "{1,2,3}", "{1,nil,3}", "{nil,2}", "{[2]=1}", "{[0]=1}", "{[-1]=1}", "{[1.5]=1}",
	"{[1]=1,[2]=2,[4]=4}", "{a=1}", "{['']=true}", "{[true]=false}", "{{}}", "{{{}}}", "{{1,{2,{3}}}}",
	"{[2^31]=1}", "{[2^32+1]=1}",
}

func msgpackRange(n int) string {
	return fmt.Sprintf("(function() local t = {} for i = 1, %d do t[i] = i %% 7 end return t end)()", n)
}

func msgpackMap(n int) string {
	return fmt.Sprintf("(function() local t = {} for i = 1, %d do t['k'..i] = i end return t end)()", n)
}

// msgpackInputs are raw msgpack bytes unpacked one by one.
var msgpackInputs = []string{
	"", "\x00", "\x7f", "\x80", "\x8f", "\x90", "\x9f", "\xa0", "\xbf", "\xc0", "\xc1",
	"\xc2", "\xc3", "\xc4\x01a", "\xc5\x00\x01a", "\xc6\x00\x00\x00\x01a", "\xc7\x01\x01a",
	"\xc8", "\xc9", "\xca\x3f\xc0\x00\x00", "\xca\x7f\x80\x00\x00", "\xca\xff\xc0\x00\x00",
	"\xca\x00\x00\x00\x01", "\xcb\x3f\xf8\x00\x00\x00\x00\x00\x00", "\xcb\x7f\xf0\x00\x00\x00\x00\x00\x00",
	"\xcb\x00\x00\x00\x00\x00\x00\x00\x01", "\xcc\xff", "\xcd\xff\xff", "\xce\xff\xff\xff\xff",
	"\xcf\xff\xff\xff\xff\xff\xff\xff\xff", "\xcf\x7f\xff\xff\xff\xff\xff\xff\xff",
	"\xcf\x80\x00\x00\x00\x00\x00\x00\x00", "\xcf\x00\x00\x00\x01\x00\x00\x00\x00",
	"\xd0\x80", "\xd0\x7f", "\xd1\x80\x00", "\xd1\xff\x7f", "\xd2\x80\x00\x00\x00",
	"\xd3\x80\x00\x00\x00\x00\x00\x00\x00", "\xd3\xff\xff\xff\xff\xff\xff\xff\xff",
	"\xd3\x00\x20\x00\x00\x00\x00\x00\x01", "\xd4\x01\x02", "\xd5", "\xd6", "\xd7", "\xd8",
	"\xd9\x03abc", "\xd9\x04abc", "\xda\x00\x03abc", "\xda\x00", "\xdb\x00\x00\x00\x03abc",
	"\xdb\xff\xff\xff\xffabc", "\xdc\x00\x02\x01\x02", "\xdc\x00\x03\x01\x02", "\xdc\xff\xff",
	"\xdd\x00\x00\x00\x01\xc3", "\xdd\xff\xff\xff\xff\x01\x02", "\xde\x00\x01\xa1a\x01",
	"\xdf\x00\x00\x00\x01\xa1a\x01", "\xdf\xff\xff\xff\xff\xa1a\x01", "\xe0", "\xff",
	"\x92\x01", "\x92\xc0\x01", "\x93\x01\xc0\x03", "\x81\xc0\x01", "\x81\x01\xc0",
	"\x81\xca\x7f\xc0\x00\x00\x01", "\x82\xa1a\x01\xa1a\x02", "\x81\x91\x01\x02", "\x01\x02\x03",
	"\x01\xc1", "\xa3ab", "\x91", "\x81\x01", "\x81", "\x01\x02\x03\x04\x05\x06\x07",
}

func cmsgpackCases() []string {
	var cases []string
	for _, v := range msgpackValues {
		if strings.Contains(v, "6553") { // long strings: header bytes, length and round trip
			cases = append(cases, fmt.Sprintf(
				"local v = %s local s = cmsgpack.pack(v) return hex(s:sub(1, 8)) .. ' ' .. #s .. ' ' .. tostring(cmsgpack.unpack(s) == v)", v))
			continue
		}
		cases = append(cases,
			fmt.Sprintf("return hex(cmsgpack.pack(%s))", v),
			fmt.Sprintf("return dumpall(cmsgpack.unpack(cmsgpack.pack(%s)))", v))
	}
	for _, n := range []int{15, 16, 17, 65535, 65536} {
		cases = append(cases,
			fmt.Sprintf("return hex(cmsgpack.pack(%s):sub(1, 8))", msgpackRange(n)),
			fmt.Sprintf("return #cmsgpack.pack(%s) .. ''", msgpackRange(n)),
			fmt.Sprintf("return hex(cmsgpack.pack(%s):sub(1, 1))", msgpackMap(n)),
			fmt.Sprintf("return dumpall(#cmsgpack.pack(%s), #cmsgpack.unpack(cmsgpack.pack(%s)))", msgpackMap(n), msgpackRange(n)))
	}
	for _, in := range msgpackInputs {
		cases = append(cases,
			fmt.Sprintf("return dumpall(cmsgpack.unpack(%s))", luaBytes(in)),
			fmt.Sprintf("return dumpall(cmsgpack.unpack_one(%s))", luaBytes(in)),
			fmt.Sprintf("return dumpall(cmsgpack.unpack_limit(%s, 2))", luaBytes(in)))
	}
	return append(cases, cmsgpackMiscCases...)
}

var cmsgpackMiscCases = []string{
	`return hex(cmsgpack.pack(1, 2, "x", {3}))`,
	`return dumpall(cmsgpack.unpack(cmsgpack.pack(1, 2, "x", {3}, nil, true)))`,
	`return cmsgpack.pack()`,
	`return dumpall(cmsgpack.unpack())`, `return dumpall(cmsgpack.unpack(nil))`, `return dumpall(cmsgpack.unpack({}))`,
	`return dumpall(cmsgpack.unpack(1))`, `return dumpall(cmsgpack.unpack(12))`,
	`return dumpall(cmsgpack.unpack("\1", "extra", 3))`,
	`local s = cmsgpack.pack(1, 2, 3, 4) return dumpall(cmsgpack.unpack_one(s))`,
	`local s = cmsgpack.pack(1, 2, 3, 4) return dumpall(cmsgpack.unpack_one(s, 1))`,
	`local s = cmsgpack.pack(1, 2, 3, 4) return dumpall(cmsgpack.unpack_one(s, 3))`,
	`local s = cmsgpack.pack(1, 2, 3, 4) return dumpall(cmsgpack.unpack_one(s, 4))`,
	`local s = cmsgpack.pack(1, 2, 3, 4) return dumpall(cmsgpack.unpack_one(s, 5))`,
	`local s = cmsgpack.pack(1, 2, 3, 4) return dumpall(cmsgpack.unpack_one(s, -1))`,
	`local s = cmsgpack.pack(1, 2, 3, 4) return dumpall(cmsgpack.unpack_one(s, "x"))`,
	`local s = cmsgpack.pack(1, 2, 3, 4) return dumpall(cmsgpack.unpack_one(s, "2"))`,
	`local s = cmsgpack.pack(1, 2, 3, 4) return dumpall(cmsgpack.unpack_one(s, 1.9))`,
	`local s = cmsgpack.pack(1, 2, 3, 4) return dumpall(cmsgpack.unpack_limit(s, 0))`,
	`local s = cmsgpack.pack(1, 2, 3, 4) return dumpall(cmsgpack.unpack_limit(s, 0, 1))`,
	`local s = cmsgpack.pack(1, 2, 3, 4) return dumpall(cmsgpack.unpack_limit(s, 2))`,
	`local s = cmsgpack.pack(1, 2, 3, 4) return dumpall(cmsgpack.unpack_limit(s, 2, 2))`,
	`local s = cmsgpack.pack(1, 2, 3, 4) return dumpall(cmsgpack.unpack_limit(s, 10, 2))`,
	`local s = cmsgpack.pack(1, 2, 3, 4) return dumpall(cmsgpack.unpack_limit(s, -1))`,
	`local s = cmsgpack.pack(1, 2, 3, 4) return dumpall(cmsgpack.unpack_limit(s, 1, -5))`,
	`local s = cmsgpack.pack(1, 2, 3, 4) return dumpall(cmsgpack.unpack_limit(s))`,
	`local s = cmsgpack.pack(1, 2, 3, 4) return dumpall(cmsgpack.unpack_limit(s, nil, 1))`,
	`local s = cmsgpack.pack("abc", {1, 2}) return dumpall(cmsgpack.unpack_limit(s, 1, 1))`,
	`return cmsgpack._NAME .. "|" .. cmsgpack._VERSION .. "|" .. cmsgpack._COPYRIGHT .. "|" .. cmsgpack._DESCRIPTION`,
	// nesting
	`local t = {} t[1] = t return hex(cmsgpack.pack(t))`,
	`local t = {} t.a = t return hex(cmsgpack.pack(t))`,
	`local t = {} local c = t for i = 1, 20 do c[1] = {} c = c[1] end return hex(cmsgpack.pack(t))`,
	`local t = {} local c = t for i = 1, 20 do c[1] = {} c = c[1] end return dumpall(cmsgpack.unpack(cmsgpack.pack(t)))`,
	`return dumpall(pcall(cmsgpack.unpack, string.rep("\145", 100000)))`,
	`return dumpall(pcall(cmsgpack.unpack, string.rep("\145", 3998) .. "\1"))`,
	`return dumpall(pcall(cmsgpack.unpack, string.rep("\145", 3999) .. "\1"))`,
	`return dumpall(pcall(cmsgpack.unpack, string.rep("\145", 4000) .. "\1"))`,
	`return dumpall(pcall(cmsgpack.unpack, string.rep("\129\1", 100000)))`,
	`return dumpall(pcall(cmsgpack.unpack, string.rep("\129\1", 3998) .. "\1\1"))`,
	`return dumpall(pcall(cmsgpack.unpack, string.rep("\129\1", 7997) .. "\1\1"))`,
	`return dumpall(pcall(cmsgpack.unpack, string.rep("\129\145", 2000) .. "\1"))`,
	`return dumpall(pcall(cmsgpack.unpack, string.rep("\1", 7998)))`,
	`local ok, e = pcall(cmsgpack.unpack, string.rep("\1", 7999)) return tostring(ok) .. tostring(e)`,
	`local ok, e = pcall(cmsgpack.unpack, string.rep("\1", 8000)) return tostring(ok) .. tostring(e)`,
	`local ok, e = pcall(cmsgpack.unpack, string.rep("\1", 9000)) return tostring(ok) .. tostring(e)`,
	`local ok, e = pcall(cmsgpack.unpack_limit, string.rep("\1", 9000), 8500) return tostring(ok) .. tostring(e)`,
	`return dumpall(pcall(cmsgpack.unpack, "\221\255\255\255\255"))`,
	`return dumpall(pcall(cmsgpack.unpack, "\223\255\255\255\255"))`,
	`return dumpall(pcall(cmsgpack.unpack, "\219\255\255\255\255"))`,
	`return dumpall(pcall(cmsgpack.unpack, "\220\255\255" .. string.rep("\192", 65535)))`,
	`return hex(cmsgpack.pack({1, 2, nil, 4}))`,
	`local t = {} for i = 1, 4000 do t[i] = i % 5 end return #cmsgpack.pack(unpack(t)) .. ""`,
	`local t = {} for i = 1, 4001 do t[i] = i % 5 end return #cmsgpack.pack(unpack(t)) .. ""`,
	`local t = {} for i = 1, 4001 do t[i] = i % 5 end return dumpall(pcall(cmsgpack.pack, unpack(t)))`,
	`local t = {1, 2, 3} t[2] = nil return hex(cmsgpack.pack(t))`,
	`local t = {} t[3] = 3 t[2] = 2 t[1] = 1 return hex(cmsgpack.pack(t))`,
	`local t = {} for i = 1, 10 do t[i] = i end for i = 1, 9 do t[i] = nil end return hex(cmsgpack.pack(t))`,
	`local t = setmetatable({}, {__index = function() return 7 end}) t[1] = 1 return hex(cmsgpack.pack(t))`,
	`return hex(cmsgpack.pack(cmsgpack.unpack("\202\127\192\0\0")))`,
	`return hex(cmsgpack.pack(cjson.decode("nan"), cjson.decode("-nan"), cjson.decode("NaN(12)"), cjson.decode("[nan]")[1]))`,
	`return hex(cmsgpack.pack(0/0, -(0/0), math.huge - math.huge, cjson.decode("inf") * 0))`,
	`return hex(struct.pack(">d>d", cjson.decode("nan"), cjson.decode("-nan")))`,
	`return hex(cmsgpack.pack(cjson.decode("nan(99999999999999999999)"), cjson.decode("nan(010)"), cjson.decode("nan(0x10)"), cjson.decode("nan(0)"), cjson.decode("nan(1_2)"), cjson.decode("-nan(5)")))`,
	`return hex(cmsgpack.pack(cmsgpack.unpack("\203\0\0\0\0\0\0\0\1")))`,
	`return hex(cmsgpack.pack(cmsgpack.unpack("\207\255\255\255\255\255\255\255\255")))`,
	`return hex(cmsgpack.pack(cmsgpack.unpack("\211\128\0\0\0\0\0\0\0")))`,
}

func TestCMsgpackMatchesRedis(t *testing.T) {
	diffCases(t, cmsgpackCases())
}
