package lualib

import (
	"encoding/binary"
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// randomCases are seeded random inputs: doubles from random bit patterns
// (formatted by cjson at every precision and packed by cmsgpack), numeric
// text for cjson.decode's strtod, and struct formats.
func randomCases(seed int64) []string {
	r := rand.New(rand.NewSource(seed))
	var cases []string
	for i := 0; i < 200; i++ {
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], r.Uint64())
		if i%2 == 0 { // also values of usual magnitudes
			binary.BigEndian.PutUint64(b[:], uint64(0x3c0+r.Intn(0x100))<<52|r.Uint64()>>12)
		}
		d := fmt.Sprintf("struct.unpack('>d', %s)", luaBytes(string(b[:])))
		cases = append(cases,
			fmt.Sprintf("cjson.encode_invalid_numbers(true) cjson.encode_number_precision(%d) return cjson.encode({%s})", r.Intn(14)+1, d),
			fmt.Sprintf("return hex(cmsgpack.pack(%s))", d),
			fmt.Sprintf("return dumpall(bit.tobit(%s), bit.tohex(%s))", d, d))
	}
	const numChars = "0123456789+-.eExXpPabcfinINtyF "
	for i := 0; i < 150; i++ {
		var sb strings.Builder
		if r.Intn(2) == 0 {
			sb.WriteString([]string{"", "-", "+", "0x", "-0x", "1e", "0.", "inf", "nan"}[r.Intn(9)])
		}
		for j := r.Intn(10) + 1; j > 0; j-- {
			sb.WriteByte(numChars[r.Intn(len(numChars))])
		}
		cases = append(cases, fmt.Sprintf("return dumpall(pcall(cjson.decode, %q))", sb.String()),
			fmt.Sprintf("return dumpall(pcall(cjson.decode, %q))", "["+sb.String()+"]"),
			fmt.Sprintf("return dumpall(pcall(bit.tobit, %q))", sb.String()))
	}
	const opts = "bBhHlLTiIfdxcs<>!0123489 z"
	for i := 0; i < 200; i++ {
		var f strings.Builder
		for j := r.Intn(6) + 1; j > 0; j-- {
			f.WriteByte(opts[r.Intn(len(opts))])
		}
		data := make([]byte, r.Intn(40))
		r.Read(data)
		args := []string{fmt.Sprintf("%d", r.Intn(70000)-35000), "'abc'", "1.5", fmt.Sprintf("%d", r.Int63()>>uint(r.Intn(60)))}
		cases = append(cases,
			fmt.Sprintf("return dumpall(pcall(struct.size, %q))", f.String()),
			fmt.Sprintf("return dumpall(pcall(struct.unpack, %q, %s))", f.String(), luaBytes(string(data))),
			fmt.Sprintf("local ok, s = pcall(struct.pack, %q, %s) return tostring(ok) .. (ok and hex(s) or s)", f.String(), strings.Join(args, ", ")))
	}
	for i := 0; i < 300; i++ {
		// msgpack-ish bytes: type bytes, small lengths, a few payload bytes
		var b []byte
		for j := r.Intn(12) + 1; j > 0; j-- {
			switch r.Intn(4) {
			case 0:
				b = append(b, byte(0xc0+r.Intn(0x20)))
			case 1:
				b = append(b, byte(0x80+r.Intn(0x40)))
			case 2:
				b = append(b, 0, byte(r.Intn(4)))
			default:
				b = append(b, byte(r.Intn(256)))
			}
		}
		cases = append(cases,
			fmt.Sprintf("return dumpall(pcall(cmsgpack.unpack, %s))", luaBytes(string(b))),
			fmt.Sprintf("return dumpall(pcall(cmsgpack.unpack_limit, %s, %d, %d))", luaBytes(string(b)), r.Intn(3), r.Intn(len(b)+1)))
	}
	return cases
}

func TestRandomMatchesRedis(t *testing.T) {
	seed := int64(42)
	t.Logf("seed %d", seed)
	diffCases(t, randomCases(seed))
}
