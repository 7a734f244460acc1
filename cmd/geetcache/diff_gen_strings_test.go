package main

// String commands for the differential test. Every command that reads or
// edits a string's bytes takes its key from strKey (never an HLL).

var stringGens = []genFunc{
	genSet, genSet, genSetBad, genSetNX, genSetEX, genGetSet, genGetDel, genGetEx,
	genGet, genGet, genMGet, genMSet, genMSetNX, genAppend, genStrlen, genGetRange,
	genSetRange, genIncr, genIncrBy, genIncrByFloat, genLCS,
}

// SET key value [NX|XX] [GET] [EX|PX|EXAT|PXAT|KEEPTTL]
func genSet(g *diffGen) diffCmd {
	k := g.own()
	args := []string{"SET", k, g.value()}
	cond := ""
	if g.chance(0.3) {
		cond = g.pick([]string{"NX", "XX"})
		args = append(args, cond)
	}
	if g.chance(0.2) {
		k = g.strKey()
		args[1] = k
		args = append(args, "GET")
	}
	args = append(args, g.expiryOpt(false)...)
	if cond == "" {
		g.clear(k)
	}
	return cmdExact(args...)
}

// genSetBad sends SET with odd options, mostly rejected (GET GET NX is
// accepted, so the key is a strKey).
func genSetBad(g *diffGen) diffCmd {
	k := g.strKey()
	bad := [][]string{
		{"NX", "XX"}, {"EX", "0"}, {"EX", "-5"}, {"PX", "abc"}, {"EX", "10", "PX", "10"},
		{"KEEPTTL", "EX", "10"}, {"EX", "9999999999999999"}, {"EXAT", "0"}, {"FOO"}, {"EX"},
		{"GET", "GET", "NX"}, {"PXAT", "-1"},
	}
	return cmdExact(append([]string{"SET", k, g.value()}, g.pick2(bad)...)...)
}

// pick2 picks one argument list.
func (g *diffGen) pick2(lists [][]string) []string { return lists[g.r.IntN(len(lists))] }

// SETNX key value
func genSetNX(g *diffGen) diffCmd { return cmdExact("SETNX", g.key(), g.value()) }

// SETEX key seconds value / PSETEX key milliseconds value
func genSetEX(g *diffGen) diffCmd {
	k := g.own()
	if g.chance(0.2) {
		return cmdExact(g.pick([]string{"SETEX", "PSETEX"}), k, g.pick([]string{"0", "-1", "x", "9223372036854775807"}), g.value())
	}
	g.clear(k)
	if g.chance(0.5) {
		return cmdExact("SETEX", k, fmtInt(g.relSeconds()), g.value())
	}
	return cmdExact("PSETEX", k, fmtInt(1000*g.relSeconds()), g.value())
}

// GETSET key value
func genGetSet(g *diffGen) diffCmd {
	k := g.strKey()
	g.clear(k)
	return cmdExact("GETSET", k, g.value())
}

// GETDEL key
func genGetDel(g *diffGen) diffCmd { return cmdExact("GETDEL", g.strKey()) }

// GETEX key [EX|PX|EXAT|PXAT|PERSIST]
func genGetEx(g *diffGen) diffCmd {
	args := append([]string{"GETEX", g.strKey()}, g.expiryOpt(true)...)
	if g.chance(0.1) {
		args = append(args, g.pick([]string{"EX", "PX", "FOO", "PERSIST"}))
	}
	return cmdExact(args...)
}

// GET key
func genGet(g *diffGen) diffCmd { return cmdExact("GET", g.strKey()) }

// MGET key [key ...]
func genMGet(g *diffGen) diffCmd {
	return cmdExact(append([]string{"MGET"}, g.some(1, 4, g.strKey)...)...)
}

// MSET key value [key value ...]
func genMSet(g *diffGen) diffCmd {
	args := []string{"MSET"}
	for range 1 + g.r.IntN(3) {
		k := g.own()
		g.clear(k)
		args = append(args, k, g.value())
	}
	return cmdExact(args...)
}

// MSETNX key value [key value ...]
func genMSetNX(g *diffGen) diffCmd {
	args := []string{"MSETNX"}
	for range 1 + g.r.IntN(3) {
		args = append(args, g.key(), g.value())
	}
	return cmdExact(args...)
}

// APPEND key value
func genAppend(g *diffGen) diffCmd { return cmdExact("APPEND", g.strKey(), g.value()) }

// STRLEN key
func genStrlen(g *diffGen) diffCmd { return cmdExact("STRLEN", g.strKey()) }

// GETRANGE key start end / SUBSTR key start end
func genGetRange(g *diffGen) diffCmd {
	return cmdExact(g.pick([]string{"GETRANGE", "SUBSTR"}), g.strKey(), g.index(), g.index())
}

// index returns a small index, possibly negative, occasionally huge or bad.
func (g *diffGen) index() string {
	if g.chance(0.05) {
		return g.pick([]string{"9223372036854775807", "-9223372036854775808", "x", "1.5"})
	}
	return g.num(-12, 12)
}

// SETRANGE key offset value
func genSetRange(g *diffGen) diffCmd {
	off := g.num(0, 20)
	if g.chance(0.05) {
		off = g.pick([]string{"-1", "536870912", "x"}) // errors, or no-ops with ""
	}
	return cmdExact("SETRANGE", g.strKey(), off, g.value())
}

// INCR key / DECR key
func genIncr(g *diffGen) diffCmd { return cmdExact(g.pick([]string{"INCR", "DECR"}), g.strKey()) }

// INCRBY key increment / DECRBY key decrement
func genIncrBy(g *diffGen) diffCmd {
	return cmdExact(g.pick([]string{"INCRBY", "DECRBY"}), g.strKey(), g.intArg())
}

// INCRBYFLOAT key increment
func genIncrByFloat(g *diffGen) diffCmd { return cmdExact("INCRBYFLOAT", g.strKey(), g.floatArg()) }

// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]
func genLCS(g *diffGen) diffCmd {
	args := []string{"LCS", g.strKey(), g.strKey()}
	switch g.r.IntN(4) {
	case 0:
		args = append(args, "LEN")
	case 1:
		args = append(args, "IDX")
		if g.chance(0.5) {
			args = append(args, "MINMATCHLEN", g.num(0, 3))
		}
		if g.chance(0.5) {
			args = append(args, "WITHMATCHLEN")
		}
	case 2:
		if g.chance(0.3) {
			args = append(args, g.pick([]string{"LEN", "IDX"}), g.pick([]string{"LEN", "FOO", "MINMATCHLEN"}))
		}
	}
	return cmdExact(args...)
}
