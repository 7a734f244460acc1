package datatypes

// Redis's choice between its sparse and dense HyperLogLog encodings, which
// GET shows (the "HYLL" string's byte 4) and PFDEBUG ENCODING reports.
// geetcache keeps its own internal layout (sparse list or bitset) apart.

// redisSparseValMax is the largest register value Redis's sparse VAL
// opcode holds; a larger one makes Redis convert to dense.
const redisSparseValMax = 32

// RedisDense reports whether Redis would hold h in its dense encoding.
func (h *HLL) RedisDense() bool { return h.redisDense }

// ToRedisDense switches h to Redis's dense encoding (PFDEBUG TODENSE,
// GETREG) and reports whether it was sparse. An h already dense is left
// unwritten: it may be shared with a frozen snapshot being persisted.
func (h *HLL) ToRedisDense() bool {
	if h.redisDense {
		return false
	}
	h.redisDense = true
	return true
}

// Promote applies Redis's conversion rule after a change: a sparse HLL
// whose "HYLL" string (header included) would exceed sparseMax bytes
// (hll-sparse-max-bytes) turns dense, for good. Redis judges it on the
// opcodes its insertion order produced, geetcache on the shortest ones
// for the same registers (see docs/compatibility.md).
func (h *HLL) Promote(sparseMax int64) {
	if h.redisDense {
		return
	}
	if h.dense == nil && int64(redisHLLHeaderSize+2+3*len(h.sparse)) <= sparseMax {
		return // each non-zero register costs at most 3 bytes: it fits
	}
	var regs [HLLRegisters]uint8
	h.MaxInto(&regs)
	if int64(redisHLLHeaderSize+redisSparseSize(&regs)) > sparseMax {
		h.redisDense = true
	}
}

// redisSparseSize is the length of Redis's sparse opcodes for regs, each
// run in its shortest opcodes (as appendRedisSparse writes them).
func redisSparseSize(regs *[HLLRegisters]uint8) int {
	n := 0
	for i := 0; i < HLLRegisters; {
		v := regs[i]
		run := 1
		for i+run < HLLRegisters && regs[i+run] == v {
			run++
		}
		i += run
		switch {
		case v != 0:
			n += (run + 3) / 4
		case run <= 64:
			n++
		default:
			n += 2
		}
	}
	return n
}
