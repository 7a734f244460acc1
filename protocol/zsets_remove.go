package protocol

import "github.com/geetcache/geetcache/datatypes"

// ZREMRANGEBYRANK key start stop
func zremrangebyrank(c *Ctx) {
	start, okStart := ParseInt(c.Args[2])
	stop, okStop := ParseInt(c.Args[3])
	if !okStart || !okStop {
		c.Out.Error(ErrNotInteger)
		return
	}
	q := zrangeQuery{start: start, stop: stop}
	removeSpan(c, "zremrangebyrank", func(z *datatypes.ZSet) (int, int) {
		from, n := q.rankWindow(int64(z.Len()))
		return from, from + n
	})
}

// ZREMRANGEBYSCORE key min max
func zremrangebyscore(c *Ctx) {
	r, ok := parseScoreRange(c.Args[2], c.Args[3])
	if !ok {
		c.Out.Error(ErrMinMaxNotFloat)
		return
	}
	removeSpan(c, "zremrangebyscore", r.span)
}

// ZREMRANGEBYLEX key min max
func zremrangebylex(c *Ctx) {
	r, ok := parseLexRange(c.Args[2], c.Args[3])
	if !ok {
		c.Out.Error(ErrMinMaxNotLex)
		return
	}
	removeSpan(c, "zremrangebylex", r.span)
}

// removeSpan removes the ranks [start, end) that span selects from the
// sorted set at c.Args[1], deletes the key when it empties, and replies
// with the number removed. A set with nothing to remove is not copied out
// of a snapshot.
func removeSpan(c *Ctx, event string, span func(*datatypes.ZSet) (int, int)) {
	z, ok := lookupZSet(c, c.Args[1])
	if !ok {
		return
	}
	var start, end int
	if z != nil {
		start, end = span(z)
	}
	if start >= end {
		c.Out.Int(0)
		return
	}
	z, _ = writableZSet(c, c.Args[1], false)
	n := z.RemoveRange(start, end)
	c.Notify(NotifyZSet, event, c.Args[1])
	c.AddDirty(int64(n))
	deleteIfEmpty(c, c.Args[1], z.Len())
	c.Out.Int(int64(n))
}
