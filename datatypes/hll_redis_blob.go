package datatypes

import "encoding/binary"

// Bytes returns h as Redis 7.0's own HyperLogLog string ("HYLL"), what
// GET, GETRANGE, STRLEN, APPEND and DUMP see, so that the bytes copied into
// Redis keep working there: dense when Redis would hold h dense (see
// RedisDense), else sparse with each run in its shortest opcodes (ZERO up
// to 64 zero registers, XZERO beyond, VAL up to 4 equal ones). Bytes 8-15
// are the cached cardinality: the one h was parsed with while no register
// changed, else that value with its top bit set ("stale"), as Redis's
// PFADD leaves it. It allocates a new slice on every call and never
// modifies h, so readers and a frozen snapshot may call it.
func (h *HLL) Bytes() []byte {
	var regs [HLLRegisters]uint8
	h.MaxInto(&regs)
	dense := h.redisDense
	for _, r := range regs {
		dense = dense || r > redisSparseValMax
	}
	b := append(make([]byte, 0, redisHLLHeaderSize+hllDenseBytes), redisHLLMagic...)
	b = append(b, ifByte(dense, 0, 1), 0, 0, 0)
	if h.cardValid {
		b = binary.LittleEndian.AppendUint64(b, h.card)
	} else {
		b = binary.LittleEndian.AppendUint64(b, h.card|1<<63)
	}
	if dense {
		return appendRedisDense(b, &regs)
	}
	return appendRedisSparse(b, &regs)
}

// appendRedisDense packs the registers 6 bits each, least significant bit
// first (HLL_DENSE_SET_REGISTER).
func appendRedisDense(b []byte, regs *[HLLRegisters]uint8) []byte {
	out := make([]byte, hllDenseBytes+1)
	for i, v := range regs {
		bit := i * hllBits
		out[bit/8] |= v << (bit % 8)
		out[bit/8+1] |= byte(uint16(v) << (bit % 8) >> 8)
	}
	return append(b, out[:hllDenseBytes]...)
}

func appendRedisSparse(b []byte, regs *[HLLRegisters]uint8) []byte {
	for i := 0; i < HLLRegisters; {
		v := regs[i]
		run := 1
		for i+run < HLLRegisters && regs[i+run] == v {
			run++
		}
		i += run
		for run > 0 {
			n := run
			switch {
			case v != 0:
				n = min(run, 4)
				b = append(b, 0x80|(v-1)<<2|byte(n-1))
			case run <= 64:
				b = append(b, byte(n-1))
			default:
				n = min(run, 16384)
				b = append(b, 0x40|byte((n-1)>>8), byte(n-1))
			}
			run -= n
		}
	}
	return b
}
