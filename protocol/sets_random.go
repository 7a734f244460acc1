package protocol

// SPOP key [count]
//
// SPOP runs in the FSM: c.Rand, seeded from the log entry, picks the same
// members on every replica.
func spop(c *Ctx) {
	switch {
	case len(c.Args) == 3:
		spopCount(c)
		return
	case len(c.Args) > 3:
		c.Out.Error(ErrSyntax)
		return
	}
	s, ok := writableSet(c, c.Args[1], false)
	switch {
	case !ok:
	case s == nil:
		c.Out.Null()
	default:
		c.Out.BulkString(s.RemoveAt(c.randomIndex(s.Len())))
		c.Notify(NotifySet, "spop", c.Args[1])
		deleteIfEmpty(c, c.Args[1], s.Len())
	}
}

// spopCount pops up to count distinct members and replies with them as a
// set; popping them all deletes the key.
func spopCount(c *Ctx) {
	count, ok := ParseInt(c.Args[2])
	if !ok || count < 0 {
		c.Out.Error(ErrMustBePositive)
		return
	}
	s, ok := writableSet(c, c.Args[1], false)
	switch {
	case !ok:
		return
	case s == nil || count == 0:
		c.Out.Set(0)
		return
	}
	n := int(min(count, int64(s.Len())))
	c.Out.Set(n)
	c.Notify(NotifySet, "spop", c.Args[1])
	c.AddDirty(int64(n))
	if n == s.Len() {
		for i := range n {
			c.Out.BulkString(s.At(i))
		}
		c.DB.Delete(view(c.Args[1]))
		c.Notify(NotifyGeneric, "del", c.Args[1])
		return
	}
	for range n {
		c.Out.BulkString(s.RemoveAt(c.randomIndex(s.Len())))
	}
}

// SRANDMEMBER key [count]
func srandmember(c *Ctx) {
	switch {
	case len(c.Args) == 3:
		srandmemberCount(c)
		return
	case len(c.Args) > 3:
		c.Out.Error(ErrSyntax)
		return
	}
	s, ok := lookupSet(c, c.Args[1])
	switch {
	case !ok:
	case s == nil:
		c.Out.Null()
	default:
		c.Out.BulkString(s.At(c.randomIndex(s.Len())))
	}
}

// srandmemberCount replies with an array of random members: count distinct
// ones, or -count with repeats when count is negative.
func srandmemberCount(c *Ctx) {
	count, ok := parseRandomCount(c, c.Args[2])
	if !ok {
		return
	}
	s, ok := lookupSet(c, c.Args[1])
	switch {
	case !ok:
	case s == nil || count == 0:
		c.Out.Array(0)
	default:
		replyRandom(c, s.Len(), count, 1, func(i int) { c.Out.BulkString(s.At(i)) })
	}
}
