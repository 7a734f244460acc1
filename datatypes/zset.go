package datatypes

import (
	"cmp"
	"slices"
)

// Redis's defaults for zset-max-listpack-entries and -value: a sorted set
// stays in Redis's compact listpack encoding while it has at most this many
// members, none longer than this many bytes.
const (
	ZSetListpackEntries = 128
	ZSetListpackValue   = 64
)

// zsetSmallMax is the largest sorted set kept without a member index, as
// little more than a sorted slice (usually one leaf): lookups by member walk
// its members. Past it a member index is added.
const zsetSmallMax = 32

// ZSet is a sorted set value: distinct members ordered by (score, member).
//
// Members live in an order-statistic B+tree, so rank, index and range
// lookups cost O(log n). Sets larger than zsetSmallMax also keep a member
// index for O(1) score lookups and hash-ordered SCAN cursors. All ordered
// output comes from the tree; the index is only probed, or walked in hash
// order, never in Go map order.
//
// A ZSet also tracks which encoding Redis would give it (see Listpack),
// because that encoding shows in replies: ZSCAN returns a listpack whole,
// and a listpack stores a score of -0 as 0.
//
// The zero ZSet is empty, listpack-encoded and ready to use.
type ZSet struct {
	tree     ztree
	index    *table[float64] // member -> score; nil while small
	skiplist bool            // Redis's encoding would be skiplist, not listpack
}

// NewZSet returns an empty sorted set in the listpack encoding, as ZADD
// creates one.
func NewZSet() *ZSet { return &ZSet{} }

// NewZSetSkiplist returns an empty sorted set in the skiplist encoding.
func NewZSetSkiplist() *ZSet { return &ZSet{skiplist: true} }

// Kind reports KindZSet.
func (z *ZSet) Kind() Kind { return KindZSet }

// Clone returns a deep copy.
func (z *ZSet) Clone() Value {
	c := &ZSet{tree: z.tree.clone(), skiplist: z.skiplist}
	if z.index != nil {
		index := z.index.clone()
		c.index = &index
	}
	return c
}

// Len returns the number of members.
func (z *ZSet) Len() int { return z.tree.Len() }

// Listpack reports whether Redis 7.0 with default settings would hold this
// set in its listpack encoding: created small, and never grown past
// ZSetListpackEntries members or given a member longer than
// ZSetListpackValue bytes since (Redis does not convert back on removal).
func (z *ZSet) Listpack() bool { return !z.skiplist }

func (z *ZSet) small() bool { return z.Len() <= zsetSmallMax }

// Score returns member's score.
func (z *ZSet) Score(member string) (float64, bool) {
	if !z.small() {
		if i := z.index.find(member); i >= 0 {
			return z.index.val(i), true
		}
		return 0, false
	}
	var score float64
	found := false
	z.tree.ascend(0, func(m ZMember) bool {
		if m.Member == member {
			score, found = m.Score, true
		}
		return !found
	})
	return score, found
}

// Set gives member the score, adding member when new, and reports whether
// it was added. A score equal (==) to the current one changes nothing, so
// -0 does not replace 0. As in Redis, adding a member converts a listpack
// set to a skiplist when the set would outgrow the listpack limits, and a
// listpack set stores a zero score as +0. The set keeps member: it must
// not alias memory that changes later. score must not be NaN.
func (z *ZSet) Set(member string, score float64) bool {
	cur, found := z.Score(member)
	if found {
		if cur != score {
			z.move(member, cur, z.normalize(score))
		}
		return false
	}
	if !z.skiplist && (z.Len() >= ZSetListpackEntries || len(member) > ZSetListpackValue) {
		z.skiplist = true
	}
	z.insert(ZMember{Member: member, Score: z.normalize(score)})
	return true
}

// normalize returns score as the set's encoding stores it: a listpack
// writes integral scores as integers, so -0 reads back as 0.
func (z *ZSet) normalize(score float64) float64 {
	if !z.skiplist && score == 0 {
		return 0
	}
	return score
}

// move changes member's score from cur to score.
func (z *ZSet) move(member string, cur, score float64) {
	z.tree.delete(ZMember{Member: member, Score: cur})
	z.tree.insert(ZMember{Member: member, Score: score})
	if !z.small() {
		z.index.setVal(z.index.find(member), score)
	}
}

// insert adds m, whose member must be new, to the tree and the index.
func (z *ZSet) insert(m ZMember) {
	z.tree.insert(m)
	switch {
	case z.Len() == zsetSmallMax+1:
		z.buildIndex()
	case !z.small():
		z.index.insert(m.Member, m.Score)
	}
}

// buildIndex indexes every member, in rank order.
func (z *ZSet) buildIndex() {
	z.index = &table[float64]{}
	z.tree.ascend(0, func(m ZMember) bool {
		z.index.insert(m.Member, m.Score)
		return true
	})
}

// Remove removes member and reports whether it was present.
func (z *ZSet) Remove(member string) bool {
	score, ok := z.Score(member)
	if !ok {
		return false
	}
	z.tree.delete(ZMember{Member: member, Score: score})
	switch {
	case z.Len() == zsetSmallMax:
		z.index = nil
	case !z.small():
		z.index.removeAt(z.index.find(member))
	}
	return true
}

// RemoveRange removes the members of rank start to end-1 and returns how
// many it removed; the bounds are clamped to [0, Len()].
func (z *ZSet) RemoveRange(start, end int) int {
	start, end = max(start, 0), min(end, z.Len())
	if start >= end {
		return 0
	}
	if start == 0 && end == z.Len() {
		*z = ZSet{skiplist: z.skiplist}
		return end
	}
	for range end - start {
		z.Remove(z.tree.at(start).Member)
	}
	return end - start
}

// Rank returns member's 0-based rank in ascending order.
func (z *ZSet) Rank(member string) (int, bool) {
	score, ok := z.Score(member)
	if !ok {
		return 0, false
	}
	m := ZMember{Member: member, Score: score}
	return z.tree.countBefore(func(x ZMember) bool { return zless(x, m) }), true
}

// At returns the member of rank i, 0 <= i < Len().
func (z *ZSet) At(i int) ZMember { return z.tree.at(i) }

// Ascend calls fn on the members from rank from upwards until fn returns
// false. fn must not modify the set.
func (z *ZSet) Ascend(from int, fn func(ZMember) bool) { z.tree.ascend(from, fn) }

// Descend calls fn on the members from rank from downwards until fn
// returns false. fn must not modify the set.
func (z *ZSet) Descend(from int, fn func(ZMember) bool) { z.tree.descend(from, fn) }

// CountScoreBelow returns how many members score below s, or at most s
// when inclusive: the rank where a score range starting above s begins.
func (z *ZSet) CountScoreBelow(s float64, inclusive bool) int {
	if inclusive {
		return z.tree.countBefore(func(x ZMember) bool { return x.Score <= s })
	}
	return z.tree.countBefore(func(x ZMember) bool { return x.Score < s })
}

// CountMemberBelow returns how many members sort before m, or are at most
// m when inclusive, comparing members only. The result is exact when all
// scores are equal, which lex ranges assume (Redis leaves other cases
// unspecified).
func (z *ZSet) CountMemberBelow(m string, inclusive bool) int {
	if inclusive {
		return z.tree.countBefore(func(x ZMember) bool { return x.Member <= m })
	}
	return z.tree.countBefore(func(x ZMember) bool { return x.Member < m })
}

// SortZMembers sorts members by (score, member), the order NewZSetFrom
// takes them in.
func SortZMembers(members []ZMember) {
	slices.SortFunc(members, func(a, b ZMember) int {
		if c := cmp.Compare(a.Score, b.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Member, b.Member)
	})
}

// NewZSetFrom returns a sorted set holding members, which must be sorted
// by (score, member), distinct and NaN-free. Its encoding is the one Redis
// gives the result of a store command (zsetConvertToListpackIfNeeded): a
// listpack when it fits the listpack limits.
func NewZSetFrom(members []ZMember) *ZSet {
	z := NewZSetSkiplist()
	if len(members) <= ZSetListpackEntries && maxMemberLen(members) <= ZSetListpackValue {
		z.skiplist = false
	}
	for _, m := range members {
		m.Score = z.normalize(m.Score)
		z.insert(m)
	}
	return z
}

func maxMemberLen(members []ZMember) int {
	n := 0
	for _, m := range members {
		n = max(n, len(m.Member))
	}
	return n
}
