package datatypes

import "encoding/binary"

// Redis's own HyperLogLog blobs, accepted so a value dumped from Redis
// (GET there, SET here) keeps working. Layout: "HYLL", one encoding byte
// (0 dense, 1 sparse), three unused bytes, the cached cardinality as uint64
// little-endian whose top bit set means "stale", then the registers: 12288
// bytes when dense, else run-length opcodes:
//
//	00xxxxxx           ZERO:  xxxxxx+1 registers at 0
//	01xxxxxx yyyyyyyy  XZERO: xxxxxxyyyyyyyy+1 registers at 0
//	1vvvvvxx           VAL:   xx+1 registers at vvvvv+1
const (
	redisHLLMagic      = "HYLL"
	redisHLLHeaderSize = 16
)

// parseRedisHeader applies Redis's isHLLObjectOrReply checks.
func parseRedisHeader(b []byte) (hllHeader, error) {
	if len(b) < redisHLLHeaderSize || b[4] > 1 {
		return hllHeader{}, ErrNotHLL
	}
	card := binary.LittleEndian.Uint64(b[8:])
	hdr := hllHeader{redis: true, dense: b[4] == 0, redisDense: b[4] == 0, card: card, cardValid: card>>63 == 0,
		body: b[redisHLLHeaderSize:]}
	if hdr.dense && len(hdr.body) != hllDenseBytes {
		return hllHeader{}, ErrNotHLL
	}
	return hdr, nil
}

// parseRedisSparse decodes Redis's sparse opcodes. They must cover exactly
// HLLRegisters registers, as Redis requires.
func parseRedisSparse(body []byte) ([]uint32, error) {
	var s []uint32
	index := 0
	for p := 0; p < len(body); p++ {
		op := body[p]
		switch {
		case op&0xc0 == 0: // ZERO
			index += int(op&0x3f) + 1
		case op&0xc0 == 0x40: // XZERO
			index += (int(op&0x3f)<<8 | int(byteAt(body, p+1))) + 1
			p++
		default: // VAL
			run, val := int(op&3)+1, op>>2&0x1f+1
			if index+run > HLLRegisters {
				return nil, ErrHLLCorrupt
			}
			for range run {
				s = append(s, sparsePack(index, val))
				index++
			}
		}
	}
	if index != HLLRegisters {
		return nil, ErrHLLCorrupt
	}
	return s, nil
}

// byteAt returns b[i], or 0 past the end: Redis reads an XZERO cut short
// at the end of the blob against the string's terminating NUL byte.
func byteAt(b []byte, i int) byte {
	if i < len(b) {
		return b[i]
	}
	return 0
}
