package main

// List commands for the differential test. Blocking pops are sent with a
// 10 ms timeout: they answer at once when there is something to pop, and
// both servers time out with a null otherwise (nothing else writes).

var listGens = []genFunc{
	genPush, genPush, genPop, genLLen, genLRange, genLRange, genLIndex, genLSet, genLRem,
	genLTrim, genLInsert, genLPos, genLMove, genLMPop, genBlockingPop, genPushMany,
}

// RPUSH LPUSH key element [element ...] with up to 300 pool members.
func genPushMany(g *diffGen) diffCmd {
	op := g.pick([]string{"LPUSH", "RPUSH"})
	return cmdExact(append([]string{op, g.own()}, g.some(1, 300, g.member)...)...)
}

// LPUSH RPUSH LPUSHX RPUSHX key element [element ...]
func genPush(g *diffGen) diffCmd {
	op := g.pick([]string{"LPUSH", "RPUSH", "LPUSH", "RPUSH", "LPUSHX", "RPUSHX"})
	return cmdExact(append([]string{op, g.own()}, g.some(1, 4, g.member)...)...)
}

// LPOP RPOP key [count]
func genPop(g *diffGen) diffCmd {
	args := []string{g.pick([]string{"LPOP", "RPOP"}), g.key()}
	if g.chance(0.4) {
		args = append(args, g.pick([]string{"0", "1", "2", "5", "-1", "x"}))
	}
	return cmdExact(args...)
}

// LLEN key
func genLLen(g *diffGen) diffCmd { return cmdExact("LLEN", g.key()) }

// LRANGE key start stop
func genLRange(g *diffGen) diffCmd { return cmdExact("LRANGE", g.key(), g.index(), g.index()) }

// LINDEX key index
func genLIndex(g *diffGen) diffCmd { return cmdExact("LINDEX", g.key(), g.index()) }

// LSET key index element
func genLSet(g *diffGen) diffCmd { return cmdExact("LSET", g.key(), g.index(), g.member()) }

// LREM key count element
func genLRem(g *diffGen) diffCmd { return cmdExact("LREM", g.key(), g.num(-3, 3), g.member()) }

// LTRIM key start stop
func genLTrim(g *diffGen) diffCmd { return cmdExact("LTRIM", g.key(), g.index(), g.index()) }

// LINSERT key BEFORE|AFTER pivot element
func genLInsert(g *diffGen) diffCmd {
	where := g.pick([]string{"BEFORE", "AFTER", "after", "MIDDLE"})
	return cmdExact("LINSERT", g.key(), where, g.member(), g.member())
}

// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
func genLPos(g *diffGen) diffCmd {
	args := []string{"LPOS", g.key(), g.member()}
	if g.chance(0.4) {
		args = append(args, "RANK", g.pick([]string{"1", "2", "-1", "-2", "0", "-9223372036854775808", "x"}))
	}
	if g.chance(0.4) {
		args = append(args, "COUNT", g.pick([]string{"0", "1", "2", "-1"}))
	}
	if g.chance(0.3) {
		args = append(args, "MAXLEN", g.pick([]string{"0", "1", "3", "-1"}))
	}
	if g.chance(0.03) {
		args = append(args, g.pick([]string{"FOO", "RANK"}))
	}
	return cmdExact(args...)
}

func (g *diffGen) end() string { return g.pick([]string{"LEFT", "RIGHT", "left", "MIDDLE"}) }

// LMOVE source destination LEFT|RIGHT LEFT|RIGHT / RPOPLPUSH source destination
func genLMove(g *diffGen) diffCmd {
	if g.chance(0.3) {
		return cmdExact("RPOPLPUSH", g.key(), g.key())
	}
	return cmdExact("LMOVE", g.key(), g.key(), g.end(), g.end())
}

// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
func genLMPop(g *diffGen) diffCmd {
	keys := g.some(1, 3, g.key)
	args := append(append([]string{"LMPOP", fmtInt(int64(len(keys)))}, keys...), g.end())
	if g.chance(0.5) {
		args = append(args, "COUNT", g.pick([]string{"1", "2", "10", "0", "-1"}))
	}
	if g.chance(0.05) {
		args[1] = g.pick([]string{"0", "9", "x"})
	}
	return cmdExact(args...)
}

// BLPOP BRPOP key [key ...] timeout / BLMOVE source destination wherefrom
// whereto timeout / BRPOPLPUSH source destination timeout /
// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
func genBlockingPop(g *diffGen) diffCmd {
	timeout := "0.01"
	if g.chance(0.05) {
		timeout = g.pick([]string{"-1", "x"})
	}
	switch g.r.IntN(4) {
	case 0:
		keys := g.some(1, 2, g.key)
		return cmdExact(append(append([]string{g.pick([]string{"BLPOP", "BRPOP"})}, keys...), timeout)...)
	case 1:
		return cmdExact("BLMOVE", g.key(), g.key(), g.end(), g.end(), timeout)
	case 2:
		return cmdExact("BRPOPLPUSH", g.key(), g.key(), timeout)
	}
	keys := g.some(1, 2, g.key)
	args := append(append([]string{"BLMPOP", timeout, fmtInt(int64(len(keys)))}, keys...), g.end())
	if g.chance(0.5) {
		args = append(args, "COUNT", g.pick([]string{"1", "3", "0"}))
	}
	return cmdExact(args...)
}
