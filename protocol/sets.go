package protocol

import (
	"bytes"

	"github.com/geetcache/geetcache/datatypes"
)

// setCommands is the set family. Each command's handler starts with its
// usage line.
var setCommands = []*Command{
	{Name: "sadd", Arity: -3, Flags: Write | DenyOOM | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "set", Since: "1.0.0", Summary: "Add one or more members to a set",
		Handler: HandlerFunc(sadd), Unchanged: saddUnchanged},
	{Name: "srem", Arity: -3, Flags: Write | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "set", Since: "1.0.0", Summary: "Remove one or more members from a set",
		Handler: HandlerFunc(srem)},
	{Name: "smembers", Arity: 2, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "set", Since: "1.0.0", Summary: "Get all the members in a set",
		Handler: HandlerFunc(smembers)},
	{Name: "sismember", Arity: 3, Flags: Readonly | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "set", Since: "1.0.0", Summary: "Determine if a given value is a member of a set",
		Handler: HandlerFunc(sismember)},
	{Name: "smismember", Arity: -3, Flags: Readonly | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "set", Since: "6.2.0", Summary: "Returns the membership associated with the given elements for a set",
		Handler: HandlerFunc(smismember)},
	{Name: "scard", Arity: 2, Flags: Readonly | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "set", Since: "1.0.0", Summary: "Get the number of members in a set",
		Handler: HandlerFunc(scard)},
	{Name: "smove", Arity: 4, Flags: Write | Fast, FirstKey: 1, LastKey: 2, Step: 1,
		Group: "set", Since: "1.0.0", Summary: "Move a member from one set to another",
		Handler: HandlerFunc(smove)},
	{Name: "spop", Arity: -2, Flags: Write | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "set", Since: "1.0.0", Summary: "Remove and return one or multiple random members from a set",
		Handler: HandlerFunc(spop)},
	{Name: "srandmember", Arity: -2, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "set", Since: "1.0.0", Summary: "Get one or multiple random members from a set",
		Handler: HandlerFunc(srandmember)},
	{Name: "sinter", Arity: -2, Flags: Readonly, FirstKey: 1, LastKey: -1, Step: 1,
		Group: "set", Since: "1.0.0", Summary: "Intersect multiple sets",
		Handler: HandlerFunc(sinter)},
	// SINTERCARD's keys follow numkeys: Redis reports 0 0 0 and the
	// movablekeys flag.
	{Name: "sintercard", Arity: -3, Flags: Readonly, KeyCount: 1,
		Group: "set", Since: "7.0.0", Summary: "Intersect multiple sets and return the cardinality of the result",
		Handler: HandlerFunc(sintercard)},
	{Name: "sunion", Arity: -2, Flags: Readonly, FirstKey: 1, LastKey: -1, Step: 1,
		Group: "set", Since: "1.0.0", Summary: "Add multiple sets",
		Handler: HandlerFunc(sunion)},
	{Name: "sdiff", Arity: -2, Flags: Readonly, FirstKey: 1, LastKey: -1, Step: 1,
		Group: "set", Since: "1.0.0", Summary: "Subtract multiple sets",
		Handler: HandlerFunc(sdiff)},
	{Name: "sinterstore", Arity: -3, Flags: Write | DenyOOM, FirstKey: 1, LastKey: -1, Step: 1,
		Group: "set", Since: "1.0.0", Summary: "Intersect multiple sets and store the resulting set in a key",
		Handler: HandlerFunc(sinterstore)},
	{Name: "sunionstore", Arity: -3, Flags: Write | DenyOOM, FirstKey: 1, LastKey: -1, Step: 1,
		Group: "set", Since: "1.0.0", Summary: "Add multiple sets and store the resulting set in a key",
		Handler: HandlerFunc(sunionstore)},
	{Name: "sdiffstore", Arity: -3, Flags: Write | DenyOOM, FirstKey: 1, LastKey: -1, Step: 1,
		Group: "set", Since: "1.0.0", Summary: "Subtract multiple sets and store the resulting set in a key",
		Handler: HandlerFunc(sdiffstore)},
	{Name: "sscan", Arity: -3, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "set", Since: "2.8.0", Summary: "Incrementally iterate Set elements",
		Handler: HandlerFunc(sscan)},
}

// SADD key member [member ...]
func sadd(c *Ctx) {
	s, ok := writableSet(c, c.Args[1], true)
	if !ok {
		return
	}
	var n int64
	for _, m := range c.Args[2:] {
		if !s.Has(view(m)) && s.Add(string(m)) {
			n++
			s.Outgrow(view(m), c.DB.EncodingLimits())
		}
	}
	if n > 0 {
		c.Notify(NotifySet, "sadd", c.Args[1])
	}
	c.AddDirty(n)
	c.Out.Int(n)
}

// SREM key member [member ...]
func srem(c *Ctx) {
	s, ok := writableSet(c, c.Args[1], false)
	if !ok {
		return
	}
	var n int64
	for _, m := range c.Args[2:] {
		if s != nil && s.Remove(view(m)) {
			n++
		}
	}
	if n > 0 {
		c.Notify(NotifySet, "srem", c.Args[1])
		deleteIfEmpty(c, c.Args[1], s.Len())
	}
	c.AddDirty(n)
	c.Out.Int(n)
}

// SMEMBERS key
func smembers(c *Ctx) {
	s, ok := lookupSet(c, c.Args[1])
	if !ok {
		return
	}
	if s == nil {
		c.Out.Set(0)
		return
	}
	c.Out.Set(s.Len())
	for i := range s.Len() {
		c.Out.BulkString(s.At(i))
	}
}

// SISMEMBER key member
func sismember(c *Ctx) {
	s, ok := lookupSet(c, c.Args[1])
	if ok {
		c.Out.Int(isMember(s, c.Args[2]))
	}
}

// isMember returns 1 when m is in s (nil for a missing key), else 0.
func isMember(s *datatypes.Set, m []byte) int64 {
	if s != nil && s.Has(view(m)) {
		return 1
	}
	return 0
}

// SMISMEMBER key member [member ...]
func smismember(c *Ctx) {
	s, ok := lookupSet(c, c.Args[1])
	if !ok {
		return
	}
	c.Out.Array(len(c.Args) - 2)
	for _, m := range c.Args[2:] {
		c.Out.Int(isMember(s, m))
	}
}

// SCARD key
func scard(c *Ctx) {
	s, ok := lookupSet(c, c.Args[1])
	switch {
	case !ok:
	case s == nil:
		c.Out.Int(0)
	default:
		c.Out.Int(int64(s.Len()))
	}
}

// SMOVE source destination member
//
// A missing source moves nothing (and hides a wrong-typed destination);
// source == destination only reports membership.
func smove(c *Ctx) {
	src, dst, member := c.Args[1], c.Args[2], c.Args[3]
	srcLive := c.Lookup(src) != nil
	c.Lookup(dst) // as Redis, both are looked up (an expired one removed) first
	if !srcLive {
		c.Out.Int(0)
		return
	}
	s, ok := lookupSet(c, src)
	if !ok {
		return
	}
	if _, ok = lookupSet(c, dst); !ok {
		return
	}
	if bytes.Equal(src, dst) {
		c.Out.Int(isMember(s, member))
		return
	}
	c.Out.Int(moveMember(c, src, dst, member))
}

// moveMember moves member from the set at src to the set at dst (created
// when missing) and returns 1, or 0 when member is not in src. Both keys
// are known to be sets or, for dst, missing. As in Redis, dst counts as
// changed (WATCH, "sadd") only when member was not in it already.
func moveMember(c *Ctx, src, dst, member []byte) int64 {
	s, _ := writableSet(c, src, false)
	if !s.Remove(view(member)) {
		return 0
	}
	c.Notify(NotifySet, "srem", src)
	deleteIfEmpty(c, src, s.Len())
	c.AddDirty(1) // and 1 more when dst gains member, as Redis counts
	if d, _ := lookupSet(c, dst); d != nil && d.Has(view(member)) {
		return 1
	}
	c.AddDirty(1)
	d, _ := writableSet(c, dst, true)
	if d.Add(string(member)) {
		d.Outgrow(view(member), c.DB.EncodingLimits())
	}
	c.Notify(NotifySet, "sadd", dst)
	return 1
}

// SSCAN key cursor [MATCH pattern] [COUNT count]
//
// Small sets come back whole with cursor 0, as Redis returns its compact
// encodings; larger ones are walked in member-hash order (see
// datatypes.Set.Scan).
func sscan(c *Ctx) {
	elementScan(c, lookupSet, func(s *datatypes.Set, cursor uint64, opt scanOptions) (uint64, []string) {
		var out []string
		next := s.Scan(cursor, int(opt.count), func(m string) {
			if opt.match.match(m) {
				out = append(out, m)
			}
		})
		return next, out
	})
}
