package main

// Sorted set commands for the differential test. Their replies are ordered
// by score then member, so everything is compared exactly except
// ZRANDMEMBER (random by design: unordered when the count takes every
// member, by shape otherwise) and ZSCAN (the union of a full walk).
// Valid lexical ranges go only to the lex keys (see diffLexKeys).

var zsetGens = []genFunc{
	genZAdd, genZAdd, genZAdd, genZIncrBy, genZScore, genZCard, genZCount, genZRank,
	genZRange, genZRange, genZRangeByScore, genZRangeByLex, genZRangeStore, genZRem,
	genZRemRange, genZPop, genZMPop, genZAlgebra, genZAlgebraStore, genZInterCard,
	genZRandMember, genZScan, genZBlockingPop, genZLexAdd, genZLexAdd, genZLexRange,
	genZAddMany,
}

// ZADD key score member [score member ...] with up to 200 members 0..699,
// each scored from the pool or by its own number.
func genZAddMany(g *diffGen) diffCmd {
	args := []string{"ZADD", g.own()}
	for _, m := range g.bulk("", 1+g.r.IntN(200)) {
		score := m
		if g.chance(0.3) {
			score = g.goodScore()
		}
		args = append(args, score, m)
	}
	return cmdExact(args...)
}

var (
	diffScores = []string{"0", "1", "-1", "2.5", "-0.5", "1e3", "3", "0.1", "1.0000000000000002",
		"inf", "-inf", "+inf", "7", "-12", "1e-320", "abc", "nan", "1e400", ""}
	diffScoreBounds = []string{"-inf", "+inf", "inf", "0", "1", "(1", "2.5", "(2.5", "3", "(3",
		"-1", "(-inf", "1e3", "abc", "(", "((1", "nan"}
	diffLexBounds = []string{"-", "+", "[a", "(a", "[c", "(c", "[1", "(10", "[", "(", "[f"}
	badLexBounds  = []string{"c", "", "a[", "-a"}
	// diffLexKeys hold sorted sets whose scores are all 0. A lexical range
	// over members of different scores is unspecified in Redis (its answer
	// depends on the skip list's random levels), so valid lexical ranges go
	// to these keys only; the shared keys get ranges with a bad bound.
	diffLexKeys = []string{"lex0", "lex1"}
)

// lexBounds returns a lexical min and max for key: any for a lex key, at
// least one invalid for a shared key.
func (g *diffGen) lexBounds(lexKey bool) (string, string) {
	lo, hi := g.pick(diffLexBounds), g.pick(diffLexBounds)
	if g.chance(0.05) || !lexKey {
		if g.chance(0.5) {
			return g.pick(badLexBounds), hi
		}
		return lo, g.pick(badLexBounds)
	}
	return lo, hi
}

// lexKey returns a lex key, or with probability p a shared key.
func (g *diffGen) lexKey(p float64) (string, bool) {
	if g.chance(p) {
		return g.key(), false
	}
	return g.pick(diffLexKeys), true
}

func (g *diffGen) score() string { return g.pick(diffScores) }

// ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]
func genZAdd(g *diffGen) diffCmd {
	args := []string{"ZADD", g.own()}
	for _, opts := range [][]string{{"NX", "XX"}, {"GT", "LT"}, {"CH"}, {"INCR"}} {
		if g.chance(0.15) {
			args = append(args, g.pick(opts))
		}
	}
	for range 1 + g.r.IntN(3) {
		args = append(args, g.goodScore(), g.member())
	}
	if g.chance(0.03) {
		args = append(args, g.score()) // odd count: syntax error
	}
	return cmdExact(args...)
}

// goodScore is mostly a valid score: invalid ones abort the whole ZADD.
func (g *diffGen) goodScore() string {
	if g.chance(0.9) {
		return g.pick(diffScores[:len(diffScores)-4])
	}
	return g.score()
}

// ZINCRBY key increment member
func genZIncrBy(g *diffGen) diffCmd { return cmdExact("ZINCRBY", g.key(), g.score(), g.member()) }

// ZSCORE key member / ZMSCORE key member [member ...]
func genZScore(g *diffGen) diffCmd {
	if g.chance(0.5) {
		return cmdExact("ZSCORE", g.key(), g.member())
	}
	return cmdExact(append([]string{"ZMSCORE", g.key()}, g.some(1, 4, g.member)...)...)
}

// ZCARD key
func genZCard(g *diffGen) diffCmd { return cmdExact("ZCARD", g.key()) }

// ZCOUNT key min max / ZLEXCOUNT key min max
func genZCount(g *diffGen) diffCmd {
	if g.chance(0.5) {
		return cmdExact("ZCOUNT", g.key(), g.pick(diffScoreBounds), g.pick(diffScoreBounds))
	}
	k, lex := g.lexKey(0.5)
	lo, hi := g.lexBounds(lex)
	return cmdExact("ZLEXCOUNT", k, lo, hi)
}

// ZRANK key member / ZREVRANK key member (WITHSCORE is Redis 7.2: an
// arity error in 7.0)
func genZRank(g *diffGen) diffCmd {
	args := []string{g.pick([]string{"ZRANK", "ZREVRANK"}), g.key(), g.member()}
	if g.chance(0.05) {
		args = append(args, "WITHSCORE")
	}
	return cmdExact(args...)
}

// limit returns LIMIT offset count, sometimes.
func (g *diffGen) limit(p float64) []string {
	if !g.chance(p) {
		return nil
	}
	return []string{"LIMIT", g.pick([]string{"0", "1", "2", "-1", "x"}), g.pick([]string{"1", "2", "5", "0", "-1", "-5"})}
}

// rangeSpec returns ZRANGE-style start, stop and options, without
// WITHSCORES; lexKey says whether the source is a lex key.
func (g *diffGen) rangeSpec(lexKey bool) []string {
	switch g.r.IntN(3) {
	case 0:
		out := []string{g.index(), g.index()}
		if g.chance(0.2) {
			out = append(out, "REV")
		}
		if g.chance(0.05) {
			out = append(out, g.limit(1)...) // LIMIT needs BYSCORE or BYLEX
		}
		return out
	case 1:
		out := []string{g.pick(diffScoreBounds), g.pick(diffScoreBounds), "BYSCORE"}
		if g.chance(0.4) {
			out = append(out, "REV")
		}
		return append(out, g.limit(0.4)...)
	}
	lo, hi := g.lexBounds(lexKey)
	out := []string{lo, hi, "BYLEX"}
	if g.chance(0.4) {
		out = append(out, "REV")
	}
	return append(out, g.limit(0.4)...)
}

// ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
// ZREVRANGE key start stop [WITHSCORES]
func genZRange(g *diffGen) diffCmd {
	if g.chance(0.2) {
		args := []string{"ZREVRANGE", g.key(), g.index(), g.index()}
		if g.chance(0.5) {
			args = append(args, "WITHSCORES")
		}
		return cmdExact(args...)
	}
	k, lex := g.lexKey(0.8)
	args := append([]string{"ZRANGE", k}, g.rangeSpec(lex)...)
	if g.chance(0.4) {
		args = append(args, g.pick([]string{"WITHSCORES", "WITHSCORES", "FOO"}))
	}
	return cmdExact(args...)
}

// ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]
// ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]
func genZRangeByScore(g *diffGen) diffCmd {
	args := []string{g.pick([]string{"ZRANGEBYSCORE", "ZREVRANGEBYSCORE"}), g.key(),
		g.pick(diffScoreBounds), g.pick(diffScoreBounds)}
	if g.chance(0.4) {
		args = append(args, "WITHSCORES")
	}
	return cmdExact(append(args, g.limit(0.4)...)...)
}

// ZRANGEBYLEX key min max [LIMIT offset count]
// ZREVRANGEBYLEX key max min [LIMIT offset count]
func genZRangeByLex(g *diffGen) diffCmd {
	k, lex := g.lexKey(0.3)
	lo, hi := g.lexBounds(lex)
	args := []string{g.pick([]string{"ZRANGEBYLEX", "ZREVRANGEBYLEX"}), k, lo, hi}
	return cmdExact(append(args, g.limit(0.4)...)...)
}

// ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]
func genZRangeStore(g *diffGen) diffCmd {
	if g.chance(0.3) { // between lex keys: the result keeps score 0
		return cmdExact(append([]string{"ZRANGESTORE", g.pick(diffLexKeys), g.pick(diffLexKeys)}, g.rangeSpec(true)...)...)
	}
	return cmdExact(append([]string{"ZRANGESTORE", g.key(), g.key()}, g.rangeSpec(false)...)...)
}

// ZREM key member [member ...]
func genZRem(g *diffGen) diffCmd {
	return cmdExact(append([]string{"ZREM", g.key()}, g.some(1, 3, g.member)...)...)
}

// ZREMRANGEBYRANK key start stop / ZREMRANGEBYSCORE key min max /
// ZREMRANGEBYLEX key min max
func genZRemRange(g *diffGen) diffCmd {
	switch g.r.IntN(3) {
	case 0:
		return cmdExact("ZREMRANGEBYRANK", g.key(), g.index(), g.index())
	case 1:
		return cmdExact("ZREMRANGEBYSCORE", g.key(), g.pick(diffScoreBounds), g.pick(diffScoreBounds))
	}
	k, lex := g.lexKey(0.3)
	lo, hi := g.lexBounds(lex)
	return cmdExact("ZREMRANGEBYLEX", k, lo, hi)
}

// ZADD lexkey [NX|XX] [CH] 0 member [0 member ...]: a lex key's members
// all score 0.
func genZLexAdd(g *diffGen) diffCmd {
	args := []string{"ZADD", g.pick(diffLexKeys)}
	if g.chance(0.2) {
		args = append(args, g.pick([]string{"NX", "XX", "CH"}))
	}
	for range 1 + g.r.IntN(3) {
		args = append(args, "0", g.member())
	}
	return cmdExact(args...)
}

// genZLexRange reads or trims a lex key in the ways that keep scores equal.
func genZLexRange(g *diffGen) diffCmd {
	k := g.pick(diffLexKeys)
	switch g.r.IntN(5) {
	case 0:
		return cmdExact("ZRANGE", k, "0", "-1", "WITHSCORES")
	case 1:
		return cmdExact(g.pick([]string{"ZPOPMIN", "ZPOPMAX"}), k, g.num(1, 3))
	case 2:
		return cmdExact(append([]string{"ZREM", k}, g.some(1, 2, g.member)...)...)
	case 3:
		return cmdExact(g.pick([]string{"ZRANK", "ZREVRANK", "ZSCORE"}), k, g.member())
	}
	return cmdExact("ZCARD", k)
}

// ZPOPMIN ZPOPMAX key [count]
func genZPop(g *diffGen) diffCmd {
	args := []string{g.pick([]string{"ZPOPMIN", "ZPOPMAX"}), g.key()}
	if g.chance(0.5) {
		args = append(args, g.pick([]string{"0", "1", "2", "5", "-1", "x"}))
	}
	return cmdExact(args...)
}

// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]
func genZMPop(g *diffGen) diffCmd {
	keys := g.some(1, 3, g.key)
	args := append(append([]string{"ZMPOP", fmtInt(int64(len(keys)))}, keys...), g.pick([]string{"MIN", "MAX", "min", "FOO"}))
	if g.chance(0.5) {
		args = append(args, "COUNT", g.pick([]string{"1", "2", "10", "0", "-1"}))
	}
	if g.chance(0.05) {
		args[1] = g.pick([]string{"0", "9", "x"})
	}
	return cmdExact(args...)
}

// numKeys returns numkeys and 1-3 keys, numkeys occasionally wrong.
func (g *diffGen) numKeys() []string {
	keys := g.some(1, 3, g.key)
	n := fmtInt(int64(len(keys)))
	if g.chance(0.04) {
		n = g.pick([]string{"0", "-1", "9", "x"})
	}
	return append([]string{n}, keys...)
}

// weightsAggregate returns WEIGHTS and AGGREGATE options for n keys.
func (g *diffGen) weightsAggregate(n int) []string {
	var out []string
	if g.chance(0.3) {
		out = append(out, "WEIGHTS")
		for range n {
			out = append(out, g.pick([]string{"1", "2", "0", "-1", "0.5", "inf", "-inf"}))
		}
		if g.chance(0.05) {
			out[len(out)-1] = "x"
		}
	}
	if g.chance(0.3) {
		out = append(out, "AGGREGATE", g.pick([]string{"SUM", "MIN", "MAX", "max", "AVG"}))
	}
	return out
}

// ZUNION ZINTER numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
// ZDIFF numkeys key [key ...] [WITHSCORES]
func genZAlgebra(g *diffGen) diffCmd {
	op := g.pick([]string{"ZUNION", "ZINTER", "ZDIFF"})
	args := append([]string{op}, g.numKeys()...)
	if op != "ZDIFF" || g.chance(0.05) {
		args = append(args, g.weightsAggregate(len(args)-2)...)
	}
	if g.chance(0.5) {
		args = append(args, "WITHSCORES")
	}
	return cmdExact(args...)
}

// ZUNIONSTORE ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX]
// ZDIFFSTORE destination numkeys key [key ...]
func genZAlgebraStore(g *diffGen) diffCmd {
	op := g.pick([]string{"ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"})
	args := append([]string{op, g.key()}, g.numKeys()...)
	if op != "ZDIFFSTORE" || g.chance(0.05) {
		args = append(args, g.weightsAggregate(len(args)-3)...)
	}
	return cmdExact(args...)
}

// ZINTERCARD numkeys key [key ...] [LIMIT limit]
func genZInterCard(g *diffGen) diffCmd {
	args := append([]string{"ZINTERCARD"}, g.numKeys()...)
	if g.chance(0.4) {
		args = append(args, "LIMIT", g.pick([]string{"0", "1", "2", "-1", "x"}))
	}
	return cmdExact(args...)
}

// ZRANDMEMBER key [count [WITHSCORES]]
func genZRandMember(g *diffGen) diffCmd {
	k := g.key()
	switch g.r.IntN(5) {
	case 0:
		return cmdShape("ZRANDMEMBER", k)
	case 1:
		return cmdShape("ZRANDMEMBER", k, g.num(-5, 3), g.pick([]string{"WITHSCORES", "FOO"}))
	case 2:
		return cmdExact("ZRANDMEMBER", k, g.pick([]string{"x", "0", "1.5"}))
	}
	if g.chance(0.5) {
		return cmdPairs("ZRANDMEMBER", k, g.allCount(), "WITHSCORES")
	}
	return cmdSorted("ZRANDMEMBER", k, g.allCount())
}

// ZSCAN key cursor [MATCH pattern] [COUNT count], walked in full.
func genZScan(g *diffGen) diffCmd {
	if g.chance(0.05) {
		return cmdExact("ZSCAN", g.key(), g.pick([]string{"abc", "1y"}))
	}
	return cmdWalk(append([]string{"ZSCAN", g.key(), "0"}, g.scanOpts(false)...)...)
}

// BZPOPMIN BZPOPMAX key [key ...] timeout /
// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count], 10 ms timeout.
func genZBlockingPop(g *diffGen) diffCmd {
	timeout := "0.01"
	if g.chance(0.05) {
		timeout = g.pick([]string{"-1", "x"})
	}
	keys := g.some(1, 2, g.key)
	if g.chance(0.6) {
		return cmdExact(append(append([]string{g.pick([]string{"BZPOPMIN", "BZPOPMAX"})}, keys...), timeout)...)
	}
	args := append(append([]string{"BZMPOP", timeout, fmtInt(int64(len(keys)))}, keys...), g.pick([]string{"MIN", "MAX"}))
	if g.chance(0.5) {
		args = append(args, "COUNT", g.pick([]string{"1", "3", "0"}))
	}
	return cmdExact(args...)
}
