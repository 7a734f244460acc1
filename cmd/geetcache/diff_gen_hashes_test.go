package main

// Hash commands for the differential test. HGETALL, HKEYS and HVALS are
// compared unordered; HRANDFIELD is compared unordered when its count takes
// every field and by shape otherwise; HSCAN by the union of a full walk.

var hashGens = []genFunc{
	genHSet, genHSet, genHSetNX, genHGet, genHMGet, genHDel, genHLen, genHExists,
	genHStrlen, genHKeys, genHGetAll, genHIncrBy, genHIncrByFloat, genHRandField, genHScan,
	genHSetMany,
}

// HSET key field value [field value ...] with up to 200 fields f0..f699.
func genHSetMany(g *diffGen) diffCmd {
	args := []string{"HSET", g.own()}
	for _, f := range g.bulk("f", 1+g.r.IntN(200)) {
		args = append(args, f, g.value())
	}
	return cmdExact(args...)
}

// HSET key field value [field value ...] / HMSET
func genHSet(g *diffGen) diffCmd {
	args := []string{g.pick([]string{"HSET", "HMSET"}), g.own()}
	for range 1 + g.r.IntN(3) {
		args = append(args, g.field(), g.value())
	}
	if g.chance(0.03) {
		args = append(args, g.field()) // odd count: wrong arity
	}
	return cmdExact(args...)
}

// HSETNX key field value
func genHSetNX(g *diffGen) diffCmd { return cmdExact("HSETNX", g.key(), g.field(), g.value()) }

// HGET key field
func genHGet(g *diffGen) diffCmd { return cmdExact("HGET", g.key(), g.field()) }

// HMGET key field [field ...]
func genHMGet(g *diffGen) diffCmd {
	return cmdExact(append([]string{"HMGET", g.key()}, g.some(1, 4, g.field)...)...)
}

// HDEL key field [field ...]
func genHDel(g *diffGen) diffCmd {
	return cmdExact(append([]string{"HDEL", g.key()}, g.some(1, 3, g.field)...)...)
}

// HLEN key
func genHLen(g *diffGen) diffCmd { return cmdExact("HLEN", g.key()) }

// HEXISTS key field
func genHExists(g *diffGen) diffCmd { return cmdExact("HEXISTS", g.key(), g.field()) }

// HSTRLEN key field
func genHStrlen(g *diffGen) diffCmd { return cmdExact("HSTRLEN", g.key(), g.field()) }

// HKEYS key / HVALS key
func genHKeys(g *diffGen) diffCmd { return cmdSorted(g.pick([]string{"HKEYS", "HVALS"}), g.key()) }

// HGETALL key
func genHGetAll(g *diffGen) diffCmd { return cmdPairs("HGETALL", g.key()) }

// HINCRBY key field increment
func genHIncrBy(g *diffGen) diffCmd { return cmdExact("HINCRBY", g.key(), g.field(), g.intArg()) }

// HINCRBYFLOAT key field increment
func genHIncrByFloat(g *diffGen) diffCmd {
	return cmdExact("HINCRBYFLOAT", g.key(), g.field(), g.floatArg())
}

// HRANDFIELD key [count [WITHVALUES]]
func genHRandField(g *diffGen) diffCmd {
	k := g.key()
	switch g.r.IntN(5) {
	case 0:
		return cmdShape("HRANDFIELD", k)
	case 1:
		return cmdShape("HRANDFIELD", k, g.num(-5, 3), g.withValues())
	case 2:
		return cmdExact("HRANDFIELD", k, g.pick([]string{"x", "0", "1 "}))
	}
	if g.chance(0.5) {
		return cmdPairs("HRANDFIELD", k, g.allCount(), "WITHVALUES")
	}
	return cmdSorted("HRANDFIELD", k, g.allCount())
}

func (g *diffGen) withValues() string {
	return g.pick([]string{"WITHVALUES", "withvalues", "FOO"})
}

// HSCAN key cursor [MATCH pattern] [COUNT count], walked in full.
func genHScan(g *diffGen) diffCmd {
	if g.chance(0.05) {
		return cmdExact("HSCAN", g.key(), g.pick([]string{"abc", "-", "1.5"}))
	}
	return cmdWalk(append([]string{"HSCAN", g.key(), "0"}, g.scanOpts(false)...)...)
}
