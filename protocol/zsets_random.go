package protocol

import (
	"math"

	"github.com/geetcache/geetcache/datatypes"
)

// ZRANDMEMBER key [count [WITHSCORES]]
//
// A read command: the picks come from math/rand/v2 on the node that
// serves it. A count of at least the set's size returns every member from
// the highest rank down, as Redis does (it walks sorted sets backwards); a
// smaller positive count returns that many distinct members, a negative
// one -count members with repeats.
func zrandmember(c *Ctx) {
	if len(c.Args) > 2 {
		zrandmemberCount(c)
		return
	}
	z, ok := lookupZSet(c, c.Args[1])
	switch {
	case !ok:
	case z == nil:
		c.Out.Null()
	default:
		c.Out.BulkString(z.At(c.randomIndex(z.Len())).Member)
	}
}

// zrandmemberCount replies with an array of picks, each with its score
// when asked: flat in RESP2, [member, score] pairs in RESP3.
func zrandmemberCount(c *Ctx) {
	count, withScores, ok := parseZRandArgs(c)
	if !ok {
		return
	}
	z, ok := lookupZSet(c, c.Args[1])
	switch {
	case !ok:
	case z == nil || count == 0:
		c.Out.Array(0)
	case count >= int64(z.Len()):
		replyZMembers(c, zsetDescending(z), withScores)
	default:
		per, pair := 1, withScores && c.Out.resp3()
		if withScores && !pair {
			per = 2
		}
		replyRandom(c, z.Len(), count, per, func(i int) { replyScored(c, z.At(i), withScores, pair) })
	}
}

// zsetDescending returns every member of z from the highest rank down.
func zsetDescending(z *datatypes.ZSet) []datatypes.ZMember {
	out := make([]datatypes.ZMember, 0, z.Len())
	z.Descend(z.Len()-1, func(m datatypes.ZMember) bool {
		out = append(out, m)
		return true
	})
	return out
}

// parseZRandArgs parses the count and WITHSCORES, which halves the count's
// range so that a RESP2 reply's length still fits.
func parseZRandArgs(c *Ctx) (count int64, withScores, ok bool) {
	if count, ok = parseRandomCount(c, c.Args[2]); !ok {
		return 0, false, false
	}
	if len(c.Args) > 4 || (len(c.Args) == 4 && !optionIs(c.Args[3], "withscores")) {
		c.Out.Error(ErrSyntax)
		return 0, false, false
	}
	withScores = len(c.Args) == 4
	if withScores && (count < -math.MaxInt64/2 || count > math.MaxInt64/2) {
		c.Out.Error(ErrValueRange)
		return 0, false, false
	}
	return count, withScores, true
}
