package protocol

// List commands that address elements by index: LINDEX, LSET, LRANGE and
// LTRIM. As in Redis, a negative index counts from the tail (-1 is the last
// element).

// elementIndex parses a LINDEX/LSET index for a list of n elements and
// returns it counted from the head; inRange is false when it falls outside
// the list. On a malformed index it replies and returns ok=false.
func elementIndex(c *Ctx, arg []byte, n int) (i int, inRange, ok bool) {
	v, ok := ParseInt(arg)
	if !ok {
		c.Out.Error(ErrNotInteger)
		return 0, false, false
	}
	if v < 0 {
		v += int64(n)
	}
	return int(v), v >= 0 && v < int64(n), true
}

// LINDEX key index
//
// A missing key replies nil before the index is parsed, as in Redis.
func lindex(c *Ctx) {
	l, ok := lookupList(c, c.Args[1])
	if !ok {
		return
	}
	if l == nil {
		c.Out.Null()
		return
	}
	i, inRange, ok := elementIndex(c, c.Args[2], l.Len())
	switch {
	case !ok:
	case !inRange:
		c.Out.Null()
	default:
		c.Out.Bulk(l.Index(i))
	}
}

// LSET key index element
func lset(c *Ctx) {
	l, ok := lookupList(c, c.Args[1])
	if !ok {
		return
	}
	if l == nil {
		c.Out.Error(ErrNoSuchKey)
		return
	}
	i, inRange, ok := elementIndex(c, c.Args[2], l.Len())
	switch {
	case !ok:
	case !inRange:
		c.Out.Error(ErrIndexRange)
	default:
		l, _ = writableList(c, c.Args[1], false)
		l.Set(i, c.Args[3])
		c.Notify(NotifyList, "lset", c.Args[1])
		c.Out.OK()
	}
}

// parseRange parses LRANGE/LTRIM's start and stop; on a malformed one it
// replies and returns ok=false.
func parseRange(c *Ctx) (start, stop int64, ok bool) {
	start, ok1 := ParseInt(c.Args[2])
	stop, ok2 := ParseInt(c.Args[3])
	if !ok1 || !ok2 {
		c.Out.Error(ErrNotInteger)
		return 0, 0, false
	}
	return start, stop, true
}

// clampRange turns start and stop (inclusive, negative from the tail) into
// positions in a list of n elements; empty is set when no element is in
// range.
func clampRange(start, stop int64, n int) (first, last int, empty bool) {
	if start < 0 {
		start += int64(n)
	}
	if stop < 0 {
		stop += int64(n)
	}
	start = max(start, 0)
	if start > stop || start >= int64(n) {
		return 0, 0, true
	}
	return int(start), int(min(stop, int64(n)-1)), false
}

// LRANGE key start stop
func lrange(c *Ctx) {
	start, stop, ok := parseRange(c)
	if !ok {
		return
	}
	l, ok := lookupList(c, c.Args[1])
	if !ok {
		return
	}
	if l == nil {
		c.Out.Array(0)
		return
	}
	first, last, empty := clampRange(start, stop, l.Len())
	if empty {
		c.Out.Array(0)
		return
	}
	c.Out.Array(last - first + 1)
	l.Range(first, last, func(e []byte) { c.Out.Bulk(e) })
}

// LTRIM key start stop
func ltrim(c *Ctx) {
	start, stop, ok := parseRange(c)
	if !ok {
		return
	}
	l, ok := writableList(c, c.Args[1], false)
	if !ok {
		return
	}
	if l != nil {
		front, back := trimCounts(l.Len(), start, stop)
		l.Trim(front, back)
		c.Notify(NotifyList, "ltrim", c.Args[1])
		c.AddDirty(int64(front + back))
		deleteIfEmpty(c, c.Args[1], l.Len())
	}
	c.Out.OK()
}

// trimCounts returns how many of n elements to drop from the head and from
// the tail to keep only start..stop.
func trimCounts(n int, start, stop int64) (front, back int) {
	first, last, empty := clampRange(start, stop, n)
	if empty {
		return n, 0
	}
	return first, n - 1 - last
}
