package datatypes

import "encoding/binary"

// RedisBytes returns h in Redis 7.0's own HyperLogLog string ("HYLL"), as
// DUMP writes it so that Redis's PF commands accept the restored value:
// dense when h is dense (or holds a register Redis's sparse form cannot:
// above 32), else sparse with each run in its shortest opcode (ZERO up to
// 64 zero registers, XZERO beyond, VAL up to 4 equal ones). The cached
// cardinality is h's when it has one, else marked stale (top bit set, as
// Redis's PFADD leaves it), so Redis recounts. A sparse form longer than
// sparseMax bytes (hll-sparse-max-bytes) is written dense, as Redis
// converts it.
func (h *HLL) RedisBytes(sparseMax int64) []byte {
	var regs [HLLRegisters]uint8
	h.MaxInto(&regs)
	dense := h.IsDense()
	for _, r := range regs {
		dense = dense || r > 32
	}
	b := append(make([]byte, 0, redisHLLHeaderSize+hllDenseBytes), redisHLLMagic...)
	b = append(b, ifByte(dense, 0, 1), 0, 0, 0)
	if h.cardValid {
		b = binary.LittleEndian.AppendUint64(b, h.card)
	} else {
		b = binary.LittleEndian.AppendUint64(b, 1<<63)
	}
	if !dense {
		if sparse := appendRedisSparse(b, &regs); int64(len(sparse)-redisHLLHeaderSize) <= sparseMax {
			return sparse
		}
		b[4] = 0
	}
	return appendRedisDense(b, &regs)
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
