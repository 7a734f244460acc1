package datatypes

import "math"

// The estimator Redis uses since 5.0: Otmar Ertl, "New cardinality
// estimation algorithms for HyperLogLog sketches" (arXiv:1702.01284),
// computed from the histogram of register values.
//
// Every product that is then added is wrapped in float64() so Go never
// fuses it into a multiply-add: the result must be bit-identical on every
// architecture and equal to Redis's (compiled without FMA on x86-64). So is
// every division by m: the compiler turns it into a product by 1/m (m is a
// power of two), which it would otherwise fuse with the next subtraction.
// TestNoFusedMultiplyAdd (protocol) checks the generated code.

// hllAlphaInf is 0.5/ln(2).
const hllAlphaInf = 0.721347520444481703680

// hllEstimate turns a register histogram into a cardinality. hist[v] counts
// the registers holding v; values above hllQ+1 (only possible in a crafted
// blob) are ignored, as in Redis.
func hllEstimate(hist *[64]int) uint64 {
	m := float64(HLLRegisters)
	z := float64(m * hllTau(float64((m-float64(hist[hllQ+1]))/m)))
	for j := hllQ; j >= 1; j-- {
		z += float64(hist[j])
		z = float64(z * 0.5)
	}
	z += float64(m * hllSigma(float64(float64(hist[0])/m)))
	return llround(hllAlphaInf * m * m / z)
}

// llround rounds half away from zero like C's llroundl and converts to
// uint64 as Redis does; a value out of the int64 range (z == 0 when every
// register is above 51) becomes LLONG_MIN's bit pattern, which PFCOUNT then
// prints as -9223372036854775808, exactly like Redis on x86-64.
func llround(e float64) uint64 {
	r := math.Round(e)
	if !(r < math.MaxInt64) { // also NaN
		return 1 << 63
	}
	return uint64(r)
}

// hllSigma is Ertl's sigma function.
func hllSigma(x float64) float64 {
	if x == 1 {
		return math.Inf(1)
	}
	y, z := 1.0, x
	for {
		x *= x
		prev := z
		z += float64(x * y)
		y += y
		if z == prev {
			return z
		}
	}
}

// hllTau is Ertl's tau function.
func hllTau(x float64) float64 {
	if x == 0 || x == 1 {
		return 0
	}
	y, z := 1.0, 1-x
	for {
		x = math.Sqrt(x)
		prev := z
		y *= 0.5
		d := 1 - x
		z -= float64(float64(d*d) * y)
		if z == prev {
			return z / 3
		}
	}
}

// HLLCountRegisters estimates the cardinality of raw registers, as
// multi-key PFCOUNT does for the union.
func HLLCountRegisters(regs *[HLLRegisters]uint8) uint64 {
	var hist [64]int
	for _, v := range regs {
		hist[v&hllMaxReg]++
	}
	return hllEstimate(&hist)
}
