package protocol

import (
	"bytes"
	"math/big"
)

// Redis computes INCRBYFLOAT in C long double: on x86-64 the x87 80-bit
// format, a 64-bit mantissa and a binary exponent below 16384. This file
// emulates it with math/big: parsing as glibc's strtold does (correctly
// rounded), adding with one rounding to 64 bits, and printing as Redis's
// ld2string(LD_STR_HUMAN) does ("%.17Lf" without trailing zeros).
//
// Subnormal long doubles are kept at full 64-bit precision instead of being
// rounded to the subnormal grid; such values print as "0" and cannot change
// a printed sum, so replies are unaffected.

const (
	ldPrec     = 64       // mantissa bits of the x87 extended format
	ldMaxExp   = 16384    // |x| < 2^16384 (big.Float exponent, 0.5 <= mant < 1)
	ldTinyExp  = -16446   // strtold rounds |x| <= 2^-16446 to zero
	ldMaxChars = 5 * 1024 // Redis's MAX_LONG_DOUBLE_CHARS
	ldMaxDec10 = 4933     // 10^4933 exceeds the largest long double
	ldMinDec10 = -4951    // 10^-4951 is below 2^-16446
)

// ldTiny is 2^-16446: strtold's underflow threshold.
var ldTiny = new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Lsh(big.NewInt(1), -ldTinyExp))

// newLongDouble returns a zero with long double precision and rounding.
func newLongDouble() *big.Float {
	return new(big.Float).SetPrec(ldPrec).SetMode(big.ToNearestEven)
}

// parseLongDouble parses b as Redis's string2ld does: strtold over the whole
// input, no leading space, shorter than 5 KiB, "inf" and hexadecimal floats
// accepted, NaN, overflow and underflow to zero refused. The result may be
// an infinity.
func parseLongDouble(b []byte) (*big.Float, bool) {
	if len(b) == 0 || len(b) >= ldMaxChars {
		return nil, false
	}
	n, ok := scanFloat(b)
	if !ok {
		return nil, false
	}
	if n.inf {
		return newLongDouble().SetInf(n.neg), true
	}
	r, ok := n.rat()
	if !ok {
		return nil, false
	}
	return roundLongDouble(r, n.neg)
}

// roundLongDouble rounds the exact magnitude r to a long double, refusing
// what strtold reports as ERANGE with an infinite or zero result.
func roundLongDouble(r *big.Rat, neg bool) (*big.Float, bool) {
	f := newLongDouble()
	if r.Sign() != 0 {
		if r.Cmp(ldTiny) <= 0 {
			return nil, false
		}
		f.SetRat(r)
		if f.MantExp(nil) > ldMaxExp {
			return nil, false
		}
	}
	if neg {
		f.Neg(f)
	}
	return f, true
}

// addLongDouble returns x+y rounded to a long double; ok is false when the
// sum is NaN or infinite.
func addLongDouble(x, y *big.Float) (*big.Float, bool) {
	if x.IsInf() || y.IsInf() {
		return nil, false
	}
	z := newLongDouble().Add(x, y)
	if z.MantExp(nil) > ldMaxExp {
		return nil, false
	}
	return z, true
}

// formatLongDouble prints f as ld2string(LD_STR_HUMAN): "%.17Lf", then the
// trailing zeros and a trailing '.' removed, and "-0" written "0".
func formatLongDouble(f *big.Float) []byte {
	return trimHuman(f.Append(nil, 'f', 17))
}

// trimHuman removes the trailing zeros and a trailing '.' of a number
// printed with "%.17f" and writes "-0" as "0", as ld2string(LD_STR_HUMAN).
func trimHuman(s []byte) []byte {
	if bytes.IndexByte(s, '.') >= 0 {
		s = bytes.TrimRight(s, "0")
		s = bytes.TrimSuffix(s, []byte("."))
	}
	if string(s) == "-0" {
		s = s[1:]
	}
	return s
}

// floatNumber is a scanned strtold number: mantissa digits (hexadecimal when
// hex) and the power of ten (of two when hex) that scales their last digit.
type floatNumber struct {
	neg, inf, hex bool
	digits        []byte
	exp           int64
}

// scanFloat reports whether all of b is one number in strtold's syntax:
// [+-] then "inf", "infinity", 0x<hex>[.<hex>][p[+-]<dec>] or
// <dec>[.<dec>][e[+-]<dec>], letters in any case. NaN is not accepted.
func scanFloat(b []byte) (floatNumber, bool) {
	var n floatNumber
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		n.neg = b[0] == '-'
		b = b[1:]
	}
	if EqualFold(b, "inf") || EqualFold(b, "infinity") {
		n.inf = true
		return n, true
	}
	digit, expMark := ldIsDigit, byte('e')
	if len(b) > 2 && b[0] == '0' && (b[1]|0x20) == 'x' {
		n.hex, digit, expMark = true, ldIsHexDigit, 'p'
		b = b[2:]
	}
	intPart, b := spanBytes(b, digit)
	var frac []byte
	if len(b) > 0 && b[0] == '.' {
		frac, b = spanBytes(b[1:], digit)
	}
	if len(intPart)+len(frac) == 0 {
		return n, false
	}
	n.digits = append(append([]byte(nil), intPart...), frac...)
	exp, ok := scanExponent(b, expMark)
	if !ok {
		return n, false
	}
	n.exp = exp - int64(len(frac))
	if n.hex {
		n.exp = exp - 4*int64(len(frac))
	}
	return n, true
}

// scanExponent parses an optional exponent ("e-12", "P+3") that must end
// the input. Huge exponents saturate: they only decide over- or underflow.
func scanExponent(b []byte, mark byte) (int64, bool) {
	if len(b) == 0 {
		return 0, true
	}
	if b[0]|0x20 != mark {
		return 0, false
	}
	b = b[1:]
	neg := len(b) > 0 && b[0] == '-'
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		b = b[1:]
	}
	digits, rest := spanBytes(b, ldIsDigit)
	if len(digits) == 0 || len(rest) != 0 {
		return 0, false
	}
	var e int64
	for _, d := range digits {
		e = min(e*10+int64(d-'0'), 1<<40)
	}
	if neg {
		e = -e
	}
	return e, true
}

// span splits b after its longest prefix of bytes accepted by ok.
func spanBytes(b []byte, ok func(byte) bool) (prefix, rest []byte) {
	i := 0
	for i < len(b) && ok(b[i]) {
		i++
	}
	return b[:i], b[i:]
}

func ldIsDigit(c byte) bool { return '0' <= c && c <= '9' }

func ldIsHexDigit(c byte) bool {
	return ldIsDigit(c) || ('a' <= c|0x20 && c|0x20 <= 'f')
}

// rat returns the number's exact magnitude. ok is false when it certainly
// overflows or underflows to zero, which also keeps the exact arithmetic
// small.
func (n floatNumber) rat() (r *big.Rat, ok bool) {
	digits := bytes.TrimLeft(n.digits, "0")
	if len(digits) == 0 {
		return new(big.Rat), true
	}
	if n.hex {
		return hexRat(digits, n.exp)
	}
	trimmed := bytes.TrimRight(digits, "0")
	return decimalRat(trimmed, n.exp+int64(len(digits)-len(trimmed)))
}

// decimalRat returns digits × 10^exp; digits has no leading zero.
func decimalRat(digits []byte, exp int64) (*big.Rat, bool) {
	top := int64(len(digits)) + exp // the value is below 10^top
	if top-1 >= ldMaxDec10 || top <= ldMinDec10 {
		return nil, false
	}
	m, _ := new(big.Int).SetString(string(digits), 10)
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(ldAbs(exp)), nil)
	if exp >= 0 {
		return new(big.Rat).SetInt(m.Mul(m, p)), true
	}
	return new(big.Rat).SetFrac(m, p), true
}

// hexRat returns digits × 2^exp; digits are hexadecimal, no leading zero.
func hexRat(digits []byte, exp int64) (*big.Rat, bool) {
	m, _ := new(big.Int).SetString(string(digits), 16)
	top := int64(m.BitLen()) + exp // the value is below 2^top
	if top-1 >= ldMaxExp || top <= ldTinyExp {
		return nil, false
	}
	if exp >= 0 {
		return new(big.Rat).SetInt(m.Lsh(m, uint(exp))), true
	}
	return new(big.Rat).SetFrac(m, new(big.Int).Lsh(big.NewInt(1), uint(-exp))), true
}

func ldAbs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
