package protocol

import (
	"math"
	"strconv"

	"github.com/geetcache/geetcache/datatypes"
)

// INCR key
func incr(c *Ctx) { incrBy(c, 1) }

// DECR key
func decr(c *Ctx) { incrBy(c, -1) }

// INCRBY key increment
func incrby(c *Ctx) {
	n, ok := ParseInt(c.Args[2])
	if !ok {
		c.Out.Error(ErrNotInteger)
		return
	}
	incrBy(c, n)
}

// DECRBY key decrement
func decrby(c *Ctx) {
	n, ok := ParseInt(c.Args[2])
	switch {
	case !ok:
		c.Out.Error(ErrNotInteger)
	case n == math.MinInt64:
		c.Out.Error(ErrDecrementOverflow)
	default:
		incrBy(c, -n)
	}
}

// incrBy adds delta to the integer at c.Args[1] (0 when missing), keeping
// the key's TTL, as Redis's incrDecrCommand does.
func incrBy(c *Ctx, delta int64) {
	e, old, ok := numberEntry(c)
	if !ok {
		return
	}
	var n int64
	if e != nil {
		n, ok = ParseInt(old)
	}
	if !ok {
		c.Out.Error(ErrNotInteger)
		return
	}
	if (delta < 0 && n < 0 && delta < math.MinInt64-n) ||
		(delta > 0 && n > 0 && delta > math.MaxInt64-n) {
		c.Out.Error(ErrOverflow)
		return
	}
	n += delta
	storeNumber(c, e, strconv.AppendInt(nil, n, 10))
	c.Notify(NotifyString, "incrby", c.Args[1])
	c.Out.Int(n)
}

// INCRBYFLOAT key increment
func incrbyfloat(c *Ctx) {
	e, old, ok := numberEntry(c)
	if !ok {
		return
	}
	v := newLongDouble()
	if e != nil {
		v, ok = parseLongDouble(old)
	}
	incr, ok2 := parseLongDouble(c.Args[2])
	if !ok || !ok2 {
		c.Out.Error(ErrNotFloat)
		return
	}
	sum, ok := addLongDouble(v, incr)
	if !ok {
		c.Out.Error(ErrNaNOrInfinity)
		return
	}
	s := formatLongDouble(sum)
	storeNumber(c, e, s)
	c.Notify(NotifyString, "incrbyfloat", c.Args[1])
	c.Out.Bulk(s)
}

// numberEntry looks up the key of an INCR-style command and returns its
// entry (nil when missing) and bytes. On a key of another type it replies
// WRONGTYPE and returns ok=false.
func numberEntry(c *Ctx) (e *datatypes.Entry, val []byte, ok bool) {
	e = c.Lookup(c.Args[1])
	if e == nil {
		return nil, nil, true
	}
	sv, isStr := entryString(e)
	if !isStr {
		c.Out.Error(ErrWrongType)
		return nil, nil, false
	}
	return e, sv.Bytes(), true
}

// storeNumber stores s (owned by the caller, never an argument) at
// c.Args[1], keeping e's TTL when the key existed.
func storeNumber(c *Ctx, e *datatypes.Entry, s []byte) {
	var at int64
	if e != nil {
		at = e.ExpireAt
	}
	c.DB.SetString(view(c.Args[1]), s, at) // copies the key
}
