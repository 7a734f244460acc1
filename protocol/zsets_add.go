package protocol

import (
	"math"

	"github.com/geetcache/geetcache/datatypes"
)

// ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]
func zadd(c *Ctx) { zaddGeneric(c, false) }

// ZINCRBY key increment member
//
// As in Redis, ZINCRBY is ZADD INCR: its arguments go through ZADD's
// option parser, so "ZINCRBY key nx member" is a syntax error.
func zincrby(c *Ctx) { zaddGeneric(c, true) }

// zaddFlags are ZADD's options.
type zaddFlags struct {
	nx, xx, gt, lt, ch, incr bool
}

// zaddGeneric runs ZADD (incr preset for ZINCRBY) as Redis's
// zaddGenericCommand: options, then every score parsed before the key is
// looked up, so the command applies fully or not at all.
func zaddGeneric(c *Ctx, incr bool) {
	f, first, ok := parseZAddFlags(c, incr)
	if !ok {
		return
	}
	scores, ok := parseZAddScores(c, first)
	if !ok {
		return
	}
	z, ok := writableZSet(c, c.Args[1], false)
	switch {
	case !ok:
		return
	case z == nil && f.xx:
		f.reply(c, 0, 0, 0, 0)
		return
	case z == nil:
		z, _ = writableZSet(c, c.Args[1], true)
	}
	f.addAll(c, z, scores, c.Args[first+1:])
}

// parseZAddFlags parses the options before the first score and checks
// their combination and the number of score-member pairs.
func parseZAddFlags(c *Ctx, incr bool) (f zaddFlags, first int, ok bool) {
	f.incr = incr
	first = 2
	for first < len(c.Args) && f.set(c.Args[first]) {
		first++
	}
	pairs := len(c.Args) - first
	switch {
	case pairs%2 != 0 || pairs == 0:
		c.Out.Error(ErrSyntax)
	case f.nx && f.xx:
		c.Out.Error(ErrZAddXXAndNX)
	case f.nx && (f.gt || f.lt) || f.gt && f.lt:
		c.Out.Error(ErrZAddGTLTAndNX)
	case f.incr && pairs > 2:
		c.Out.Error(ErrZAddIncrPairs)
	default:
		return f, first, true
	}
	return f, first, false
}

// set turns on the option named by arg and reports whether it is one.
func (f *zaddFlags) set(arg []byte) bool {
	for _, o := range []struct {
		name string
		flag *bool
	}{{"nx", &f.nx}, {"xx", &f.xx}, {"gt", &f.gt}, {"lt", &f.lt}, {"ch", &f.ch}, {"incr", &f.incr}} {
		if optionIs(arg, o.name) {
			*o.flag = true
			return true
		}
	}
	return false
}

// parseZAddScores parses the score of every pair from c.Args[first].
func parseZAddScores(c *Ctx, first int) ([]float64, bool) {
	scores := make([]float64, 0, (len(c.Args)-first)/2)
	for i := first; i < len(c.Args); i += 2 {
		s, ok := parseScore(c.Args[i])
		if !ok {
			c.Out.Error(ErrNotFloat)
			return nil, false
		}
		scores = append(scores, s)
	}
	return scores, true
}

// zaddOutcome is what zsetAdd did with one pair.
type zaddOutcome int

const (
	zaddNop     zaddOutcome = iota // skipped by NX, XX, GT or LT
	zaddSame                       // processed, score unchanged
	zaddUpdated                    // score changed
	zaddAdded                      // new member
	zaddNaN                        // INCR produced NaN
)

// addAll applies each score to the member after it and replies.
func (f zaddFlags) addAll(c *Ctx, z *datatypes.ZSet, scores []float64, rest [][]byte) {
	var added, updated, processed int64
	var last float64
	defer func() { // also after a NaN error, as Redis's cleanup
		if added+updated > 0 {
			c.Notify(NotifyZSet, zaddEvent(f.incr), c.Args[1])
		}
	}()
	for i, s := range scores {
		out, score := f.apply(z, rest[2*i], s)
		if out == zaddAdded {
			z.Outgrow(len(rest[2*i]), c.DB.EncodingLimits())
		}
		switch out {
		case zaddNaN:
			c.Out.Error(ErrScoreNaN)
			return
		case zaddAdded:
			added++
		case zaddUpdated:
			updated++
		}
		if out != zaddNop {
			processed, last = processed+1, score
		}
	}
	c.AddDirty(added + updated)
	f.reply(c, added, updated, processed, last)
}

// zaddEvent is the keyspace event of ZADD, or of ZADD INCR and ZINCRBY.
func zaddEvent(incr bool) string {
	if incr {
		return "zincr"
	}
	return "zadd"
}

// apply is Redis's zsetAdd for one pair: it returns the outcome and the
// member's new score.
func (f zaddFlags) apply(z *datatypes.ZSet, member []byte, score float64) (zaddOutcome, float64) {
	cur, found := z.Score(view(member))
	switch {
	case !found && f.xx, found && f.nx:
		return zaddNop, 0
	case !found:
		z.Set(string(member), score)
		return zaddAdded, score
	}
	if f.incr {
		if score += cur; math.IsNaN(score) {
			return zaddNaN, 0
		}
	}
	switch {
	case f.lt && score >= cur, f.gt && score <= cur:
		return zaddNop, 0
	case score == cur:
		return zaddSame, score
	}
	z.Set(string(member), score)
	return zaddUpdated, score
}

// reply answers ZADD with the count of added (and with CH, updated)
// members, or ZINCRBY and ZADD INCR with the new score, null when the pair
// was skipped.
func (f zaddFlags) reply(c *Ctx, added, updated, processed int64, score float64) {
	switch {
	case f.incr && processed > 0:
		c.Out.Double(score)
	case f.incr:
		c.Out.Null()
	case f.ch:
		c.Out.Int(added + updated)
	default:
		c.Out.Int(added)
	}
}
