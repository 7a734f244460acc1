package protocol

import (
	"cmp"
	"math"
	"slices"

	"github.com/geetcache/geetcache/datatypes"
)

// Sorted set algebra, as Redis's zunionInterDiffGenericCommand. Inputs may
// be sorted sets or sets (every member scoring 1). Results are sorted by
// (score, member) before they are replied or stored, so no Go map order
// leaks out; maps here are only probed.

// zsetOp is the operation.
type zsetOp int

const (
	zsetUnion zsetOp = iota
	zsetInter
	zsetDiff
)

// zaggregate is AGGREGATE's function.
type zaggregate int

const (
	zaggSum zaggregate = iota
	zaggMin
	zaggMax
)

// zsource is one input: a sorted set, a set, or neither (a missing key).
type zsource struct {
	z      *datatypes.ZSet
	s      *datatypes.Set
	weight float64
}

func (s *zsource) len() int {
	switch {
	case s.z != nil:
		return s.z.Len()
	case s.s != nil:
		return s.s.Len()
	}
	return 0
}

// each calls fn on every member with its (unweighted) score.
func (s *zsource) each(fn func(member string, score float64) bool) {
	switch {
	case s.z != nil:
		s.z.Ascend(0, func(m datatypes.ZMember) bool { return fn(m.Member, m.Score) })
	case s.s != nil:
		for i := range s.s.Len() {
			if !fn(s.s.At(i), 1) {
				return
			}
		}
	}
}

// find returns member's (unweighted) score.
func (s *zsource) find(member string) (float64, bool) {
	switch {
	case s.z != nil:
		return s.z.Score(member)
	case s.s != nil && s.s.Has(member):
		return 1, true
	}
	return 0, false
}

// zsetAlgebra is a parsed ZUNION-family request.
type zsetAlgebra struct {
	op         zsetOp
	srcs       []zsource
	agg        zaggregate
	withScores bool
	limit      int64 // ZINTERCARD; 0: no limit
}

// ZUNION numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
func zunion(c *Ctx) { zsetAlgebraCmd(c, "zunion", zsetUnion, false, false) }

// ZINTER numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
func zinter(c *Ctx) { zsetAlgebraCmd(c, "zinter", zsetInter, false, false) }

// ZDIFF numkeys key [key ...] [WITHSCORES]
func zdiff(c *Ctx) { zsetAlgebraCmd(c, "zdiff", zsetDiff, false, false) }

// ZINTERCARD numkeys key [key ...] [LIMIT limit]
func zintercard(c *Ctx) { zsetAlgebraCmd(c, "zintercard", zsetInter, false, true) }

// ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX]
func zunionstore(c *Ctx) { zsetAlgebraCmd(c, "zunionstore", zsetUnion, true, false) }

// ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX]
func zinterstore(c *Ctx) { zsetAlgebraCmd(c, "zinterstore", zsetInter, true, false) }

// ZDIFFSTORE destination numkeys key [key ...]
func zdiffstore(c *Ctx) { zsetAlgebraCmd(c, "zdiffstore", zsetDiff, true, false) }

// zsetAlgebraCmd serves the family; the destination, when store is set, is
// c.Args[1] and numkeys follows it.
func zsetAlgebraCmd(c *Ctx, name string, op zsetOp, store, cardOnly bool) {
	at := 1
	if store {
		at = 2
	}
	a, ok := parseZSetAlgebra(c, name, op, at, store, cardOnly)
	if !ok {
		return
	}
	switch {
	case cardOnly:
		c.Out.Int(int64(a.interCard()))
	case store:
		storeZMembers(c, a.result(), name)
	default:
		replyZMembers(c, a.result(), a.withScores)
	}
}

// parseZSetAlgebra checks numkeys, looks every key up (WRONGTYPE before
// any option error, as in Redis), then parses the options.
func parseZSetAlgebra(c *Ctx, name string, op zsetOp, at int, store, cardOnly bool) (zsetAlgebra, bool) {
	a := zsetAlgebra{op: op}
	n, ok := ParseInt(c.Args[at])
	switch {
	case !ok:
		c.Out.Error(ErrNotInteger)
		return a, false
	case n < 1:
		c.Out.Error(ErrNoInputKeys(name))
		return a, false
	case n > int64(len(c.Args)-at-1):
		c.Out.Error(ErrSyntax)
		return a, false
	}
	keys := c.Args[at+1 : at+1+int(n)]
	if a.srcs, ok = loadZSources(c, keys); !ok {
		return a, false
	}
	return a, a.parseOptions(c, c.Args[at+1+int(n):], store, cardOnly)
}

// loadZSources looks up each key: a sorted set, a set, or missing.
func loadZSources(c *Ctx, keys [][]byte) ([]zsource, bool) {
	srcs := make([]zsource, len(keys))
	for i, k := range keys {
		srcs[i].weight = 1
		e := c.LookupRead(k)
		if e == nil {
			continue
		}
		switch v := e.Value.(type) {
		case *datatypes.ZSet:
			srcs[i].z = v
		case *datatypes.Set:
			srcs[i].s = v
		default:
			c.Out.Error(ErrWrongType)
			return nil, false
		}
	}
	return srcs, true
}

// parseOptions parses WEIGHTS and AGGREGATE (not for ZDIFF or ZINTERCARD),
// WITHSCORES (not when storing or counting) and LIMIT (ZINTERCARD only).
func (a *zsetAlgebra) parseOptions(c *Ctx, opts [][]byte, store, cardOnly bool) bool {
	algebra := a.op != zsetDiff && !cardOnly
	for len(opts) > 0 {
		var used int
		switch o := opts[0]; {
		case algebra && len(opts) > len(a.srcs) && optionIs(o, "weights"):
			used = a.parseWeights(c, opts[1:len(a.srcs)+1])
		case algebra && len(opts) >= 2 && optionIs(o, "aggregate"):
			used = a.parseAggregate(c, opts[1])
		case !store && !cardOnly && optionIs(o, "withscores"):
			a.withScores, used = true, 1
		case cardOnly && len(opts) >= 2 && optionIs(o, "limit"):
			used = a.parseLimit(c, opts[1])
		default:
			c.Out.Error(ErrSyntax)
		}
		if used == 0 {
			return false
		}
		opts = opts[used:]
	}
	return true
}

// parseWeights sets each source's weight; it returns the arguments used
// (WEIGHTS and the weights), or 0 after an error reply.
func (a *zsetAlgebra) parseWeights(c *Ctx, weights [][]byte) int {
	for i, w := range weights {
		f, ok := parseScore(w)
		if !ok {
			c.Out.Error(ErrWeightNotFloat)
			return 0
		}
		a.srcs[i].weight = f
	}
	return 1 + len(weights)
}

func (a *zsetAlgebra) parseAggregate(c *Ctx, arg []byte) int {
	switch {
	case optionIs(arg, "sum"):
		a.agg = zaggSum
	case optionIs(arg, "min"):
		a.agg = zaggMin
	case optionIs(arg, "max"):
		a.agg = zaggMax
	default:
		c.Out.Error(ErrSyntax)
		return 0
	}
	return 2
}

func (a *zsetAlgebra) parseLimit(c *Ctx, arg []byte) int {
	n, ok := ParseInt(arg)
	if !ok || n < 0 {
		c.Out.Error(ErrLimitNegative)
		return 0
	}
	a.limit = n
	return 2
}

// aggregate folds val into *target as Redis's zunionInterAggregate does:
// a sum of +inf and -inf is 0.
func (a *zsetAlgebra) aggregate(target *float64, val float64) {
	switch a.agg {
	case zaggSum:
		if *target += val; math.IsNaN(*target) {
			*target = 0
		}
	case zaggMin:
		if val < *target {
			*target = val
		}
	case zaggMax:
		if val > *target {
			*target = val
		}
	}
}

// weighted returns score times the source's weight, 0 when that is NaN
// (0 × inf). The product is rounded by an explicit float64() so the sum it
// then feeds is never fused into a multiply-add (arm64, ppc64le, s390x
// would fuse it, amd64 does not, and the replicas' scores would differ);
// TestNoFusedMultiplyAdd checks the generated code.
func (s *zsource) weighted(score float64) float64 {
	if v := float64(s.weight * score); !math.IsNaN(v) {
		return v
	}
	return 0
}

// bySize orders union and intersection inputs by cardinality, stably (as
// glibc's merge-sort qsort does), which fixes the order sums are taken in.
func (a *zsetAlgebra) bySize() {
	slices.SortStableFunc(a.srcs, func(x, y zsource) int { return cmp.Compare(x.len(), y.len()) })
}

// result computes the operation's members, sorted by (score, member).
func (a *zsetAlgebra) result() []datatypes.ZMember {
	var out []datatypes.ZMember
	switch a.op {
	case zsetUnion:
		out = a.union()
	case zsetInter:
		a.bySize()
		a.inter(func(m datatypes.ZMember) bool { out = append(out, m); return true })
	case zsetDiff:
		out = a.diff()
	}
	datatypes.SortZMembers(out)
	return out
}

// union accumulates every input's weighted scores, input by input from
// the smallest.
func (a *zsetAlgebra) union() []datatypes.ZMember {
	a.bySize()
	var out []datatypes.ZMember
	pos := map[string]int{}
	for i := range a.srcs {
		src := &a.srcs[i]
		src.each(func(member string, score float64) bool {
			score = src.weighted(score)
			if j, ok := pos[member]; ok {
				a.aggregate(&out[j].Score, score)
			} else {
				pos[member] = len(out)
				out = append(out, datatypes.ZMember{Member: member, Score: score})
			}
			return true
		})
	}
	return out
}

// inter calls emit on each member of the smallest input found in every
// other one, with its aggregated score, until emit returns false. The
// inputs must be sorted by size.
func (a *zsetAlgebra) inter(emit func(datatypes.ZMember) bool) {
	first := &a.srcs[0]
	first.each(func(member string, score float64) bool {
		total := first.weighted(score)
		for j := 1; j < len(a.srcs); j++ {
			s, ok := a.srcs[j].find(member)
			if !ok {
				return true
			}
			a.aggregate(&total, float64(s*a.srcs[j].weight)) // rounded: see weighted
		}
		return emit(datatypes.ZMember{Member: member, Score: total})
	})
}

// interCard counts the intersection, stopping at the limit.
func (a *zsetAlgebra) interCard() int {
	a.bySize()
	n := 0
	a.inter(func(datatypes.ZMember) bool {
		n++
		return a.limit == 0 || int64(n) < a.limit
	})
	return n
}

// diff returns the members of the first input found in no other, with
// their scores in the first input (ZDIFF takes no weights).
func (a *zsetAlgebra) diff() []datatypes.ZMember {
	var out []datatypes.ZMember
	a.srcs[0].each(func(member string, score float64) bool {
		for j := 1; j < len(a.srcs); j++ {
			if _, ok := a.srcs[j].find(member); ok {
				return true
			}
		}
		out = append(out, datatypes.ZMember{Member: member, Score: score})
		return true
	})
	return out
}

// replyZMembers replies with members, with their scores when withScores:
// a flat array in RESP2, [member, score] pairs in RESP3.
func replyZMembers(c *Ctx, members []datatypes.ZMember, withScores bool) {
	pair := withScores && c.Out.resp3()
	if withScores && !pair {
		c.Out.Array(2 * len(members))
	} else {
		c.Out.Array(len(members))
	}
	for _, m := range members {
		replyScored(c, m, withScores, pair)
	}
}

// storeZMembers stores members (sorted) in the destination c.Args[1],
// replacing any value, or deletes it when there are none, and replies with
// the count; event is the command's keyspace event.
func storeZMembers(c *Ctx, members []datatypes.ZMember, event string) {
	dst := c.Args[1]
	if len(members) == 0 {
		deleteDest(c, dst)
		c.Out.Int(0)
		return
	}
	storeDest(c, dst, datatypes.NewZSetFrom(members), NotifyZSet, event)
	c.Out.Int(int64(len(members)))
}
