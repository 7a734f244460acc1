package protocol

import "math/big"

// ParseTimeout parses a blocking command's timeout in seconds (a long
// double, as Redis reads it) and returns it in milliseconds, 0 meaning
// "wait forever". As Redis 7.0's getTimeoutFromObjectOrReply it computes
// ceill(seconds * 1000.0) in long double, so 0.001 and 0.0001 are 1 ms, not
// 0 (forever), and a small negative value rounds up to 0. errMsg is Redis's
// error for a bad value: one that does not parse, or is negative, or (as
// C's cast makes it) too large to convert.
func ParseTimeout(b []byte) (ms int64, errMsg string) {
	f, ok := parseLongDouble(b)
	if !ok {
		return 0, ErrTimeoutNotFloat
	}
	f = newLongDouble().Mul(f, big.NewFloat(1000))
	if f.IsInf() {
		return 0, ErrTimeoutNegative // (long long) of an infinite value
	}
	v, acc := f.Int(nil) // toward zero: below f when f has a positive fraction
	if acc == big.Below {
		v.Add(v, big.NewInt(1))
	}
	if !v.IsInt64() || v.Sign() < 0 {
		return 0, ErrTimeoutNegative // out of long long's range, or negative
	}
	return v.Int64(), ""
}
