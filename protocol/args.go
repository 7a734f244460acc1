package protocol

import (
	"math"
	"strconv"

	"github.com/geetcache/geetcache/datatypes"
)

// ParseInt parses b as Redis's string2ll does: optional '-', no '+', no
// spaces, no leading zeros, at most 20 bytes, within int64
// (datatypes.ParseCanonicalInt).
func ParseInt(b []byte) (int64, bool) { return datatypes.ParseCanonicalInt(b) }

// ParseFloat parses b as Redis's getDoubleFromObject does (strtod): no
// leading space, the whole input used, "inf" allowed, NaN refused.
func ParseFloat(b []byte) (float64, bool) {
	if len(b) == 0 || isSpace(b[0]) {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return 0, false
		}
	}
	if math.IsNaN(f) || hasUnderscoreOrHexPrefix(b) {
		return 0, false
	}
	return f, true
}

// hasUnderscoreOrHexPrefix rejects Go-only float syntax that strtod refuses
// or reads differently ("1_000", "0x1p-2" is accepted by strtod, but "0b1"
// and "0o1" are not).
func hasUnderscoreOrHexPrefix(b []byte) bool {
	for i, c := range b {
		if c == '_' {
			return true
		}
		if (c == 'b' || c == 'B' || c == 'o' || c == 'O') && i > 0 && b[i-1] == '0' {
			return true
		}
	}
	return false
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// EqualFold reports whether b equals the lower-case word s, ignoring case.
func EqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}
