package protocol

import "math/big"

// ParseTimeout parses a blocking command's timeout in seconds (a long
// double, as Redis reads it) and returns it in milliseconds, 0 meaning
// "wait forever". errMsg is Redis's error for a bad value: one that does not
// parse, or is negative, or (as C's cast makes it) too large to convert.
func ParseTimeout(b []byte) (ms int64, errMsg string) {
	f, ok := parseLongDouble(b)
	if !ok {
		return 0, ErrTimeoutNotFloat
	}
	f = new(big.Float).Mul(f, big.NewFloat(1000))
	if f.IsInf() || f.Cmp(big.NewFloat(9223372036854775807)) >= 0 {
		return 0, ErrTimeoutNegative // (long long) of an out-of-range value
	}
	v, _ := f.Int64() // truncates toward zero like the C cast
	if v < 0 {
		return 0, ErrTimeoutNegative
	}
	return v, ""
}
