package rdb

import (
	"encoding/binary"
	"strconv"
)

// A ziplist (Redis before 7.0; still loaded by 7.0): total bytes (uint32
// LE), offset of the last entry (uint32 LE), count (uint16 LE, 65535 when
// unknown), entries, then 0xFF. An entry is the previous entry's size (one
// byte below 254, else 254 and a uint32 LE), an encoding, then data.
const zlHeaderSize = 10

// ReadZiplist checks b is a whole, well-formed ziplist and returns its
// entries, integers formatted in decimal. Strings alias b.
func ReadZiplist(b []byte) ([][]byte, bool) {
	if len(b) < zlHeaderSize+1 || binary.LittleEndian.Uint32(b) != uint32(len(b)) || b[len(b)-1] != 0xFF {
		return nil, false
	}
	tail := int(binary.LittleEndian.Uint32(b[4:]))
	count := int(binary.LittleEndian.Uint16(b[8:]))
	var out [][]byte
	p, prev, last := zlHeaderSize, 0, zlHeaderSize
	for p < len(b)-1 {
		e, size, ok := zlEntry(b, p, prev)
		if !ok {
			return nil, false
		}
		out = append(out, e)
		last, prev = p, size
		p += size
	}
	if p != len(b)-1 || tail != last || (count != 65535 && count != len(out)) {
		return nil, false
	}
	return out, true
}

// zlEntry decodes the entry at p, whose predecessor is prev bytes long,
// and returns it and its size.
func zlEntry(b []byte, p, prev int) (e []byte, size int, ok bool) {
	end := len(b) - 1
	q := p
	if b[q] < 254 {
		if int(b[q]) != prev {
			return nil, 0, false
		}
		q++
	} else {
		if b[q] != 254 || q+5 > end || int(binary.LittleEndian.Uint32(b[q+1:])) != prev {
			return nil, 0, false
		}
		q += 5
	}
	if q >= end {
		return nil, 0, false
	}
	c := b[q]
	var n int
	switch c >> 6 {
	case 0:
		n, q = int(c&0x3f), q+1
	case 1:
		if q+2 > end {
			return nil, 0, false
		}
		n, q = int(c&0x3f)<<8|int(b[q+1]), q+2
	case 2:
		if q+5 > end {
			return nil, 0, false
		}
		l := binary.BigEndian.Uint32(b[q+1:])
		if uint64(l) > uint64(end) {
			return nil, 0, false
		}
		n, q = int(l), q+5
	default:
		return zlInt(b, p, q)
	}
	if q+n > end {
		return nil, 0, false
	}
	return b[q : q+n : q+n], q + n - p, true
}

// zlInt decodes an integer entry whose encoding byte is at q.
func zlInt(b []byte, p, q int) ([]byte, int, bool) {
	c := b[q]
	var size int
	switch {
	case c == 0xC0:
		size = 2
	case c == 0xD0:
		size = 4
	case c == 0xE0:
		size = 8
	case c == 0xF0:
		size = 3
	case c == 0xFE:
		size = 1
	case c >= 0xF1 && c <= 0xFD:
		return strconv.AppendInt(nil, int64(c&0x0f)-1, 10), q + 1 - p, true
	default:
		return nil, 0, false
	}
	if q+1+size > len(b)-1 {
		return nil, 0, false
	}
	var v int64
	if size == 1 {
		v = int64(int8(b[q+1]))
	} else {
		v = lpIntAt(b[q+1 : q+1+size])
	}
	return strconv.AppendInt(nil, v, 10), q + 1 + size - p, true
}
