package main

import "strconv"

// Stream commands for the differential test. IDs are given explicitly and
// rise with the command sequence (g.seq), so both servers pick the same
// IDs; "*" appears only where the reply cannot hold an ID (wrong arity).
// Trimming with "~" removes the same whole nodes on both (the node layout
// follows Redis's listpack sizes). XREAD never blocks here.

var streamGens = []genFunc{
	genXAdd, genXAdd, genXAdd, genXRange, genXRevRange, genXDel, genXTrim, genXLen,
	genXRead, genXSetID,
}

// diffStreamKeys hold the streams; other families never pick them, the
// stream family sometimes picks theirs (WRONGTYPE).
var diffStreamKeys = []string{"x0", "x1"}

// streamID returns an ID near the stream's current time: often new, at
// times equal or older (refused by XADD), at times malformed.
func (g *diffGen) streamID() string {
	ms := 1000 + g.seq/2 - int64(g.r.IntN(3))
	switch g.r.IntN(25) {
	case 0:
		return g.pick([]string{"-", "+", "0-0", "abc", "1-x", "-1", "18446744073709551615-18446744073709551615"})
	case 1:
		return fmtInt(ms)
	}
	return fmtInt(ms) + "-" + g.num(0, 3)
}

// bound returns an XRANGE bound, exclusive or open at times.
func (g *diffGen) streamBound() string {
	switch g.r.IntN(6) {
	case 0:
		return "-"
	case 1:
		return "+"
	case 2:
		return "(" + g.streamID()
	}
	return g.streamID()
}

// streamTrim returns MAXLEN or MINID options, exact or "~", with LIMIT.
func (g *diffGen) streamTrim() []string {
	out := []string{g.pick([]string{"MAXLEN", "MINID"})}
	if g.chance(0.5) {
		out = append(out, g.pick([]string{"~", "="}))
	}
	if out[0] == "MAXLEN" {
		out = append(out, g.num(0, 250))
	} else {
		out = append(out, g.streamID())
	}
	if g.chance(0.2) {
		out = append(out, "LIMIT", g.num(0, 200))
	}
	return out
}

// XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] id field value [field value ...]
func genXAdd(g *diffGen) diffCmd {
	args := []string{"XADD", g.own()}
	if g.chance(0.05) {
		args = append(args, "NOMKSTREAM")
	}
	if g.chance(0.25) {
		args = append(args, g.streamTrim()...)
	}
	id := g.streamID()
	if g.chance(0.15) {
		id = fmtInt(1000+g.seq/2) + "-*"
	}
	if g.chance(0.03) {
		return cmdExact(append(args, "*", g.field())...) // wrong arity
	}
	args = append(args, id)
	for range 1 + g.r.IntN(3) {
		args = append(args, g.field(), g.value())
	}
	return cmdExact(args...)
}

// XRANGE key start end [COUNT count]
func genXRange(g *diffGen) diffCmd {
	args := []string{"XRANGE", g.key(), g.streamBound(), g.streamBound()}
	if g.chance(0.4) {
		args = append(args, "COUNT", g.num(-1, 5))
	}
	return cmdExact(args...)
}

// XREVRANGE key end start [COUNT count]
func genXRevRange(g *diffGen) diffCmd {
	args := []string{"XREVRANGE", g.key(), g.streamBound(), g.streamBound()}
	if g.chance(0.4) {
		args = append(args, "COUNT", g.num(0, 5))
	}
	return cmdExact(args...)
}

// XDEL key id [id ...]
func genXDel(g *diffGen) diffCmd {
	return cmdExact(append([]string{"XDEL", g.key()}, g.some(1, 3, g.streamID)...)...)
}

// XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]
func genXTrim(g *diffGen) diffCmd {
	return cmdExact(append([]string{"XTRIM", g.key()}, g.streamTrim()...)...)
}

// XLEN key
func genXLen(g *diffGen) diffCmd { return cmdExact("XLEN", g.key()) }

// XREAD [COUNT count] STREAMS key [key ...] id [id ...]
func genXRead(g *diffGen) diffCmd {
	args := []string{"XREAD"}
	if g.chance(0.6) {
		args = append(args, "COUNT", g.num(0, 4))
	}
	keys := g.some(1, 2, g.key)
	args = append(append(args, "STREAMS"), keys...)
	for range keys {
		args = append(args, g.pick([]string{g.streamID(), "$", "0"}))
	}
	return cmdExact(args...)
}

// XSETID key last-id [ENTRIESADDED n MAXDELETEDID id]
func genXSetID(g *diffGen) diffCmd {
	args := []string{"XSETID", g.key(), g.streamID()}
	if g.chance(0.3) {
		args = append(args, "ENTRIESADDED", strconv.Itoa(g.r.IntN(300)), "MAXDELETEDID", g.streamID())
	}
	return cmdExact(args...)
}
