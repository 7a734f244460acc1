package rdb

import (
	"encoding/binary"
	"strconv"
)

// An intset: its encoding (uint32 LE: 2, 4 or 8 bytes an integer), its
// length (uint32 LE), then the integers, little endian, strictly
// ascending.

// ReadIntset checks b is a well-formed intset and returns its members in
// decimal.
func ReadIntset(b []byte) ([][]byte, bool) {
	if len(b) < 8 {
		return nil, false
	}
	enc := binary.LittleEndian.Uint32(b)
	n := uint64(binary.LittleEndian.Uint32(b[4:]))
	if (enc != 2 && enc != 4 && enc != 8) || n == 0 || 8+n*uint64(enc) != uint64(len(b)) {
		return nil, false
	}
	out := make([][]byte, 0, n)
	var prev int64
	for i := range int(n) {
		p := 8 + i*int(enc)
		v := lpIntAt(b[p : p+int(enc)])
		if i > 0 && v <= prev {
			return nil, false
		}
		prev = v
		out = append(out, strconv.AppendInt(nil, v, 10))
	}
	return out, true
}

// AppendIntset appends the intset of members, which must be distinct
// integers in ascending order, in the smallest encoding that holds them.
func AppendIntset(b []byte, members []int64) []byte {
	enc := 2
	for _, v := range members {
		switch {
		case v < -1<<31 || v >= 1<<31:
			enc = 8
		case (v < -1<<15 || v >= 1<<15) && enc < 4:
			enc = 4
		}
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(enc))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(members)))
	for _, v := range members {
		for i := range enc {
			b = append(b, byte(uint64(v)>>(8*i)))
		}
	}
	return b
}
