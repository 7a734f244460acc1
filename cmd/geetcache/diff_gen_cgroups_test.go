package main

import "strconv"

// Consumer-group commands for the differential test, on two stream keys of
// their own. Entries are added with explicit, increasing IDs so both
// servers hold the same entries. Minimum idle times are 0 or far above any
// idle time, so what XCLAIM and XAUTOCLAIM claim does not depend on either
// server's clock; replies that carry times (XPENDING's entries, XINFO
// CONSUMERS, XINFO STREAM FULL) are compared by shape.

var cgroupGens = []genFunc{
	genCGAdd, genCGAdd, genCGDel, genXGroup, genXGroup, genXGroup, genXReadGroup, genXReadGroup, genXReadGroup,
	genXAck, genXPending, genXClaim, genXAutoClaim, genXInfo,
}

// cgroupKeys are the family's streams.
var cgroupKeys = []string{"cg0", "cg1"}

// cgID returns the next entry ID: the generator's sequence keeps IDs
// increasing across both keys.
func (g *diffGen) cgID() string { return strconv.FormatInt(g.seq, 10) + "-" + g.num(0, 1) }

// cgOldID is an ID at or below the ones added so far, or a special one.
func (g *diffGen) cgOldID() string {
	if g.chance(0.08) {
		return g.pick([]string{"-", "+", "$", ">", "bad", "0", "18446744073709551615-18446744073709551615"})
	}
	return strconv.FormatInt(max(g.seq-int64(g.r.IntN(40)), 0), 10) + "-" + g.num(0, 1)
}

func (g *diffGen) cgGroup() string    { return g.pick([]string{"g1", "g2", "g1", "g2", "g1", "nog"}) }
func (g *diffGen) cgConsumer() string { return g.pick([]string{"alice", "bob", "carol"}) }
func (g *diffGen) cgMinIdle() string {
	return g.pick([]string{"0", "0", "0", "100000000000", "-5", "x"})
}

// XADD key id field value
func genCGAdd(g *diffGen) diffCmd {
	return cmdExact("XADD", g.own(), g.cgID(), g.pick([]string{"f1", "f2"}), g.value())
}

// XDEL key id
func genCGDel(g *diffGen) diffCmd { return cmdExact("XDEL", g.key(), g.cgOldID()) }

// XGROUP CREATE|SETID|DESTROY|CREATECONSUMER|DELCONSUMER ...
func genXGroup(g *diffGen) diffCmd {
	k, gr := g.key(), g.cgGroup()
	switch g.r.IntN(10) {
	case 0, 1, 2, 3:
		args := []string{"XGROUP", "CREATE", k, gr, g.pick([]string{"$", "0", g.cgOldID()})}
		if g.chance(0.8) {
			args = append(args, "MKSTREAM")
		}
		if g.chance(0.2) {
			args = append(args, "ENTRIESREAD", g.pick([]string{"0", "3", "-1", "-2", "x"}))
		}
		return cmdExact(args...)
	case 4:
		args := []string{"XGROUP", "SETID", k, gr, g.pick([]string{"$", "0", "-", g.cgOldID()})}
		if g.chance(0.3) {
			args = append(args, "ENTRIESREAD", g.pick([]string{"0", "2", "-1"}))
		}
		return cmdExact(args...)
	case 5:
		return cmdExact("XGROUP", "DESTROY", k, gr)
	case 6, 7:
		return cmdExact("XGROUP", "CREATECONSUMER", k, gr, g.cgConsumer())
	case 8:
		return cmdExact("XGROUP", "DELCONSUMER", k, gr, g.cgConsumer())
	}
	return cmdExact("XGROUP", g.pick([]string{"HELP", "help", "NOPE"}))
}

// XREADGROUP GROUP group consumer [COUNT n] [NOACK] STREAMS key... id...
func genXReadGroup(g *diffGen) diffCmd {
	args := []string{"XREADGROUP", "GROUP", g.cgGroup(), g.cgConsumer()}
	if g.chance(0.5) {
		args = append(args, "COUNT", g.pick([]string{"0", "1", "2", "5", "-1", "x"}))
	}
	if g.chance(0.2) {
		args = append(args, "NOACK")
	}
	keys := []string{g.key()}
	if g.chance(0.2) {
		keys = append(keys, g.key())
	}
	args = append(append(args, "STREAMS"), keys...)
	for range keys {
		if g.chance(0.3) {
			args = append(args, g.cgOldID())
		} else {
			args = append(args, ">")
		}
	}
	return cmdExact(args...)
}

// XACK key group id [id ...]
func genXAck(g *diffGen) diffCmd {
	return cmdExact(append([]string{"XACK", g.key(), g.cgGroup()}, g.some(1, 4, g.cgOldID)...)...)
}

// XPENDING key group [[IDLE n] start end count [consumer]]
func genXPending(g *diffGen) diffCmd {
	args := []string{"XPENDING", g.key(), g.cgGroup()}
	if g.chance(0.3) {
		return cmdExact(args...)
	}
	if g.chance(0.3) {
		args = append(args, "IDLE", g.cgMinIdle())
	}
	args = append(args, g.pick([]string{"-", "(0-0", g.cgOldID()}), g.pick([]string{"+", g.cgOldID()}),
		g.pick([]string{"0", "1", "3", "10", "-1", "x"}))
	if g.chance(0.3) {
		args = append(args, g.cgConsumer())
	}
	return cmdShape(args...)
}

// XCLAIM key group consumer min-idle id... [options]
func genXClaim(g *diffGen) diffCmd {
	args := append([]string{"XCLAIM", g.key(), g.cgGroup(), g.cgConsumer(), g.cgMinIdle()}, g.some(1, 3, g.cgOldID)...)
	for range g.r.IntN(3) {
		switch g.r.IntN(6) {
		case 0:
			args = append(args, "JUSTID")
		case 1:
			args = append(args, "FORCE")
		case 2:
			args = append(args, "RETRYCOUNT", g.pick([]string{"0", "5", "x"}))
		case 3:
			args = append(args, "LASTID", g.cgOldID())
		case 4:
			args = append(args, "IDLE", g.pick([]string{"10", "-1", "x"}))
		default:
			args = append(args, g.pick([]string{"BOGUS", "IDLE"}))
		}
	}
	return cmdExact(args...)
}

// XAUTOCLAIM key group consumer min-idle start [COUNT n] [JUSTID]
func genXAutoClaim(g *diffGen) diffCmd {
	args := []string{"XAUTOCLAIM", g.key(), g.cgGroup(), g.cgConsumer(), g.cgMinIdle(), g.pick([]string{"0", "-", "(0-0", g.cgOldID()})}
	if g.chance(0.5) {
		args = append(args, "COUNT", g.pick([]string{"1", "2", "5", "0", "x"}))
	}
	if g.chance(0.3) {
		args = append(args, "JUSTID")
	}
	return cmdExact(args...)
}

// XINFO GROUPS|CONSUMERS|STREAM [FULL [COUNT n]]
func genXInfo(g *diffGen) diffCmd {
	k := g.key()
	switch g.r.IntN(4) {
	case 0:
		return cmdExact("XINFO", "GROUPS", k)
	case 1:
		return cmdShape("XINFO", "CONSUMERS", k, g.cgGroup())
	case 2:
		return cmdShape("XINFO", "STREAM", k, "FULL", "COUNT", g.pick([]string{"0", "1", "3", "-1"}))
	}
	return cmdShape("XINFO", "STREAM", k)
}
