package geohash

import (
	"math"
	"math/big"
)

// The elementary functions of the distance and bounding box formulas.
// Redis calls glibc's sin, cos and asin, which return the correctly rounded
// result (the double nearest to the exact value) for all but a vanishing
// share of inputs; Go's math package is off by an ulp for a quarter of
// them, which shows in STOREDIST scores. These compute each result in
// double-double precision and round once, so they agree with glibc
// wherever glibc is correctly rounded. sqrt is exact in both.

func sqrt(x float64) float64 { return math.Sqrt(x) }
func abs(x float64) float64  { return math.Abs(x) }

// sin returns the sine of x, correctly rounded (|x| < 2^30).
func sin(x float64) float64 {
	if x == 0 {
		return x // keeps the sign of zero
	}
	s, _, ok := sinCos(x)
	if !ok {
		return math.Sin(x)
	}
	return s.round()
}

// cos returns the cosine of x, correctly rounded (|x| < 2^30).
func cos(x float64) float64 {
	_, c, ok := sinCos(x)
	if !ok {
		return math.Cos(x)
	}
	return c.round()
}

// asin returns the arcsine of x, correctly rounded; NaN outside [-1, 1].
func asin(x float64) float64 {
	switch {
	case x != x || x > 1 || x < -1:
		return math.NaN()
	case x < 0:
		return -asin(-x)
	case x == 0:
		return x
	case x <= 0.5:
		return asinDD(dd{x, 0}).round()
	}
	// asin(x) = pi/2 - 2 asin(sqrt((1-x)/2)); 1-x is exact here.
	w := (1 - x) / 2
	t := sqrtDD(w)
	return ddPiOver2.sub(asinDD(t).mulF(2)).round()
}

// asinDD returns asin(y) for 0 <= y <= 0.5 by a Newton step on sin from
// Go's estimate z (accurate to an ulp): z - (sin z - y) / cos z.
func asinDD(y dd) dd {
	z := math.Asin(y.hi)
	s, c := sinCosTable(z)
	return dd{z, 0}.sub(s.sub(y).div(c))
}

// sqrtDD returns sqrt(w) in double-double precision.
func sqrtDD(w float64) dd {
	t := math.Sqrt(w)
	if t == 0 {
		return dd{}
	}
	r := dd{w, 0}.sub(twoProd(t, t))
	return quickTwoSum(t, r.hi/(2*t))
}

// Constants, computed once from a 200-bit pi.
var (
	ddPiOver2           dd
	pio2a, pio2b, pio2c float64 // pi/2 = a + b + c to about 160 bits
	invFact             [32]dd  // 1/n!
)

func init() {
	pi, _, _ := big.ParseFloat("3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706798", 10, 256, big.ToNearestEven)
	half := new(big.Float).SetPrec(256).Quo(pi, big.NewFloat(2))
	rest := new(big.Float).SetPrec(256).Set(half)
	parts := make([]float64, 3)
	for i := range parts {
		parts[i], _ = rest.Float64()
		rest.Sub(rest, new(big.Float).SetFloat64(parts[i]))
	}
	pio2a, pio2b, pio2c = parts[0], parts[1], parts[2]
	ddPiOver2 = quickTwoSum(pio2a, pio2b)
	invFact[0] = dd{1, 0}
	for n := 1; n < len(invFact); n++ {
		invFact[n] = invFact[n-1].div(dd{float64(n), 0})
	}
	initCoefficients()
	initTable()
}

// sinCos returns sin(x) and cos(x) in double-double precision; ok is false
// when |x| is too large for the reduction.
func sinCos(x float64) (s, c dd, ok bool) {
	if x != x || math.Abs(x) >= 1<<30 {
		return dd{}, dd{}, false
	}
	if math.Abs(x) <= tableMax {
		s, c = sinCosTable(x)
		return s, c, true
	}
	s, c = sinCosDD(dd{x, 0})
	return s, c, true
}

// The fast path: x = a + r with a = i/64 from a table of sin(a), cos(a)
// (computed at start by sinCosDD) and |r| <= 1/128, exact in a double
// (Sterbenz). sin(r) and cos(r) need their first three terms in
// double-double; the rest is below 2^-60 of the result and is summed in
// doubles.
const (
	tableStep = 64
	tableMax  = 3.3
)

// tableLen covers i = round(tableMax * tableStep) = 211.
const tableLen = 212

var sinTable, cosTable [tableLen]dd

func initTable() {
	for i := range sinTable {
		sinTable[i], cosTable[i] = sinCosDD(dd{float64(i) / tableStep, 0})
	}
}

func sinCosTable(x float64) (s, c dd) {
	neg := x < 0
	ax := math.Abs(x)
	i := int(math.RoundToEven(ax * tableStep))
	r := ax - float64(float64(i)/tableStep)
	sr, cr := smallSinCos(r)
	sa, ca := sinTable[i], cosTable[i]
	s = sa.mul(cr).add(ca.mul(sr))
	c = ca.mul(cr).sub(sa.mul(sr))
	if neg {
		s = s.neg()
	}
	return s, c
}

// smallSinCos returns sin(r) and cos(r) for |r| <= 1/128.
func smallSinCos(r float64) (s, c dd) {
	r2 := twoProd(r, r)
	rr := r2.round()
	r3 := r2.mulF(r)
	// sin: r - r^3/6 + r^5/120 in double-double, then -r^7/7! + r^9/9! - r^11/11! + r^13/13!
	tailS := mulAdd(rr, mulAdd(rr, mulAdd(rr, sinC[6], sinC[5]), sinC[4]), sinC[3])
	tailS = float64(float64(tailS*float64(rr*rr)) * float64(rr*r))
	s = dd{r, 0}.add(r3.mul(invFact[3].neg().add(r2.mul(invFact[5])))).add(dd{tailS, 0})
	// cos: 1 - r^2/2 + r^4/24 - r^6/720 in double-double, the rest in doubles
	tailC := mulAdd(rr, mulAdd(rr, cosC[6], cosC[5]), cosC[4])
	tailC = float64(tailC * float64(float64(rr*rr)*float64(rr*rr)))
	r4 := r2.mul(r2)
	c = dd{1, 0}.sub(r2.mul(invFact[2])).add(r4.mul(invFact[4].sub(r2.mul(invFact[6])))).add(dd{tailC, 0})
	return s, c
}

// mulAdd is a*b+c rounded twice, never fused.
func mulAdd(a, b, c float64) float64 { return float64(a*b) + c }

// sinC[k] and cosC[k] are the signed Taylor coefficients of r^(2k+1) and
// r^(2k) used in doubles: sinC[3] = -1/7!, ..., cosC[4] = 1/8!, ...
var sinC, cosC [7]float64

func initCoefficients() {
	for k := 3; k < 7; k++ {
		sign := 1.0
		if k%2 == 1 {
			sign = -1
		}
		sinC[k] = sign * invFact[2*k+1].hi
		cosC[k] = sign * invFact[2*k].hi
	}
}

// sinCosDD reduces x by the nearest multiple of pi/2 and sums the Taylor
// series of the remainder (|r| <= pi/4).
func sinCosDD(x dd) (s, c dd) {
	k := math.RoundToEven(x.hi / pio2a)
	r := x
	if k != 0 {
		r = r.sub(twoProd(k, pio2a)).sub(twoProd(k, pio2b)).sub(twoProd(k, pio2c))
	}
	s, c = seriesSinCos(r)
	switch int64(k) & 3 {
	case 1:
		return c, s.neg()
	case 2:
		return s.neg(), c.neg()
	case 3:
		return c.neg(), s
	}
	return s, c
}

// seriesSinCos sums sin(r) = r - r^3/3! + ... and cos(r) = 1 - r^2/2! + ...
// up to the 29th and 28th powers: for |r| <= pi/4 the next terms are below
// 2^-110 of the result.
func seriesSinCos(r dd) (s, c dd) {
	r2 := r.mul(r)
	s, c = invFact[29], invFact[28]
	for n := 27; n >= 1; n -= 2 {
		s = s.mul(r2)
		c = c.mul(r2)
		if (n/2)%2 == 0 {
			s, c = s.add(invFact[n]), c.add(invFact[n-1])
		} else {
			s, c = s.sub(invFact[n]), c.sub(invFact[n-1])
		}
	}
	return s.mul(r), c
}
