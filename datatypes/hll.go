package datatypes

import (
	"math/bits"
	"sync/atomic"

	"github.com/bits-and-blooms/bitset"
)

// HyperLogLog parameters, identical to Redis's: 2^14 registers of 6 bits,
// indexed by the low 14 bits of a 64-bit hash.
const (
	hllP         = 14
	hllQ         = 64 - hllP // hash bits left for the zero run
	HLLRegisters = 1 << hllP // number of registers
	hllBits      = 6
	hllMaxReg    = 1<<hllBits - 1
	hllDenseBits = HLLRegisters * hllBits
)

// HLL is a HyperLogLog counting distinct elements exactly as Redis 7.0 does
// (same hash, same registers, same estimator), so PFCOUNT answers the very
// number Redis answers for the same PFADD stream.
//
// Small HLLs are sparse (the non-zero registers, sorted); past
// hllSparseMax non-zero registers they become dense, the registers packed
// in a bitset. Both forms count identically. An HLL is a string value:
// Bytes returns its serialized blob (see hll_codec.go), which PFADD, PFCOUNT
// and PFMERGE accept back from a plain string.
//
// The zero value is an empty HLL. An HLL is not safe for concurrent
// mutation; concurrent readers (Bytes, Count, Register) are fine.
type HLL struct {
	dense  *bitset.BitSet // nil while sparse
	sparse []uint32       // sparse registers: index<<8 | value, sorted by index
	// card is a cached cardinality, kept only while cardValid. It comes
	// from a parsed blob; any register change invalidates it.
	card      uint64
	cardValid bool
	// redisDense is the encoding Redis would hold this HLL in (what GET
	// returns, PFDEBUG ENCODING reports): sticky once set, as Redis never
	// turns a dense HLL back to sparse. SetMax sets it for a register
	// above 32 (beyond Redis's sparse VAL opcode); Promote for a sparse
	// form longer than hll-sparse-max-bytes. It is kept in snapshots.
	redisDense bool
	// memo is the estimate from the registers plus one (0: not computed),
	// kept in memory only, never serialized, so replicas' bytes do not
	// depend on who read what. Readers share it through atomic loads and
	// stores; a register change (only inside the FSM, never concurrent
	// with readers) clears it.
	memo uint64
}

// NewHLL returns an empty (sparse) HLL.
func NewHLL() *HLL { return &HLL{} }

// Kind reports KindString: TYPE says string, as in Redis.
func (h *HLL) Kind() Kind { return KindString }

// Clone returns a deep copy.
func (h *HLL) Clone() Value {
	c := *h
	if h.dense != nil {
		c.dense = h.dense.Clone()
	}
	c.sparse = append([]uint32(nil), h.sparse...)
	return &c
}

// IsDense reports whether the registers are kept dense.
func (h *HLL) IsDense() bool { return h.dense != nil }

// hllPattern returns the register an element maps to and the length of the
// 00..1 run that follows the index bits (1..hllQ+1), as Redis's hllPatLen.
func hllPattern(elem []byte) (index int, count uint8) {
	hash := murmur64A(elem, murmurSeed)
	index = int(hash & (HLLRegisters - 1))
	run := hash>>hllP | 1<<hllQ
	return index, uint8(bits.TrailingZeros64(run) + 1)
}

// Add adds elem and reports whether a register changed.
func (h *HLL) Add(elem []byte) bool {
	index, count := hllPattern(elem)
	return h.SetMax(index, count)
}

// WouldChange reports whether Add(elem) would change a register, without
// changing anything.
func (h *HLL) WouldChange(elem []byte) bool {
	index, count := hllPattern(elem)
	return h.Register(index) < count
}

// Register returns the value of register index (0 <= index < HLLRegisters).
func (h *HLL) Register(index int) uint8 {
	if h.dense != nil {
		return denseGet(h.dense, index)
	}
	return sparseGet(h.sparse, index)
}

// SetMax raises register index to val if it is lower, and reports whether it
// changed. val must be at most 63.
func (h *HLL) SetMax(index int, val uint8) bool {
	if h.Register(index) >= val {
		return false
	}
	h.cardValid = false
	h.memo = 0
	h.redisDense = h.redisDense || val > redisSparseValMax
	if h.dense == nil && len(h.sparse) >= hllSparseMax && sparseGet(h.sparse, index) == 0 {
		h.toDense()
	}
	if h.dense != nil {
		denseSet(h.dense, index, val)
	} else {
		h.sparse = sparseSet(h.sparse, index, val)
	}
	return true
}

// MaxInto raises each regs[i] to register i where that is higher: the
// union step of PFMERGE and multi-key PFCOUNT.
func (h *HLL) MaxInto(regs *[HLLRegisters]uint8) {
	if h.dense != nil {
		denseMaxInto(h.dense, regs)
		return
	}
	for _, e := range h.sparse {
		i, v := sparseEntry(e)
		regs[i] = max(regs[i], v)
	}
}

// HLLFromRegisters builds an HLL holding regs (each at most 63). It is
// dense (internally and in Redis's encoding) when dense is true; internally
// also when too many registers are set to stay sparse.
func HLLFromRegisters(regs *[HLLRegisters]uint8, dense bool) *HLL {
	h := &HLL{redisDense: dense}
	if dense || nonZero(regs) > hllSparseMax {
		h.dense = newDense()
	}
	for i, v := range regs {
		if v != 0 {
			h.SetMax(i, v)
		}
	}
	return h
}

func nonZero(regs *[HLLRegisters]uint8) int {
	n := 0
	for _, v := range regs {
		if v != 0 {
			n++
		}
	}
	return n
}

// Count returns the estimated cardinality: the cached value when valid
// (as Redis's PFCOUNT returns the cached header value), else the estimate
// from the registers, computed once per register state. Count changes no
// state that is encoded or replied; concurrent readers may call it.
func (h *HLL) Count() uint64 {
	if h.cardValid {
		return h.card
	}
	if m := atomic.LoadUint64(&h.memo); m != 0 {
		return m - 1
	}
	var hist [64]int
	h.histogram(&hist)
	card := hllEstimate(&hist)
	atomic.StoreUint64(&h.memo, card+1)
	return card
}

func (h *HLL) histogram(hist *[64]int) {
	if h.dense != nil {
		denseHistogram(h.dense, hist)
		return
	}
	sparseHistogram(h.sparse, hist)
}

// toDense moves the sparse registers into a bitset.
func (h *HLL) toDense() {
	d := newDense()
	for _, e := range h.sparse {
		i, v := sparseEntry(e)
		denseSet(d, i, v)
	}
	h.dense, h.sparse = d, nil
}
