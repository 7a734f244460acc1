package protocol

import (
	"slices"

	"github.com/geetcache/geetcache/datatypes"
)

// Set algebra. Results are built in a deterministic order: the iteration
// order of the sets involved, never Go map order.

// SINTER key [key ...]
func sinter(c *Ctx) {
	if sets, ok := loadSets(c, c.Args[1:]); ok {
		replyMembers(c, intersect(sets, 0))
	}
}

// SUNION key [key ...]
func sunion(c *Ctx) {
	if sets, ok := loadSets(c, c.Args[1:]); ok {
		replyMembers(c, union(sets))
	}
}

// SDIFF key [key ...]
func sdiff(c *Ctx) {
	if sets, ok := loadSets(c, c.Args[1:]); ok {
		replyMembers(c, diff(sets))
	}
}

// SINTERSTORE destination key [key ...]
func sinterstore(c *Ctx) {
	if sets, ok := loadSets(c, c.Args[2:]); ok {
		storeMembers(c, intersect(sets, 0), "sinterstore")
	}
}

// SUNIONSTORE destination key [key ...]
func sunionstore(c *Ctx) {
	if sets, ok := loadSets(c, c.Args[2:]); ok {
		storeMembers(c, union(sets), "sunionstore")
	}
}

// SDIFFSTORE destination key [key ...]
func sdiffstore(c *Ctx) {
	if sets, ok := loadSets(c, c.Args[2:]); ok {
		storeMembers(c, diff(sets), "sdiffstore")
	}
}

// SINTERCARD numkeys key [key ...] [LIMIT limit]
func sintercard(c *Ctx) {
	numkeys, limit, ok := parseSintercard(c)
	if !ok {
		return
	}
	if sets, ok := loadSets(c, c.Args[2:2+numkeys]); ok {
		c.Out.Int(int64(len(intersect(sets, limit))))
	}
}

// parseSintercard checks numkeys against the arguments and parses the
// options after the keys; the last LIMIT wins and 0 means no limit.
func parseSintercard(c *Ctx) (numkeys, limit int, ok bool) {
	n, ok := ParseInt(c.Args[1])
	switch {
	case !ok || n < 1:
		c.Out.Error(ErrNumkeys)
		return 0, 0, false
	case n > int64(len(c.Args)-2):
		c.Out.Error(ErrNumkeysTooMany)
		return 0, 0, false
	}
	opts := c.Args[2+n:]
	for i := 0; i < len(opts); i += 2 {
		if !optionIs(opts[i], "limit") || i+1 >= len(opts) {
			c.Out.Error(ErrSyntax)
			return 0, 0, false
		}
		l, ok := ParseInt(opts[i+1])
		if !ok || l < 0 {
			c.Out.Error(ErrLimitNegative)
			return 0, 0, false
		}
		limit = int(l)
	}
	return int(n), limit, true
}

// loadSets looks up every key, in order, giving nil for a missing one. A
// key of another type anywhere replies WRONGTYPE, even after a missing one.
func loadSets(c *Ctx, keys [][]byte) ([]*datatypes.Set, bool) {
	sets := make([]*datatypes.Set, len(keys))
	for i, k := range keys {
		s, ok := lookupTypedRead[*datatypes.Set](c, k)
		if !ok {
			return nil, false
		}
		sets[i] = s
	}
	return sets, true
}

// intersect returns the members common to all sets, in the iteration order
// of the smallest (the first smallest on a tie), stopping once it has limit
// members when limit > 0. A missing set makes the result empty.
func intersect(sets []*datatypes.Set, limit int) []string {
	if slices.Contains(sets, nil) {
		return nil
	}
	sets = slices.Clone(sets)
	slices.SortStableFunc(sets, func(a, b *datatypes.Set) int { return a.Len() - b.Len() })
	var out []string
	for i := range sets[0].Len() {
		m := sets[0].At(i)
		if inAll(sets[1:], m) {
			out = append(out, m)
			if len(out) == limit {
				break
			}
		}
	}
	return out
}

func inAll(sets []*datatypes.Set, m string) bool {
	for _, s := range sets {
		if !s.Has(m) {
			return false
		}
	}
	return true
}

// union returns every member of the sets, each once, in order of first
// appearance walking the sets in argument order.
func union(sets []*datatypes.Set) []string {
	seen := datatypes.NewSet()
	var out []string
	for _, s := range sets {
		for i := range setLen(s) {
			if m := s.At(i); seen.Add(m) {
				out = append(out, m)
			}
		}
	}
	return out
}

// diff returns the members of the first set that are in none of the
// others, in the first set's iteration order.
func diff(sets []*datatypes.Set) []string {
	var out []string
	for i := range setLen(sets[0]) {
		if m := sets[0].At(i); !inAny(sets[1:], m) {
			out = append(out, m)
		}
	}
	return out
}

func inAny(sets []*datatypes.Set, m string) bool {
	for _, s := range sets {
		if s != nil && s.Has(m) {
			return true
		}
	}
	return false
}

func setLen(s *datatypes.Set) int {
	if s == nil {
		return 0
	}
	return s.Len()
}

// replyMembers replies with members as a set (an array in RESP2).
func replyMembers(c *Ctx, members []string) {
	c.Out.Set(len(members))
	for _, m := range members {
		c.Out.BulkString(m)
	}
}

// storeMembers stores members as a new set at the destination (c.Args[1]),
// replacing any value of any type and dropping its expiry, or deletes the
// destination when members is empty; it replies with the count and
// publishes event (or "del").
func storeMembers(c *Ctx, members []string, event string) {
	dst := c.Args[1]
	if len(members) == 0 {
		deleteDest(c, dst)
		c.Out.Int(0)
		return
	}
	s := datatypes.NewSet()
	lim := c.DB.EncodingLimits()
	for _, m := range members {
		s.Add(m)
		s.Outgrow(m, lim)
	}
	storeDest(c, dst, s, NotifySet, event)
	c.Out.Int(int64(len(members)))
}
