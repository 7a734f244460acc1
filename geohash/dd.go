package geohash

// Double-double arithmetic: a value hi+lo with |lo| at most half an ulp of
// hi, about 106 bits. Every operation is written so that nothing fuses
// into a multiply-add (each product goes through float64()), so the
// results are the same on every architecture.

type dd struct{ hi, lo float64 }

// twoSum returns a+b exactly as a double-double.
func twoSum(a, b float64) dd {
	s := a + b
	bb := s - a
	return dd{s, float64(a-float64(s-bb)) + float64(b-bb)}
}

// quickTwoSum is twoSum for |a| >= |b|.
func quickTwoSum(a, b float64) dd {
	s := a + b
	return dd{s, b - float64(s-a)}
}

// split cuts a into two 26-bit halves (Dekker).
func split(a float64) (hi, lo float64) {
	t := float64(134217729 * a)
	hi = t - float64(t-a)
	return hi, a - hi
}

// twoProd returns a*b exactly as a double-double.
func twoProd(a, b float64) dd {
	p := float64(a * b)
	ah, al := split(a)
	bh, bl := split(b)
	e := float64(float64(float64(ah*bh)-p)+float64(ah*bl)) + float64(al*bh)
	return dd{p, e + float64(al*bl)}
}

func (x dd) add(y dd) dd {
	s := twoSum(x.hi, y.hi)
	t := twoSum(x.lo, y.lo)
	s = quickTwoSum(s.hi, s.lo+t.hi)
	return quickTwoSum(s.hi, s.lo+t.lo)
}

func (x dd) neg() dd { return dd{-x.hi, -x.lo} }

func (x dd) sub(y dd) dd { return x.add(y.neg()) }

func (x dd) mul(y dd) dd {
	p := twoProd(x.hi, y.hi)
	lo := p.lo + float64(float64(x.hi*y.lo)+float64(x.lo*y.hi))
	return quickTwoSum(p.hi, lo)
}

func (x dd) mulF(f float64) dd {
	p := twoProd(x.hi, f)
	return quickTwoSum(p.hi, p.lo+float64(x.lo*f))
}

// div returns x/y.
func (x dd) div(y dd) dd {
	q1 := x.hi / y.hi
	r := x.sub(y.mulF(q1))
	q2 := r.hi / y.hi
	r = r.sub(y.mulF(q2))
	q3 := r.hi / y.hi
	return quickTwoSum(q1, q2).add(dd{q3, 0})
}

// round returns the double nearest to x.
func (x dd) round() float64 { return x.hi + x.lo }
