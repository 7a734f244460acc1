package main

// Bitmap and HyperLogLog commands for the differential test. Offsets stay
// small: a valid offset near 2^32 bits would make Redis allocate 512 MB, so
// only invalid huge offsets are sent.

var bitmapGens = []genFunc{
	genSetBit, genSetBit, genGetBit, genBitCount, genBitPos, genBitOp, genBitField, genBitFieldRO,
}

var hllGens = []genFunc{genPFAdd, genPFAdd, genPFAddMany, genPFCount, genPFMerge}

// SETBIT key offset value
func genSetBit(g *diffGen) diffCmd {
	off, bit := g.num(0, 90), g.pick([]string{"0", "1"})
	if g.chance(0.05) {
		off = g.pick([]string{"-1", "4294967296", "x"})
	} else if g.chance(0.05) {
		bit = g.pick([]string{"2", "-1", "x"})
	}
	return cmdExact("SETBIT", g.strKey(), off, bit)
}

// GETBIT key offset
func genGetBit(g *diffGen) diffCmd {
	off := g.num(0, 100)
	if g.chance(0.1) {
		off = g.pick([]string{"-1", "4294967295", "4294967296", "x"})
	}
	return cmdExact("GETBIT", g.strKey(), off)
}

// rangeUnit returns an optional BYTE|BIT after a range.
func (g *diffGen) rangeUnit() []string {
	if g.chance(0.4) {
		return []string{g.pick([]string{"BYTE", "BIT", "bit", "FOO"})}
	}
	return nil
}

// BITCOUNT key [start end [BYTE|BIT]]
func genBitCount(g *diffGen) diffCmd {
	args := []string{"BITCOUNT", g.strKey()}
	switch g.r.IntN(4) {
	case 0:
	case 1:
		args = append(args, g.index())
	default:
		args = append(append(args, g.index(), g.index()), g.rangeUnit()...)
	}
	return cmdExact(args...)
}

// BITPOS key bit [start [end [BYTE|BIT]]]
func genBitPos(g *diffGen) diffCmd {
	args := []string{"BITPOS", g.strKey(), g.pick([]string{"0", "1", "0", "1", "2"})}
	switch g.r.IntN(4) {
	case 1:
		args = append(args, g.index())
	case 2, 3:
		args = append(append(args, g.index(), g.index()), g.rangeUnit()...)
	}
	return cmdExact(args...)
}

// BITOP AND|OR|XOR|NOT destkey key [key ...]
func genBitOp(g *diffGen) diffCmd {
	op := g.pick([]string{"AND", "OR", "XOR", "NOT", "and", "FOO"})
	srcs := g.some(1, 3, g.strKey)
	return cmdExact(append([]string{"BITOP", op, g.key()}, srcs...)...)
}

// bitType returns a BITFIELD type, occasionally an invalid one.
func (g *diffGen) bitType() string {
	if g.chance(0.05) {
		return g.pick([]string{"u64", "i65", "u0", "x8", "i"})
	}
	sign := g.pick([]string{"i", "u"})
	if sign == "i" {
		return "i" + g.num(1, 64)
	}
	return "u" + g.num(1, 63)
}

// bitOffset returns a small BITFIELD offset, plain or #-scaled.
func (g *diffGen) bitOffset() string {
	if g.chance(0.05) {
		return g.pick([]string{"-1", "#-1", "4294967296", "x", "#x"})
	}
	if g.chance(0.3) {
		return "#" + g.num(0, 6)
	}
	return g.num(0, 80)
}

func (g *diffGen) bitValue() string {
	return g.pick([]string{"0", "1", "-1", "100", "-200", "255", "300", "9223372036854775807",
		"-9223372036854775808", "18446744073709551615", "x"})
}

// BITFIELD key [GET type offset] [SET type offset value]
// [INCRBY type offset increment] [OVERFLOW WRAP|SAT|FAIL] ...
func genBitField(g *diffGen) diffCmd {
	args := []string{"BITFIELD", g.strKey()}
	for range g.r.IntN(4) {
		switch g.r.IntN(5) {
		case 0:
			args = append(args, "GET", g.bitType(), g.bitOffset())
		case 1:
			args = append(args, "SET", g.bitType(), g.bitOffset(), g.bitValue())
		case 2:
			args = append(args, "INCRBY", g.bitType(), g.bitOffset(), g.bitValue())
		case 3:
			args = append(args, "OVERFLOW", g.pick([]string{"WRAP", "SAT", "FAIL", "fail", "FOO"}))
		default:
			if g.chance(0.2) {
				args = append(args, g.pick([]string{"GET", "FOO", "SET"}))
			}
		}
	}
	return cmdExact(args...)
}

// BITFIELD_RO key [GET type offset ...]
func genBitFieldRO(g *diffGen) diffCmd {
	args := []string{"BITFIELD_RO", g.strKey()}
	for range g.r.IntN(3) {
		args = append(args, "GET", g.bitType(), g.bitOffset())
	}
	if g.chance(0.1) {
		args = append(args, "SET", "u8", "0", "1")
	}
	return cmdExact(args...)
}

// PFADD key [element ...]
func genPFAdd(g *diffGen) diffCmd {
	k := g.own()
	g.taint(k)
	return cmdExact(append([]string{"PFADD", k}, g.some(0, 4, g.member)...)...)
}

// genPFAddMany adds up to 300 elements out of a few thousand, so counts go
// past the small-cardinality range and the sparse form grows.
func genPFAddMany(g *diffGen) diffCmd {
	k := g.key()
	g.taint(k)
	elem := func() string { return "e" + g.num(0, 4000) }
	return cmdExact(append([]string{"PFADD", k}, g.some(1, 300, elem)...)...)
}

// PFCOUNT key [key ...]
func genPFCount(g *diffGen) diffCmd {
	return cmdExact(append([]string{"PFCOUNT"}, g.some(1, 3, g.key)...)...)
}

// PFMERGE destkey [sourcekey ...]
func genPFMerge(g *diffGen) diffCmd {
	dst := g.key()
	g.taint(dst)
	return cmdExact(append([]string{"PFMERGE", dst}, g.some(0, 3, g.key)...)...)
}
