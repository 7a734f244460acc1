package rdb

import "encoding/binary"

// A zipmap (Redis before 2.6): a count byte, then entries <len>key
// <len><free>value<free bytes>, then 0xFF. A length is one byte below 254,
// else 254 and a uint32 LE.

// ReadZipmap checks b is a well-formed zipmap and returns its keys and
// values, alternating, aliasing b.
func ReadZipmap(b []byte) ([][]byte, bool) {
	if len(b) < 2 || b[len(b)-1] != 0xFF {
		return nil, false
	}
	var out [][]byte
	p := 1
	for p < len(b)-1 {
		key, q, ok := zmString(b, p, false)
		if !ok {
			return nil, false
		}
		val, r, ok := zmString(b, q, true)
		if !ok {
			return nil, false
		}
		out = append(out, key, val)
		p = r
	}
	if p != len(b)-1 || (b[0] < 254 && int(b[0]) != len(out)/2) {
		return nil, false
	}
	return out, true
}

// zmString reads a length and that many bytes at p (with free, a free
// byte count after the length and that many bytes after the string).
func zmString(b []byte, p int, free bool) ([]byte, int, bool) {
	end := len(b) - 1
	var n int
	switch {
	case b[p] < 254:
		n, p = int(b[p]), p+1
	case b[p] == 254 && p+5 <= end:
		l := binary.LittleEndian.Uint32(b[p+1:])
		if uint64(l) > uint64(end) {
			return nil, 0, false
		}
		n, p = int(l), p+5
	default:
		return nil, 0, false
	}
	f := 0
	if free {
		if p >= end {
			return nil, 0, false
		}
		f, p = int(b[p]), p+1
	}
	if p+n+f > end {
		return nil, 0, false
	}
	return b[p : p+n : p+n], p + n + f, true
}
