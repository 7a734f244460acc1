package datatypes

import "github.com/bits-and-blooms/bitset"

// The dense form keeps register i in bits [6i, 6i+6) of a bitset of
// 16384*6 bits (1536 words). Bit k of the bitset is bit k%64 of word k/64,
// so the words written little-endian are exactly Redis's dense register
// bytes (6-bit counters packed from each byte's least significant bit).

func newDense() *bitset.BitSet { return bitset.New(hllDenseBits) }

// denseGet returns register index.
func denseGet(d *bitset.BitSet, index int) uint8 {
	return uint8(d.GetWord64AtBit(uint(index*hllBits)) & hllMaxReg)
}

// denseSet stores val in register index. A register may straddle two words.
func denseSet(d *bitset.BitSet, index int, val uint8) {
	w := d.Words()
	bit := uint(index * hllBits)
	i, off := bit/64, bit%64
	w[i] = w[i]&^(hllMaxReg<<off) | uint64(val)<<off
	if off > 64-hllBits {
		w[i+1] = w[i+1]&^(hllMaxReg>>(64-off)) | uint64(val)>>(64-off)
	}
}

// Three words hold exactly 32 registers (192 bits); the bulk paths below
// unpack a group at a time instead of one register per call.
const (
	denseGroupWords = 3
	denseGroupRegs  = 32
)

// denseGroup unpacks the 32 registers of w[0:3]. Registers 10 and 21
// straddle a word boundary.
func denseGroup(w []uint64, out *[denseGroupRegs]uint8) {
	a, b, c := w[0], w[1], w[2]
	for k := range 10 {
		out[k] = uint8(a >> (6 * k) & hllMaxReg)
		out[11+k] = uint8(b >> (2 + 6*k) & hllMaxReg)
		out[22+k] = uint8(c >> (4 + 6*k) & hllMaxReg)
	}
	out[10] = uint8((a>>60 | b<<4) & hllMaxReg)
	out[21] = uint8((b>>62 | c<<2) & hllMaxReg)
}

func denseHistogram(d *bitset.BitSet, hist *[64]int) {
	var g [denseGroupRegs]uint8
	w := d.Words()
	for i := 0; i < len(w); i += denseGroupWords {
		denseGroup(w[i:i+denseGroupWords], &g)
		for _, v := range g {
			hist[v]++
		}
	}
}

func denseMaxInto(d *bitset.BitSet, regs *[HLLRegisters]uint8) {
	var g [denseGroupRegs]uint8
	w := d.Words()
	for i := 0; i < len(w); i += denseGroupWords {
		denseGroup(w[i:i+denseGroupWords], &g)
		base := i / denseGroupWords * denseGroupRegs
		for j, v := range g {
			regs[base+j] = max(regs[base+j], v)
		}
	}
}
