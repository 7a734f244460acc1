package protocol

import "github.com/geetcache/geetcache/datatypes"

// Pops: ZPOPMIN, ZPOPMAX and ZMPOP share Redis's genericZpopCommand, which
// the blocking forms (BZPOPMIN, BZPOPMAX, BZMPOP) reuse once a key has
// members: zpopGeneric for the non-blocking attempt, popZSet for the pop
// itself, parseZMPop for BZMPOP's arguments (numkeys at index 2).

// zpopShape is how a pop reply is laid out (genericZpopCommand's flags).
type zpopShape struct {
	emitKey      bool // the key name comes first (BZPOP*, ZMPOP, BZMPOP)
	nested       bool // [member, score] pairs instead of a flat list
	nilWhenEmpty bool // a null array, not an empty one, when nothing pops
}

// ZPOPMIN key [count]
func zpopmin(c *Ctx) { zpopMinMax(c, false) }

// ZPOPMAX key [count]
func zpopmax(c *Ctx) { zpopMinMax(c, true) }

// zpopMinMax parses ZPOPMIN's and ZPOPMAX's count: without one the reply
// is a flat [member, score]; with one RESP3 nests the pairs.
func zpopMinMax(c *Ctx, highest bool) {
	if len(c.Args) > 3 {
		c.Out.Error(ErrSyntax)
		return
	}
	count := int64(-1)
	if len(c.Args) == 3 {
		n, ok := ParseInt(c.Args[2])
		if !ok || n < 0 {
			c.Out.Error(ErrMustBePositive)
			return
		}
		count = n
	}
	shape := zpopShape{nested: c.Out.resp3() && count != -1}
	zpopGeneric(c, c.Args[1:2], highest, count, shape)
}

// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]
func zmpop(c *Ctx) {
	keys, highest, count, ok := parseZMPop(c, 1)
	if ok {
		zpopGeneric(c, keys, highest, count, zpopShape{emitKey: true, nested: true, nilWhenEmpty: true})
	}
}

// parseZMPop parses [B]ZMPOP's arguments from numkeys at c.Args[at]: the
// keys, MIN or MAX, and COUNT (1 when absent).
func parseZMPop(c *Ctx, at int) (keys [][]byte, highest bool, count int64, ok bool) {
	numkeys, ok := ParseInt(c.Args[at])
	if !ok || numkeys < 1 {
		c.Out.Error(ErrNumkeys)
		return nil, false, 0, false
	}
	if numkeys >= int64(len(c.Args)-at-1) {
		c.Out.Error(ErrSyntax)
		return nil, false, 0, false
	}
	where := at + 1 + int(numkeys)
	highest = optionIs(c.Args[where], "max")
	if !highest && !optionIs(c.Args[where], "min") {
		c.Out.Error(ErrSyntax)
		return nil, false, 0, false
	}
	count, ok = parseZMPopCount(c, c.Args[where+1:])
	return c.Args[at+1 : where], highest, count, ok
}

// parseZMPopCount parses the options after MIN|MAX: at most one COUNT,
// which must be positive.
func parseZMPopCount(c *Ctx, opts [][]byte) (int64, bool) {
	count := int64(-1)
	for j := 0; j < len(opts); j++ {
		if count != -1 || !optionIs(opts[j], "count") || j+1 == len(opts) {
			c.Out.Error(ErrSyntax)
			return 0, false
		}
		j++
		n, ok := ParseInt(opts[j])
		if !ok || n < 1 {
			c.Out.Error(ErrCountNotPositive)
			return 0, false
		}
		count = n
	}
	return max(count, 1), true
}

// zpopGeneric pops from the first of keys holding a sorted set: count
// members (count -1: one, as a plain pop), the lowest scores first, or the
// highest when highest is set. A key of another type before it replies WRONGTYPE.
// It reports whether anything was popped.
func zpopGeneric(c *Ctx, keys [][]byte, highest bool, count int64, shape zpopShape) bool {
	for _, key := range keys {
		z, ok := lookupSource[*datatypes.ZSet](c, key)
		switch {
		case !ok:
			return false
		case z != nil:
			return popZSet(c, key, highest, count, shape)
		}
	}
	if shape.nilWhenEmpty {
		c.Out.NullArray()
	} else {
		c.Out.Array(0)
	}
	return false
}

// popZSet pops from the sorted set at key, which exists, replies, and
// deletes the key when it empties. count 0 pops nothing.
func popZSet(c *Ctx, key []byte, highest bool, count int64, shape zpopShape) bool {
	if count == 0 {
		c.Out.Array(0)
		return false
	}
	z, _ := writableZSet(c, key, false)
	n := int(min(max(count, 1), int64(z.Len())))
	c.Notify(NotifyZSet, sideName(highest, "zpopmax", "zpopmin"), key)
	c.AddDirty(int64(n))
	shape.header(c, key, n)
	for range n {
		i := 0
		if highest {
			i = z.Len() - 1
		}
		m := z.At(i)
		z.Remove(m.Member)
		replyScored(c, m, true, shape.nested)
	}
	deleteIfEmpty(c, key, z.Len())
	return true
}

// header writes the reply's header for n popped members.
func (s zpopShape) header(c *Ctx, key []byte, n int) {
	switch {
	case s.emitKey && s.nested:
		c.Out.Array(2)
		c.Out.Bulk(key)
		c.Out.Array(n)
	case s.emitKey:
		c.Out.Array(2*n + 1)
		c.Out.Bulk(key)
	case s.nested:
		c.Out.Array(n)
	default:
		c.Out.Array(2 * n)
	}
}
