package protocol

import (
	"bytes"
	"math"
	"strconv"
)

// Sorted-set scores are C doubles parsed by strtod(3). Two callers differ
// in what they accept around it:
//
//   - scores, increments and weights (getDoubleFromObject): not empty, no
//     leading space, the whole argument consumed, NaN refused, and a value
//     strtod reports as out of range (overflow to ±inf, underflow to 0)
//     refused;
//   - range bounds (zslParseRange): the argument read as a C string,
//     leading space skipped, the rest consumed, only NaN refused: "1e400"
//     is +inf, and "" (no number at all) is 0.

// parseScore parses a ZADD score, ZINCRBY increment or WEIGHTS value.
func parseScore(b []byte) (float64, bool) {
	if len(b) == 0 || isSpace(b[0]) {
		return 0, false
	}
	f, outOfRange, ok := strtod(b)
	return f, ok && !outOfRange
}

// parseRangeFloat parses a score range bound without its '(' prefix.
func parseRangeFloat(b []byte) (float64, bool) {
	f, _, ok := cStrtod(b)
	return f, ok
}

// cStrtod reads b as strtod reads a C string: up to its first NUL, leading
// space skipped, the whole rest one number (strtod); an empty string is 0.
func cStrtod(b []byte) (f float64, outOfRange, ok bool) {
	b = cString(b)
	if len(b) == 0 {
		return 0, false, true
	}
	i := 0
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return strtod(b[i:])
}

// strtod parses all of b as one number in strtod's syntax (see scanFloat
// in float.go: decimal, hexadecimal, "inf", "infinity"). outOfRange
// reports strtod's ERANGE with an infinite or zero result. NaN is refused.
func strtod(b []byte) (f float64, outOfRange, ok bool) {
	n, ok := scanFloat(b)
	if !ok {
		return 0, false, false
	}
	if n.inf {
		return math.Inf(signOf(n.neg)), false, true
	}
	s := string(b)
	if n.hex && bytes.IndexAny(b, "pP") < 0 {
		s += "p0" // Go wants a binary exponent in hexadecimal floats
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !math.IsInf(f, 0) {
		return 0, false, false
	}
	underflow := f == 0 && bytes.ContainsFunc(n.digits, func(r rune) bool { return r != '0' })
	return f, err != nil || underflow, true
}

func signOf(neg bool) int {
	if neg {
		return -1
	}
	return 1
}

// formatListpackScore formats a score as Redis's listpack encoding stores
// it, which is what ZSCAN returns for a listpack set: integral values
// within ±2^62 as integers (double2ll), others as FormatDouble does.
func formatListpackScore(f float64) string {
	const limit = float64(math.MaxInt64 / 2)
	if f >= -limit && f <= limit && f == math.Trunc(f) {
		return strconv.FormatInt(int64(f), 10)
	}
	return FormatDouble(f)
}
