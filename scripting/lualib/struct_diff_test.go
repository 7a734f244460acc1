package lualib

import (
	"fmt"
	"testing"
)

// structInts are values packed with every integer option.
var structInts = []string{
	"0", "1", "-1", "127", "128", "-128", "-129", "255", "256", "32767", "32768", "-32768",
	"65535", "65536", "2^31-1", "2^31", "-2^31", "2^32-1", "2^32", "2^53", "-2^53", "2^63",
	"-2^63", "2^64", "2^65", "-2^64", "1.5", "-1.5", "1e300", "-1e300", "1/0", "-1/0", "0/0", "'42'",
}

var structIntFormats = []string{
	"b", "B", "h", "H", "i", "I", "l", "L", "T", "i1", "I1", "i2", "i3", "I3", "i5", "i7",
	"i8", "I8", "i9", "I9", "i16", "I16", "i32", "I32", ">h", "<h", ">i", ">l", ">i3", ">I9", ">i16",
}

var structFloats = []string{"0", "-0", "1.5", "0.1", "1/3", "1e39", "-1e39", "1e-46", "1/0", "-1/0", "2^24+1", "3.4028235e38"}

func structCases() []string {
	var cases []string
	for _, f := range structIntFormats {
		for _, v := range structInts {
			cases = append(cases, fmt.Sprintf("return hex(struct.pack(%q, %s))", f, v))
		}
		cases = append(cases,
			fmt.Sprintf("return dumpall(struct.size(%q))", f),
			fmt.Sprintf("return dumpall(struct.unpack(%q, string.rep('\\255', 40)))", f),
			fmt.Sprintf("return dumpall(struct.unpack(%q, string.rep('\\128', 40)))", f),
			fmt.Sprintf("return dumpall(struct.unpack(%q, '\\1\\2\\3\\4\\5\\6\\7\\8\\9\\10\\11\\12\\13\\14\\15\\16\\17\\18\\19\\20\\21\\22\\23\\24\\25\\26\\27\\28\\29\\30\\31\\32\\33'))", f),
			fmt.Sprintf("return dumpall(struct.unpack(%q, struct.pack(%q, -2)))", f, f))
	}
	for _, f := range []string{"f", "d", ">f", ">d", "<d"} {
		for _, v := range structFloats {
			cases = append(cases,
				fmt.Sprintf("return hex(struct.pack(%q, %s))", f, v),
				fmt.Sprintf("return dumpall(struct.unpack(%q, struct.pack(%q, %s)))", f, f, v))
		}
	}
	return append(cases, structMiscCases...)
}

var structMiscCases = []string{
	// strings
	`return hex(struct.pack("s", "abc"))`, `return hex(struct.pack("s", ""))`, `return hex(struct.pack("c", "abc"))`,
	`return hex(struct.pack("c0", "abc"))`, `return hex(struct.pack("c2", "abc"))`, `return hex(struct.pack("c5", "abc"))`,
	`return hex(struct.pack("c3s", "abc", "de"))`, `return hex(struct.pack("s", 12.5))`, `return hex(struct.pack("s", {}))`,
	`return hex(struct.pack("bc3b", 1, "xy", 2))`, `return hex(struct.pack("bc2b", 1, "xyz", 2))`,
	`return dumpall(struct.unpack("s", "abc\0def"))`, `return dumpall(struct.unpack("ss", "abc\0def\0"))`,
	`return dumpall(struct.unpack("s", "abc"))`, `return dumpall(struct.unpack("c3", "abcdef"))`,
	`return dumpall(struct.unpack("c3", "ab"))`, `return dumpall(struct.unpack("bc0", "\3abcdef"))`,
	`return dumpall(struct.unpack("bc0", "\9abc"))`, `return dumpall(struct.unpack("c0", "abc"))`,
	`return dumpall(struct.unpack("c1c0", "3abcd"))`, `return dumpall(struct.unpack("c1c0", "xabcd"))`,
	`return dumpall(struct.unpack("Bc0B", "\2ab\7"))`, `return dumpall(struct.unpack("c", "xyz"))`,
	`return hex(struct.pack("c9000i", string.rep("a", 9000)))`, `return hex(struct.pack("c9000ii", string.rep("a", 9000), 1))`,
	`return hex(struct.pack("c9000ii", string.rep("7", 9000), 1)):sub(-16)`, `return #struct.pack("c9000c20000", string.rep("7", 9000), string.rep("8", 20000)) .. ""`,
	// alignment and endianness
	`return hex(struct.pack("!bi", 1, 2))`, `return hex(struct.pack("!bd", 1, 2))`, `return hex(struct.pack("!2bi", 1, 2))`,
	`return hex(struct.pack("!4bhbib", 1, 2, 3, 4, 5))`, `return hex(struct.pack("!8bl", 1, 2))`, `return hex(struct.pack("!bi3", 1, 2))`,
	`return hex(struct.pack("!4bi3", 1, 2))`, `return hex(struct.pack("!bxxi", 1, 2))`, `return hex(struct.pack("!bc3i", 1, "abc", 2))`,
	`return hex(struct.pack("!bsi", 1, "ab", 2))`, `return hex(struct.pack("! b i", 1, 2))`, `return hex(struct.pack("<i>i<i", 1, 2, 3))`,
	`return hex(struct.pack("!3bi", 1, 2))`, `return hex(struct.pack("!0bi", 1, 2))`, `return hex(struct.pack("!16bi", 1, 2))`,
	`return dumpall(struct.unpack("!bi", struct.pack("!bi", 1, 2)))`, `return dumpall(struct.unpack("!4bhbib", struct.pack("!4bhbib", 1, 2, 3, 4, 5)))`,
	`return dumpall(struct.size("!bi"))`, `return dumpall(struct.size("!4bhbib"))`, `return dumpall(struct.size("bxh"))`,
	`return dumpall(struct.size("!bxh"))`, `return dumpall(struct.size("c10"))`, `return dumpall(struct.size("c0"))`,
	`return dumpall(struct.size("s"))`, `return dumpall(struct.size("bs"))`, `return dumpall(struct.size(""))`,
	`return dumpall(struct.size("z"))`, `return dumpall(struct.size("bzb"))`, `return dumpall(struct.size("b?"))`,
	`return dumpall(struct.size("!3"))`, `return dumpall(struct.size("i33"))`, `return dumpall(struct.size("i99999999999"))`,
	`return dumpall(struct.size("c99999999999"))`, `return dumpall(struct.size("!99999999999"))`, `return dumpall(struct.size("i2147483647"))`,
	`return dumpall(struct.size("c2147483647"))`, `return dumpall(struct.size("c2147483648"))`, `return dumpall(struct.size("i0"))`,
	`return dumpall(struct.size("<>!4 i"))`, `return dumpall(struct.size(12))`, `return dumpall(struct.size())`,
	// errors
	`return hex(struct.pack("z", 1))`, `return hex(struct.pack("b?", 1))`, `return hex(struct.pack("i"))`,
	`return hex(struct.pack("i", "x"))`, `return hex(struct.pack("i", nil))`, `return hex(struct.pack("d", {}))`,
	`return hex(struct.pack())`, `return hex(struct.pack({}))`, `return hex(struct.pack(""))`, `return hex(struct.pack("", 1, 2))`,
	`return hex(struct.pack("!5i", 1))`, `return hex(struct.pack("i40", 1))`, `return hex(struct.pack("c", ""))`,
	`return hex(struct.pack("b\0b", 1, 2))`, `return hex(struct.pack(123, 1))`,
	`return dumpall(struct.unpack("i", "abc"))`, `return dumpall(struct.unpack("i", "abcd", 2))`, `return dumpall(struct.unpack("i", "abcdabcd", 5))`,
	`return dumpall(struct.unpack("i", "abcdabcd", 6))`, `return dumpall(struct.unpack("i", "abcd", 0))`, `return dumpall(struct.unpack("i", "abcd", -1))`,
	`return dumpall(struct.unpack("i", "abcd", "x"))`, `return dumpall(struct.unpack("i", "abcd", 1.9))`, `return dumpall(struct.unpack("i", "abcd", "1"))`,
	`return dumpall(struct.unpack("b", "abcd", 4))`, `return dumpall(struct.unpack("b", "abcd", 5))`, `return dumpall(struct.unpack("", "abcd", 5))`,
	`return dumpall(struct.unpack("", "abcd", 6))`, `return dumpall(struct.unpack("i"))`, `return dumpall(struct.unpack("i", nil))`,
	`return dumpall(struct.unpack("z", "abcd"))`, `return dumpall(struct.unpack("x", "a"))`, `return dumpall(struct.unpack("xb", "ab"))`,
	`return dumpall(struct.unpack("bb", "a"))`, `return dumpall(struct.unpack("i", 1234))`, `return dumpall(struct.unpack("d", "abcdefg"))`,
	`return dumpall(struct.unpack("f", "abc"))`, `return dumpall(struct.unpack("!bi", "abcde"))`, `return dumpall(struct.unpack("!bi", "abcdefgh"))`,
	`return dumpall(struct.unpack(string.rep("b", 9000), string.rep("a", 9000)))`,
	`local ok, e = pcall(struct.unpack, string.rep("b", 9000), string.rep("a", 9000)) return tostring(ok) .. tostring(e)`,
	`local ok, e = pcall(struct.unpack, string.rep("b", 7997), string.rep("a", 9000)) return tostring(ok) .. tostring(e)`,
	`local ok, e = pcall(struct.unpack, string.rep("b", 7996), string.rep("a", 9000)) return tostring(ok)`,
	`return dumpall(pcall(struct.unpack, string.rep("x", 9000) .. "b", string.rep("a", 9001)))`,
	`local t = {} for k in pairs(struct) do t[#t+1] = k end table.sort(t) return table.concat(t, ",")`,
}

func TestStructMatchesRedis(t *testing.T) {
	diffCases(t, structCases())
}
