package protocol

import "github.com/geetcache/geetcache/datatypes"

// zsetCommands is the sorted set family. Each command's handler starts with
// its usage line. The blocking forms (BZPOPMIN, BZPOPMAX, BZMPOP) are not
// here; they reuse zpopGeneric and parseZMPop.
var zsetCommands = []*Command{
	{Name: "zadd", Arity: -4, Flags: Write | DenyOOM | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "sorted-set", Since: "1.2.0", Summary: "Add one or more members to a sorted set, or update its score if it already exists",
		Handler: HandlerFunc(zadd), Unchanged: zaddUnchanged},
	{Name: "zincrby", Arity: 4, Flags: Write | DenyOOM | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "sorted-set", Since: "1.2.0", Summary: "Increment the score of a member in a sorted set",
		Handler: HandlerFunc(zincrby)},
	{Name: "zscore", Arity: 3, Flags: Readonly | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "sorted-set", Since: "1.2.0", Summary: "Get the score associated with the given member in a sorted set",
		Handler: HandlerFunc(zscore)},
	{Name: "zmscore", Arity: -3, Flags: Readonly | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "sorted-set", Since: "6.2.0", Summary: "Get the score associated with the given members in a sorted set",
		Handler: HandlerFunc(zmscore)},
	{Name: "zcard", Arity: 2, Flags: Readonly | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "sorted-set", Since: "1.2.0", Summary: "Get the number of members in a sorted set",
		Handler: HandlerFunc(zcard)},
	{Name: "zcount", Arity: 4, Flags: Readonly | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "sorted-set", Since: "2.0.0", Summary: "Count the members in a sorted set with scores within the given values",
		Handler: HandlerFunc(zcount)},
	{Name: "zlexcount", Arity: 4, Flags: Readonly | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "sorted-set", Since: "2.8.9", Summary: "Count the number of members in a sorted set between a given lexicographical range",
		Handler: HandlerFunc(zlexcount)},
	{Name: "zrank", Arity: 3, Flags: Readonly | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "sorted-set", Since: "2.0.0", Summary: "Determine the index of a member in a sorted set",
		Handler: HandlerFunc(zrank)},
	{Name: "zrevrank", Arity: 3, Flags: Readonly | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "sorted-set", Since: "2.0.0", Summary: "Determine the index of a member in a sorted set, with scores ordered from high to low",
		Handler: HandlerFunc(zrevrank)},
	{Name: "zrange", Arity: -4, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "sorted-set", Since: "1.2.0", Summary: "Return a range of members in a sorted set",
		Handler: HandlerFunc(zrange)},
	{Name: "zrangestore", Arity: -5, Flags: Write | DenyOOM, FirstKey: 1, LastKey: 2, Step: 1,
		Group: "sorted-set", Since: "6.2.0", Summary: "Store a range of members from sorted set into another key",
		Handler: HandlerFunc(zrangestore)},
	{Name: "zrangebyscore", Arity: -4, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "sorted-set", Since: "1.0.5", Summary: "Return a range of members in a sorted set, by score",
		Handler: HandlerFunc(zrangebyscore)},
	{Name: "zrevrangebyscore", Arity: -4, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "sorted-set", Since: "2.2.0", Summary: "Return a range of members in a sorted set, by score, with scores ordered from high to low",
		Handler: HandlerFunc(zrevrangebyscore)},
	{Name: "zrangebylex", Arity: -4, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "sorted-set", Since: "2.8.9", Summary: "Return a range of members in a sorted set, by lexicographical range",
		Handler: HandlerFunc(zrangebylex)},
	{Name: "zrevrangebylex", Arity: -4, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "sorted-set", Since: "2.8.9", Summary: "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.",
		Handler: HandlerFunc(zrevrangebylex)},
	{Name: "zrevrange", Arity: -4, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "sorted-set", Since: "1.2.0", Summary: "Return a range of members in a sorted set, by index, with scores ordered from high to low",
		Handler: HandlerFunc(zrevrange)},
	{Name: "zrem", Arity: -3, Flags: Write | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "sorted-set", Since: "1.2.0", Summary: "Remove one or more members from a sorted set",
		Handler: HandlerFunc(zrem)},
	{Name: "zremrangebyrank", Arity: 4, Flags: Write, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "sorted-set", Since: "2.0.0", Summary: "Remove all members in a sorted set within the given indexes",
		Handler: HandlerFunc(zremrangebyrank)},
	{Name: "zremrangebyscore", Arity: 4, Flags: Write, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "sorted-set", Since: "1.2.0", Summary: "Remove all members in a sorted set within the given scores",
		Handler: HandlerFunc(zremrangebyscore)},
	{Name: "zremrangebylex", Arity: 4, Flags: Write, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "sorted-set", Since: "2.8.9", Summary: "Remove all members in a sorted set between the given lexicographical range",
		Handler: HandlerFunc(zremrangebylex)},
	{Name: "zpopmin", Arity: -2, Flags: Write | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "sorted-set", Since: "5.0.0", Summary: "Remove and return members with the lowest scores in a sorted set",
		Handler: HandlerFunc(zpopmin), Unchanged: zpopUnchanged},
	{Name: "zpopmax", Arity: -2, Flags: Write | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "sorted-set", Since: "5.0.0", Summary: "Remove and return members with the highest scores in a sorted set",
		Handler: HandlerFunc(zpopmax), Unchanged: zpopUnchanged},
	// ZMPOP's keys follow numkeys: Redis reports 0 0 0 and movablekeys.
	{Name: "zmpop", Arity: -4, Flags: Write, KeyCount: 1,
		Group: "sorted-set", Since: "7.0.0", Summary: "Remove and return members with scores in a sorted set",
		Handler: HandlerFunc(zmpop)},
	{Name: "zrandmember", Arity: -2, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "sorted-set", Since: "6.2.0", Summary: "Get one or multiple random elements from a sorted set",
		Handler: HandlerFunc(zrandmember)},
	{Name: "zunion", Arity: -3, Flags: Readonly, KeyCount: 1,
		Group: "sorted-set", Since: "6.2.0", Summary: "Add multiple sorted sets",
		Handler: HandlerFunc(zunion)},
	{Name: "zinter", Arity: -3, Flags: Readonly, KeyCount: 1,
		Group: "sorted-set", Since: "6.2.0", Summary: "Intersect multiple sorted sets",
		Handler: HandlerFunc(zinter)},
	{Name: "zdiff", Arity: -3, Flags: Readonly, KeyCount: 1,
		Group: "sorted-set", Since: "6.2.0", Summary: "Subtract multiple sorted sets",
		Handler: HandlerFunc(zdiff)},
	{Name: "zintercard", Arity: -3, Flags: Readonly, KeyCount: 1,
		Group: "sorted-set", Since: "7.0.0", Summary: "Intersect multiple sorted sets and return the cardinality of the result",
		Handler: HandlerFunc(zintercard)},
	// The *STORE forms report only the destination as their key (1 1 1),
	// with movablekeys, as Redis does.
	{Name: "zunionstore", Arity: -4, Flags: Write | DenyOOM, KeyCount: 2, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "sorted-set", Since: "2.0.0", Summary: "Add multiple sorted sets and store the resulting sorted set in a new key",
		Handler: HandlerFunc(zunionstore)},
	{Name: "zinterstore", Arity: -4, Flags: Write | DenyOOM, KeyCount: 2, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "sorted-set", Since: "2.0.0", Summary: "Intersect multiple sorted sets and store the resulting sorted set in a new key",
		Handler: HandlerFunc(zinterstore)},
	{Name: "zdiffstore", Arity: -4, Flags: Write | DenyOOM, KeyCount: 2, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "sorted-set", Since: "6.2.0", Summary: "Subtract multiple sorted sets and store the resulting sorted set in a new key",
		Handler: HandlerFunc(zdiffstore)},
	{Name: "zscan", Arity: -3, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "sorted-set", Since: "2.8.0", Summary: "Incrementally iterate sorted sets elements and associated scores",
		Handler: HandlerFunc(zscan)},
}

func lookupZSet(c *Ctx, key []byte) (*datatypes.ZSet, bool) {
	return lookupTyped[*datatypes.ZSet](c, key)
}

// writableZSet returns the sorted set at key for changing, creating an
// empty listpack-encoded one when create is set; see writableTyped.
func writableZSet(c *Ctx, key []byte, create bool) (*datatypes.ZSet, bool) {
	if create {
		return writableTyped(c, key, datatypes.NewZSet)
	}
	return writableTyped[*datatypes.ZSet](c, key, nil)
}

// zsetLen is the length of z, 0 for a missing key (nil).
func zsetLen(z *datatypes.ZSet) int {
	if z == nil {
		return 0
	}
	return z.Len()
}

// ZCARD key
func zcard(c *Ctx) {
	if z, ok := lookupZSet(c, c.Args[1]); ok {
		c.Out.Int(int64(zsetLen(z)))
	}
}

// ZSCORE key member
func zscore(c *Ctx) {
	if z, ok := lookupZSet(c, c.Args[1]); ok {
		replyScoreOf(c, z, c.Args[2])
	}
}

// ZMSCORE key member [member ...]
func zmscore(c *Ctx) {
	z, ok := lookupZSet(c, c.Args[1])
	if !ok {
		return
	}
	c.Out.Array(len(c.Args) - 2)
	for _, m := range c.Args[2:] {
		replyScoreOf(c, z, m)
	}
}

// replyScoreOf replies with member's score in z (nil for a missing key),
// or null.
func replyScoreOf(c *Ctx, z *datatypes.ZSet, member []byte) {
	if z != nil {
		if s, ok := z.Score(view(member)); ok {
			c.Out.Double(s)
			return
		}
	}
	c.Out.Null()
}

// ZRANK key member
func zrank(c *Ctx) { replyRank(c, false) }

// ZREVRANK key member
func zrevrank(c *Ctx) { replyRank(c, true) }

// replyRank replies with the member's rank, counted from the highest
// score when rev is set, or null.
func replyRank(c *Ctx, rev bool) {
	z, ok := lookupZSet(c, c.Args[1])
	if !ok {
		return
	}
	if z != nil {
		if r, found := z.Rank(view(c.Args[2])); found {
			if rev {
				r = z.Len() - 1 - r
			}
			c.Out.Int(int64(r))
			return
		}
	}
	c.Out.Null()
}

// ZREM key member [member ...]
func zrem(c *Ctx) {
	z, ok := writableZSet(c, c.Args[1], false)
	if !ok {
		return
	}
	var n int64
	for _, m := range c.Args[2:] {
		if z != nil && z.Remove(view(m)) {
			n++
		}
	}
	if n > 0 {
		c.Notify(NotifyZSet, "zrem", c.Args[1])
		deleteIfEmpty(c, c.Args[1], z.Len())
	}
	c.AddDirty(n)
	c.Out.Int(n)
}
