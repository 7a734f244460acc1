package main

// Set commands for the differential test. Member lists are compared
// unordered. SPOP and SRANDMEMBER are random by design: SPOP is only sent
// with a count that takes every member (a random pop would make the two
// keyspaces differ), SRANDMEMBER compared by shape unless its count takes
// every member.

var setGens = []genFunc{
	genSAdd, genSAdd, genSRem, genSCard, genSIsMember, genSMIsMember, genSMembers,
	genSAlgebra, genSAlgebraStore, genSInterCard, genSMove, genSPop, genSRandMember, genSScan,
	genSAddMany,
}

// SADD key member [member ...] with up to 600 integers 0..699 (an intset
// in Redis until it holds 512 or a non-integer).
func genSAddMany(g *diffGen) diffCmd {
	return cmdExact(append([]string{"SADD", g.own()}, g.bulk("", 1+g.r.IntN(600))...)...)
}

// SADD key member [member ...]
func genSAdd(g *diffGen) diffCmd {
	return cmdExact(append([]string{"SADD", g.own()}, g.some(1, 4, g.member)...)...)
}

// SREM key member [member ...]
func genSRem(g *diffGen) diffCmd {
	return cmdExact(append([]string{"SREM", g.key()}, g.some(1, 3, g.member)...)...)
}

// SCARD key
func genSCard(g *diffGen) diffCmd { return cmdExact("SCARD", g.key()) }

// SISMEMBER key member
func genSIsMember(g *diffGen) diffCmd { return cmdExact("SISMEMBER", g.key(), g.member()) }

// SMISMEMBER key member [member ...]
func genSMIsMember(g *diffGen) diffCmd {
	return cmdExact(append([]string{"SMISMEMBER", g.key()}, g.some(1, 4, g.member)...)...)
}

// SMEMBERS key
func genSMembers(g *diffGen) diffCmd { return cmdSorted("SMEMBERS", g.key()) }

// SINTER SUNION SDIFF key [key ...]
func genSAlgebra(g *diffGen) diffCmd {
	op := g.pick([]string{"SINTER", "SUNION", "SDIFF"})
	return cmdSorted(append([]string{op}, g.some(1, 3, g.key)...)...)
}

// SINTERSTORE SUNIONSTORE SDIFFSTORE destination key [key ...]
func genSAlgebraStore(g *diffGen) diffCmd {
	op := g.pick([]string{"SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"})
	return cmdExact(append([]string{op, g.key()}, g.some(1, 3, g.key)...)...)
}

// SINTERCARD numkeys key [key ...] [LIMIT limit]
func genSInterCard(g *diffGen) diffCmd {
	keys := g.some(1, 3, g.key)
	args := append([]string{"SINTERCARD", fmtInt(int64(len(keys)))}, keys...)
	if g.chance(0.4) {
		args = append(args, "LIMIT", g.num(0, 3))
	}
	if g.chance(0.08) {
		args[1] = g.pick([]string{"0", "-1", "5", "x"})
	}
	if g.chance(0.04) {
		args = append(args, "LIMIT", "-1")
	}
	return cmdExact(args...)
}

// SMOVE source destination member
func genSMove(g *diffGen) diffCmd { return cmdExact("SMOVE", g.key(), g.key(), g.member()) }

// SPOP key count, with a count that takes every member.
func genSPop(g *diffGen) diffCmd {
	if g.chance(0.2) {
		return cmdExact("SPOP", g.key(), g.pick([]string{"-1", "x", "0"}))
	}
	return cmdSorted("SPOP", g.key(), g.allCount())
}

// SRANDMEMBER key [count]
func genSRandMember(g *diffGen) diffCmd {
	k := g.key()
	switch g.r.IntN(4) {
	case 0:
		return cmdShape("SRANDMEMBER", k)
	case 1:
		return cmdShape("SRANDMEMBER", k, g.num(-6, 3))
	case 2:
		return cmdExact("SRANDMEMBER", k, g.pick([]string{"x", "0", "1.5"}))
	}
	return cmdSorted("SRANDMEMBER", k, g.allCount())
}

// SSCAN key cursor [MATCH pattern] [COUNT count], walked in full.
func genSScan(g *diffGen) diffCmd {
	if g.chance(0.05) {
		return cmdExact("SSCAN", g.key(), g.pick([]string{"abc", "1y"}))
	}
	return cmdWalk(append([]string{"SSCAN", g.key(), "0"}, g.scanOpts(false)...)...)
}
