package protocol

import (
	"math"
	"strconv"
)

// HINCRBY key field increment
func hincrby(c *Ctx) {
	incr, ok := ParseInt(c.Args[3])
	if !ok {
		c.Out.Error(ErrNotInteger)
		return
	}
	h, ok := writableHash(c, c.Args[1], true)
	if !ok {
		return
	}
	var cur int64
	if v, found := h.Get(view(c.Args[2])); found {
		if cur, ok = ParseInt([]byte(v)); !ok {
			c.Out.Error(ErrHashNotInteger)
			return
		}
	}
	if addOverflows(cur, incr) {
		c.Out.Error(ErrOverflow)
		return
	}
	v := strconv.FormatInt(cur+incr, 10)
	h.Set(string(c.Args[2]), v)
	c.Notify(NotifyHash, "hincrby", c.Args[1])
	h.Outgrow(view(c.Args[2]), v, c.DB.EncodingLimits())
	c.Out.Int(cur + incr)
}

// addOverflows reports whether a+b leaves the int64 range.
func addOverflows(a, b int64) bool {
	return (b < 0 && a < 0 && b < math.MinInt64-a) || (b > 0 && a > 0 && b > math.MaxInt64-a)
}

// HINCRBYFLOAT key field increment
//
// Computed in emulated C long double and printed as Redis prints it, like
// INCRBYFLOAT (see float.go).
func hincrbyfloat(c *Ctx) {
	incr, ok := parseLongDouble(c.Args[3])
	switch {
	case !ok:
		c.Out.Error(ErrNotFloat)
		return
	case incr.IsInf():
		c.Out.Error(ErrIncrNaNOrInf)
		return
	}
	h, ok := writableHash(c, c.Args[1], true)
	if !ok {
		return
	}
	cur := newLongDouble()
	if v, found := h.Get(view(c.Args[2])); found {
		if cur, ok = parseLongDouble([]byte(v)); !ok {
			c.Out.Error(ErrHashNotFloat)
			return
		}
	}
	sum, ok := addLongDouble(cur, incr)
	if !ok {
		c.Out.Error(ErrNaNOrInfinity)
		return
	}
	s := formatLongDouble(sum)
	h.Set(string(c.Args[2]), string(s))
	c.Notify(NotifyHash, "hincrbyfloat", c.Args[1])
	h.Outgrow(view(c.Args[2]), view(s), c.DB.EncodingLimits())
	c.Out.Bulk(s)
}
