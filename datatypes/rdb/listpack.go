package rdb

import (
	"encoding/binary"
	"strconv"

	"github.com/geetcache/geetcache/datatypes"
)

// A listpack, as Redis 7.0's listpack.c lays it out: total bytes (uint32
// LE), element count (uint16 LE, 65535 when it does not fit), the
// elements, then 0xFF. An element is its encoding and data, then its
// backlen (the size of encoding and data, 7 bits a byte, read from the
// right). A string that is a canonical integer is stored as an integer.
const (
	lpHeaderSize = 6
	lpEOF        = 0xFF
	lpUnknownLen = 65535
)

// Listpack builds a listpack. The zero value is empty and ready to use.
type Listpack struct {
	b []byte
	n int
}

// Append adds s, as an integer when it is a canonical one (lpAppend).
func (lp *Listpack) Append(s []byte) {
	if v, ok := datatypes.ParseCanonicalInt(s); ok {
		lp.AppendInt(v)
		return
	}
	lp.ensure()
	start := len(lp.b)
	switch n := len(s); {
	case n < 64:
		lp.b = append(lp.b, 0x80|byte(n))
	case n < 4096:
		lp.b = append(lp.b, 0xE0|byte(n>>8), byte(n))
	default:
		lp.b = binary.LittleEndian.AppendUint32(append(lp.b, 0xF0), uint32(n))
	}
	lp.b = append(lp.b, s...)
	lp.finish(start)
}

// AppendInt adds v in the smallest integer encoding (lpAppendInteger).
func (lp *Listpack) AppendInt(v int64) {
	lp.ensure()
	start := len(lp.b)
	switch {
	case v >= 0 && v <= 127:
		lp.b = append(lp.b, byte(v))
	case v >= -4096 && v <= 4095:
		u := uint64(v) & 0x1fff
		lp.b = append(lp.b, 0xC0|byte(u>>8), byte(u))
	case v >= -32768 && v <= 32767:
		lp.b = binary.LittleEndian.AppendUint16(append(lp.b, 0xF1), uint16(v))
	case v >= -8388608 && v <= 8388607:
		u := uint32(v)
		lp.b = append(lp.b, 0xF2, byte(u), byte(u>>8), byte(u>>16))
	case v >= -1<<31 && v < 1<<31:
		lp.b = binary.LittleEndian.AppendUint32(append(lp.b, 0xF3), uint32(v))
	default:
		lp.b = binary.LittleEndian.AppendUint64(append(lp.b, 0xF4), uint64(v))
	}
	lp.finish(start)
}

func (lp *Listpack) ensure() {
	if lp.b == nil {
		lp.b = make([]byte, lpHeaderSize, 64)
	}
}

func (lp *Listpack) finish(start int) {
	lp.b = appendBacklen(lp.b, uint64(len(lp.b)-start))
	lp.n++
}

// Len is the number of elements.
func (lp *Listpack) Len() int { return lp.n }

// Size is the listpack's bytes as Bytes would return them.
func (lp *Listpack) Size() int { return max(len(lp.b), lpHeaderSize) + 1 }

// Bytes returns the finished listpack. Appending after Bytes is not
// allowed.
func (lp *Listpack) Bytes() []byte {
	lp.ensure()
	b := append(lp.b, lpEOF)
	binary.LittleEndian.PutUint32(b, uint32(len(b)))
	binary.LittleEndian.PutUint16(b[4:], uint16(min(lp.n, lpUnknownLen)))
	return b
}

// appendBacklen appends l as lpEncodeBacklen does.
func appendBacklen(b []byte, l uint64) []byte {
	switch {
	case l <= 127:
		return append(b, byte(l))
	case l < 16383:
		return append(b, byte(l>>7), byte(l&127)|128)
	case l < 2097151:
		return append(b, byte(l>>14), byte(l>>7&127)|128, byte(l&127)|128)
	case l < 268435455:
		return append(b, byte(l>>21), byte(l>>14&127)|128, byte(l>>7&127)|128, byte(l&127)|128)
	}
	return append(b, byte(l>>28), byte(l>>21&127)|128, byte(l>>14&127)|128, byte(l>>7&127)|128, byte(l&127)|128)
}

// ReadListpack checks b is a whole, well-formed listpack (header sizes,
// every element's encoding and backlen, the terminator) and returns its
// elements, integers formatted in decimal. Strings alias b.
func ReadListpack(b []byte) ([][]byte, bool) {
	if len(b) < lpHeaderSize+1 || binary.LittleEndian.Uint32(b) != uint32(len(b)) || b[len(b)-1] != lpEOF {
		return nil, false
	}
	count := int(binary.LittleEndian.Uint16(b[4:]))
	var out [][]byte
	if count != lpUnknownLen {
		out = make([][]byte, 0, min(count, len(b)/2))
	}
	p := lpHeaderSize
	for p < len(b)-1 {
		e, next, ok := lpElement(b, p)
		if !ok {
			return nil, false
		}
		out = append(out, e)
		p = next
	}
	if p != len(b)-1 || (count != lpUnknownLen && count != len(out)) {
		return nil, false
	}
	return out, true
}

// lpElement decodes the element at p and returns it and where the next
// one starts.
func lpElement(b []byte, p int) (e []byte, next int, ok bool) {
	c := b[p]
	var hdr, n int // encoding bytes, data bytes
	var v int64
	isInt := true
	switch {
	case c&0x80 == 0:
		hdr, v = 1, int64(c)
	case c&0xC0 == 0x80:
		hdr, n, isInt = 1, int(c&0x3f), false
	case c&0xE0 == 0xC0:
		if p+1 >= len(b) {
			return nil, 0, false
		}
		u := uint64(c&0x1f)<<8 | uint64(b[p+1])
		hdr, v = 2, int64(u<<51)>>51
	case c&0xF0 == 0xE0:
		if p+1 >= len(b) {
			return nil, 0, false
		}
		hdr, n, isInt = 2, int(c&0xf)<<8|int(b[p+1]), false
	case c == 0xF0:
		if p+5 > len(b) {
			return nil, 0, false
		}
		l := binary.LittleEndian.Uint32(b[p+1:])
		if uint64(l) > uint64(len(b)) {
			return nil, 0, false
		}
		hdr, n, isInt = 5, int(l), false
	case c >= 0xF1 && c <= 0xF4:
		size := [...]int{2, 3, 4, 8}[c-0xF1]
		if p+1+size > len(b) {
			return nil, 0, false
		}
		hdr, v = 1+size, lpIntAt(b[p+1:p+1+size])
	default:
		return nil, 0, false
	}
	end := p + hdr + n
	if end > len(b)-1 {
		return nil, 0, false
	}
	var buf [5]byte
	want := appendBacklen(buf[:0], uint64(hdr+n))
	bl := len(want)
	if end+bl > len(b)-1 || string(want) != string(b[end:end+bl]) {
		return nil, 0, false
	}
	if isInt {
		return strconv.AppendInt(nil, v, 10), end + bl, true
	}
	return b[p+hdr : end : end], end + bl, true
}

// lpIntAt reads a little-endian signed integer of 2, 3, 4 or 8 bytes.
func lpIntAt(d []byte) int64 {
	var u uint64
	for i := len(d) - 1; i >= 0; i-- {
		u = u<<8 | uint64(d[i])
	}
	shift := 64 - 8*uint(len(d))
	return int64(u<<shift) >> shift
}
