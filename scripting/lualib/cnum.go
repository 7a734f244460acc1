package lualib

import (
	"math"
	"strconv"
	"strings"
)

// FormatNumber formats f as Lua 5.1 (and Redis) print numbers: C's "%.14g".
func FormatNumber(f float64) string {
	return formatG(f, 14)
}

// formatG is C printf's "%.<prec>g" as glibc prints it (inf, -inf, nan, -nan).
func formatG(f float64, prec int) string {
	if prec == 0 {
		prec = 1
	}
	switch {
	case math.IsNaN(f):
		if math.Signbit(f) {
			return "-nan"
		}
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	e := strconv.FormatFloat(f, 'e', prec-1, 64)
	i := strings.LastIndexByte(e, 'e')
	x, _ := strconv.Atoi(e[i+1:])
	if x >= -4 && x < prec {
		return trimZeros(strconv.FormatFloat(f, 'f', prec-1-x, 64))
	}
	return trimZeros(e[:i]) + e[i:]
}

// trimZeros removes trailing fraction zeros and a bare decimal point.
func trimZeros(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// toInt64 converts as amd64's cvttsd2si: truncation, and the "integer
// indefinite" value math.MinInt64 for NaN and out-of-range values.
func toInt64(f float64) int64 {
	if f != f || f >= 9223372036854775808.0 || f < -9223372036854775808.0 {
		return math.MinInt64
	}
	return int64(f)
}

// toInt32 is a C (int) cast of a double on amd64.
func toInt32(f float64) int32 {
	if f != f || f >= 2147483648.0 || f < -2147483648.0 {
		return math.MinInt32
	}
	return int32(f)
}

// toUint64 is a C (uint64_t) cast of a double as gcc compiles it on amd64.
func toUint64(f float64) uint64 {
	if f != f || f < 9223372036854775808.0 {
		return uint64(toInt64(f))
	}
	return uint64(toInt64(f-9223372036854775808.0)) ^ (1 << 63)
}

// str2d is Lua 5.1's luaO_str2d (what lua_tonumber does to a string):
// the whole string, but for surrounding white space, must be a number.
func str2d(s string) (float64, bool) {
	f, n := strtod(s)
	if n == 0 {
		return 0, false
	}
	for _, c := range []byte(s[n:]) {
		if !isSpace(c) {
			return 0, false
		}
	}
	return f, true
}

func isSpace(c byte) bool {
	return c == ' ' || (c >= '\t' && c <= '\r')
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool {
	return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f')
}

// strtod is glibc's strtod in the C locale: it returns the value and the
// number of bytes consumed (0 when no number was found). It accepts
// leading white space, a sign, decimal and hexadecimal floats, "inf",
// "infinity" and "nan" / "nan(chars)" in any case.
func strtod(s string) (float64, int) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	f, n := strtodUnsigned(s[i:])
	if n == 0 {
		return 0, 0
	}
	if neg {
		f = -f
	}
	return f, i + n
}

func strtodUnsigned(s string) (float64, int) {
	switch {
	case hasPrefixFold(s, "infinity"):
		return math.Inf(1), 8
	case hasPrefixFold(s, "inf"):
		return math.Inf(1), 3
	case hasPrefixFold(s, "nan"):
		n := nanLength(s)
		return nanWithPayload(s[:n]), n
	case len(s) > 2 && s[0] == '0' && s[1]|0x20 == 'x':
		if f, n := hexFloat(s[2:]); n > 0 {
			return f, n + 2
		}
	}
	return decFloat(s)
}

func hasPrefixFold(s, p string) bool {
	return len(s) >= len(p) && strings.EqualFold(s[:len(p)], p)
}

// quietNaN is the NaN glibc's strtod returns for "nan": 0x7ff8000000000000
// (Go's math.NaN() has another payload).
const quietNaN = 0x7ff8000000000000

// nanWithPayload is glibc's value for "nan" or "nan(chars)": when chars
// are a whole unsigned integer (strtoull, base 0), its low 51 bits
// become the quiet NaN's payload.
func nanWithPayload(s string) float64 {
	if len(s) > 5 {
		if m, ok := strtoullBase0(s[4 : len(s)-1]); ok && m&(1<<51-1) != 0 {
			return math.Float64frombits(quietNaN | m&(1<<51-1))
		}
	}
	return math.Float64frombits(quietNaN)
}

// strtoullBase0 parses all of s as strtoull(s, &end, 0) would, reporting
// whether every byte was used (overflow gives ULLONG_MAX, as in C).
func strtoullBase0(s string) (uint64, bool) {
	base := uint64(10)
	switch {
	case len(s) > 2 && s[0] == '0' && s[1]|0x20 == 'x' && isHex(s[2]):
		base, s = 16, s[2:]
	case len(s) > 1 && s[0] == '0':
		base, s = 8, s[1:]
	}
	var v uint64
	over := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		var d uint64
		switch {
		case isDigit(c):
			d = uint64(c - '0')
		case c|0x20 >= 'a' && c|0x20 <= 'z':
			d = uint64(c|0x20-'a') + 10
		default:
			return 0, false
		}
		if d >= base {
			return 0, false
		}
		if v > (math.MaxUint64-d)/base {
			over = true
		}
		v = v*base + d
	}
	if over {
		v = math.MaxUint64
	}
	return v, true
}

// nanLength is how much of "nan(n-char-sequence)" strtod consumes.
func nanLength(s string) int {
	if len(s) <= 3 || s[3] != '(' {
		return 3
	}
	for j := 4; j < len(s); j++ {
		c := s[j]
		if c == ')' {
			return j + 1
		}
		if !(isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'z' || c == '_') {
			break
		}
	}
	return 3
}

// digitsEnd returns the end of a run of digits (hex or decimal) from i.
func digitsEnd(s string, i int, ok func(byte) bool) int {
	for i < len(s) && ok(s[i]) {
		i++
	}
	return i
}

// mantissa scans digits[.digits] and reports its end and whether it held
// at least one digit.
func mantissa(s string, ok func(byte) bool) (int, bool) {
	i := digitsEnd(s, 0, ok)
	any := i > 0
	if i < len(s) && s[i] == '.' {
		j := digitsEnd(s, i+1, ok)
		any = any || j > i+1
		i = j
	}
	return i, any
}

// exponent returns the end of an exponent part starting at i (marker
// 'e' or 'p'), or i when there is none.
func exponent(s string, i int, marker byte) int {
	if i >= len(s) || s[i]|0x20 != marker {
		return i
	}
	j := i + 1
	if j < len(s) && (s[j] == '+' || s[j] == '-') {
		j++
	}
	k := digitsEnd(s, j, isDigit)
	if k == j {
		return i
	}
	return k
}

func decFloat(s string) (float64, int) {
	i, any := mantissa(s, isDigit)
	if !any {
		return 0, 0
	}
	i = exponent(s, i, 'e')
	f, _ := strconv.ParseFloat(s[:i], 64)
	return f, i
}

func hexFloat(s string) (float64, int) {
	i, any := mantissa(s, isHex)
	if !any {
		return 0, 0
	}
	m := s[:i]
	if m[0] == '.' {
		m = "0" + m
	}
	j := exponent(s, i, 'p')
	exp := "p0"
	if j > i {
		exp = s[i:j]
	}
	f, _ := strconv.ParseFloat("0x"+m+exp, 64)
	return f, j
}
