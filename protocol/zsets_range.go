package protocol

import "github.com/geetcache/geetcache/datatypes"

// The ZRANGE family, parsed and answered as Redis's zrangeGenericCommand.
// Every range resolves to ranks, so a range costs O(log n) plus its length.

// zrangeBy is how a range is given.
type zrangeBy int

const (
	zrangeAuto zrangeBy = iota // ZRANGE and ZRANGESTORE: by rank unless BYSCORE or BYLEX
	zrangeByRank
	zrangeByScore
	zrangeByLex
)

// zrangeDir is the direction: auto means forward unless REV.
type zrangeDir int

const (
	zrangeDirAuto zrangeDir = iota
	zrangeForward
	zrangeReverse
)

// zrangeQuery is a parsed ZRANGE-family request.
type zrangeQuery struct {
	by          zrangeBy
	rev         bool
	withScores  bool
	offset      int64
	limit       int64 // -1: no limit
	start, stop int64 // by rank
	score       scoreRange
	lex         lexRange
}

// ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
func zrange(c *Ctx) { zrangeGeneric(c, 1, false, zrangeAuto, zrangeDirAuto) }

// ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]
func zrangestore(c *Ctx) { zrangeGeneric(c, 2, true, zrangeAuto, zrangeDirAuto) }

// ZREVRANGE key start stop [WITHSCORES]
func zrevrange(c *Ctx) { zrangeGeneric(c, 1, false, zrangeByRank, zrangeReverse) }

// ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]
func zrangebyscore(c *Ctx) { zrangeGeneric(c, 1, false, zrangeByScore, zrangeForward) }

// ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]
func zrevrangebyscore(c *Ctx) { zrangeGeneric(c, 1, false, zrangeByScore, zrangeReverse) }

// ZRANGEBYLEX key min max [LIMIT offset count]
func zrangebylex(c *Ctx) { zrangeGeneric(c, 1, false, zrangeByLex, zrangeForward) }

// ZREVRANGEBYLEX key max min [LIMIT offset count]
func zrevrangebylex(c *Ctx) { zrangeGeneric(c, 1, false, zrangeByLex, zrangeReverse) }

// zrangeGeneric serves the family: the source key is at keyIdx; by and dir
// are preset by the fixed forms (ZRANGEBYSCORE...), which then refuse the
// options that would set them.
func zrangeGeneric(c *Ctx, keyIdx int, store bool, by zrangeBy, dir zrangeDir) {
	q, ok := parseZRange(c, keyIdx, store, by, dir)
	if !ok {
		return
	}
	z, ok := lookupTypedRead[*datatypes.ZSet](c, c.Args[keyIdx])
	if !ok {
		return
	}
	from, n := q.window(z)
	if store {
		storeZRange(c, z, q, from, n)
		return
	}
	per := 1
	if q.withScores && !c.Out.resp3() {
		per = 2
	}
	c.Out.Array(n * per)
	q.each(z, from, n, func(m datatypes.ZMember) {
		replyScored(c, m, q.withScores, q.withScores && c.Out.resp3())
	})
}

// parseZRange parses the options, checks their combination, then parses
// the range, in Redis's order (so an option error wins over a bad range).
func parseZRange(c *Ctx, keyIdx int, store bool, by zrangeBy, dir zrangeDir) (zrangeQuery, bool) {
	q := zrangeQuery{limit: -1}
	if !q.parseOptions(c, c.Args[keyIdx+3:], store, &by, &dir) {
		return q, false
	}
	q.by, q.rev = by, dir == zrangeReverse
	if q.by == zrangeAuto {
		q.by = zrangeByRank
	}
	switch {
	case q.limit != -1 && q.by == zrangeByRank:
		c.Out.Error(ErrRangeLimit)
		return q, false
	case q.withScores && q.by == zrangeByLex:
		c.Out.Error(ErrRangeLexScores)
		return q, false
	}
	min, max := c.Args[keyIdx+1], c.Args[keyIdx+2]
	if q.rev && q.by != zrangeByRank {
		min, max = max, min
	}
	return q, q.parseRange(c, min, max)
}

// parseOptions parses WITHSCORES (not when storing), LIMIT, and REV,
// BYSCORE and BYLEX unless preset.
func (q *zrangeQuery) parseOptions(c *Ctx, opts [][]byte, store bool, by *zrangeBy, dir *zrangeDir) bool {
	for j := 0; j < len(opts); j++ {
		switch a := opts[j]; {
		case !store && optionIs(a, "withscores"):
			q.withScores = true
		case optionIs(a, "limit") && len(opts)-j-1 >= 2:
			var okOff, okLim bool
			q.offset, okOff = ParseInt(opts[j+1])
			q.limit, okLim = ParseInt(opts[j+2])
			if !okOff || !okLim {
				c.Out.Error(ErrNotInteger)
				return false
			}
			j += 2
		case *dir == zrangeDirAuto && optionIs(a, "rev"):
			*dir = zrangeReverse
		case *by == zrangeAuto && optionIs(a, "bylex"):
			*by = zrangeByLex
		case *by == zrangeAuto && optionIs(a, "byscore"):
			*by = zrangeByScore
		default:
			c.Out.Error(ErrSyntax)
			return false
		}
	}
	return true
}

// parseRange parses the range's two ends for q.by.
func (q *zrangeQuery) parseRange(c *Ctx, min, max []byte) bool {
	var ok bool
	switch q.by {
	case zrangeByScore:
		if q.score, ok = parseScoreRange(min, max); !ok {
			c.Out.Error(ErrMinMaxNotFloat)
		}
	case zrangeByLex:
		if q.lex, ok = parseLexRange(min, max); !ok {
			c.Out.Error(ErrMinMaxNotLex)
		}
	default:
		var okStop bool
		q.start, ok = ParseInt(min)
		q.stop, okStop = ParseInt(max)
		if ok = ok && okStop; !ok {
			c.Out.Error(ErrNotInteger)
		}
	}
	return ok
}

// window returns the rank of the first member to emit and how many to
// emit, walking down from it when q.rev. z may be nil (a missing key).
func (q *zrangeQuery) window(z *datatypes.ZSet) (from, n int) {
	if z == nil {
		return 0, 0
	}
	if q.by == zrangeByRank {
		return q.rankWindow(int64(z.Len()))
	}
	var s, e int
	if q.by == zrangeByScore {
		s, e = q.score.span(z)
	} else {
		s, e = q.lex.span(z)
	}
	avail := int64(e-s) - q.offset
	if q.offset < 0 || avail <= 0 {
		return 0, 0
	}
	if q.limit >= 0 {
		avail = min(avail, q.limit)
	}
	if q.rev {
		return e - 1 - int(q.offset), int(avail)
	}
	return s + int(q.offset), int(avail)
}

// rankWindow sanitizes start and stop as Redis does: negative counts from
// the end, then clamped; an empty range is n = 0.
func (q *zrangeQuery) rankWindow(llen int64) (from, n int) {
	start, end := q.start, q.stop
	if start < 0 {
		start += llen
	}
	if end < 0 {
		end += llen
	}
	start = max(start, 0)
	if start > end || start >= llen {
		return 0, 0
	}
	end = min(end, llen-1)
	if q.rev {
		return int(llen - 1 - start), int(end - start + 1)
	}
	return int(start), int(end - start + 1)
}

// each calls fn on the n members of z from rank from, in q's direction.
func (q *zrangeQuery) each(z *datatypes.ZSet, from, n int, fn func(datatypes.ZMember)) {
	if n == 0 {
		return
	}
	k := 0
	visit := func(m datatypes.ZMember) bool {
		fn(m)
		k++
		return k < n
	}
	if q.rev {
		z.Descend(from, visit)
	} else {
		z.Ascend(from, visit)
	}
}

// storeZRange stores the window in the destination (c.Args[1]), replacing
// any value, or deletes it when the window is empty, and replies with the
// count. Members are added in emission order to a set created as Redis's
// zrangeResultBeginStore does, so the encoding matches Redis's.
func storeZRange(c *Ctx, z *datatypes.ZSet, q zrangeQuery, from, n int) {
	dst := c.Args[1]
	if n == 0 {
		deleteDest(c, dst)
		c.Out.Int(0)
		return
	}
	out := datatypes.NewZSet()
	if q.by == zrangeByRank && n > datatypes.ZSetListpackEntries {
		out = datatypes.NewZSetSkiplist()
	}
	q.each(z, from, n, func(m datatypes.ZMember) { out.Set(m.Member, m.Score) })
	storeDest(c, dst, out, NotifyZSet, "zrangestore")
	c.Out.Int(int64(n))
}

// replyScored writes a member, then its score when withScores; pair wraps
// both in a two-element array (RESP3's shape for scored members).
func replyScored(c *Ctx, m datatypes.ZMember, withScores, pair bool) {
	if pair {
		c.Out.Array(2)
	}
	c.Out.BulkString(m.Member)
	if withScores {
		c.Out.Double(m.Score)
	}
}

// ZCOUNT key min max
func zcount(c *Ctx) {
	r, ok := parseScoreRange(c.Args[2], c.Args[3])
	if !ok {
		c.Out.Error(ErrMinMaxNotFloat)
		return
	}
	if z, ok := lookupZSet(c, c.Args[1]); ok {
		replySpanLen(c, z, r.span)
	}
}

// ZLEXCOUNT key min max
func zlexcount(c *Ctx) {
	r, ok := parseLexRange(c.Args[2], c.Args[3])
	if !ok {
		c.Out.Error(ErrMinMaxNotLex)
		return
	}
	if z, ok := lookupZSet(c, c.Args[1]); ok {
		replySpanLen(c, z, r.span)
	}
}

// replySpanLen replies with the number of members span selects in z (0
// for a missing key).
func replySpanLen(c *Ctx, z *datatypes.ZSet, span func(*datatypes.ZSet) (int, int)) {
	if z == nil {
		c.Out.Int(0)
		return
	}
	s, e := span(z)
	c.Out.Int(int64(e - s))
}
