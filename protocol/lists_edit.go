package protocol

// LREM key count element
//
// count > 0 removes the first count matches from the head, count < 0 the
// first -count from the tail, 0 all of them. Redis negates the count in a C
// long, so -9223372036854775808 stays negative and removes every match from
// the tail; that is what happens here too.
func lrem(c *Ctx) {
	count, ok := ParseInt(c.Args[2])
	if !ok {
		c.Out.Error(ErrNotInteger)
		return
	}
	l, ok := writableList(c, c.Args[1], false)
	switch {
	case !ok:
	case l == nil:
		c.Out.Int(0)
	default:
		n := l.Remove(c.Args[3], removeLimit(count, l.Len()), count < 0)
		if n > 0 {
			c.Notify(NotifyList, "lrem", c.Args[1])
		}
		c.AddDirty(int64(n))
		deleteIfEmpty(c, c.Args[1], l.Len())
		c.Out.Int(int64(n))
	}
}

// removeLimit turns LREM's count into List.Remove's limit for a list of n
// elements: 0 (every match) for a count of 0, of n or more, or of -2^63.
func removeLimit(count int64, n int) int {
	if count < 0 {
		count = -count // -2^63 stays negative
	}
	if count <= 0 || count >= int64(n) {
		return 0
	}
	return int(count)
}

// LINSERT key BEFORE|AFTER pivot element
//
// Replies with the new length, -1 when pivot is not in the list, 0 when
// the key is missing.
func linsert(c *Ctx) {
	var after bool
	switch {
	case EqualFold(c.Args[2], "after"):
		after = true
	case !EqualFold(c.Args[2], "before"):
		c.Out.Error(ErrSyntax)
		return
	}
	l, ok := lookupList(c, c.Args[1])
	switch {
	case !ok:
	case l == nil:
		c.Out.Int(0)
	default:
		c.Out.Int(insertAt(c, after))
	}
}

// insertAt inserts c.Args[4] next to the first c.Args[3] in the list at
// c.Args[1], which exists, and returns the new length or -1.
func insertAt(c *Ctx, after bool) int64 {
	l, _ := lookupList(c, c.Args[1])
	i := l.Find(c.Args[3])
	if i < 0 {
		return -1
	}
	if after {
		i++
	}
	l, _ = writableList(c, c.Args[1], false)
	l.InsertAt(i, c.Args[4])
	c.Notify(NotifyList, "linsert", c.Args[1])
	return int64(l.Len())
}
