package rdb

import (
	"encoding/binary"
	"strconv"

	"github.com/geetcache/geetcache/datatypes"
)

// RDB string encodings (the low bits of a length byte 11xxxxxx).
const (
	encInt8  = 0
	encInt16 = 1
	encInt32 = 2
	encLZF   = 3
)

// AppendLen appends n in RDB's length encoding.
func AppendLen(b []byte, n uint64) []byte {
	switch {
	case n < 1<<6:
		return append(b, byte(n))
	case n < 1<<14:
		return append(b, byte(n>>8)|0x40, byte(n))
	case n <= 0xffffffff:
		return binary.BigEndian.AppendUint32(append(b, 0x80), uint32(n))
	}
	return binary.BigEndian.AppendUint64(append(b, 0x81), n)
}

// AppendString appends s as Redis 7.0's rdbSaveRawString does with
// rdbcompression on: a canonical integer of at most 11 bytes that fits 32
// bits as an integer encoding, a string over 20 bytes LZF-compressed when
// that saves at least 4 bytes, else the length and the bytes.
func AppendString(b, s []byte) []byte {
	if len(s) <= 11 {
		if v, ok := datatypes.ParseCanonicalInt(s); ok && v >= -1<<31 && v < 1<<31 {
			return appendIntEncoded(b, v)
		}
	}
	if len(s) > 20 {
		if c := LZFCompress(s, len(s)-4); c != nil {
			b = append(b, 0xC0|encLZF)
			b = AppendLen(b, uint64(len(c)))
			b = AppendLen(b, uint64(len(s)))
			return append(b, c...)
		}
	}
	return append(AppendLen(b, uint64(len(s))), s...)
}

func appendIntEncoded(b []byte, v int64) []byte {
	switch {
	case v >= -1<<7 && v < 1<<7:
		return append(b, 0xC0|encInt8, byte(v))
	case v >= -1<<15 && v < 1<<15:
		return binary.LittleEndian.AppendUint16(append(b, 0xC0|encInt16), uint16(v))
	}
	return binary.LittleEndian.AppendUint32(append(b, 0xC0|encInt32), uint32(v))
}

// Limits on what LZF strings may expand to: one string at most
// proto-max-bulk-len's default (512 MiB, the longest string Redis lets a
// client build), all of a Reader's together at most 1 GiB, so a small
// payload cannot make the server allocate without bound (LZF expands up
// to about 133 times).
const (
	maxInflatedString = 512 << 20
	maxInflatedTotal  = 1 << 30
)

// Reader reads RDB-encoded values from a byte slice. Slices it returns
// alias that input unless they were decompressed.
type Reader struct {
	b        []byte
	pos      int
	inflated uint64 // bytes LZF strings expanded to so far
}

// NewReader returns a Reader of b.
func NewReader(b []byte) *Reader { return &Reader{b: b} }

// Remaining is the number of bytes not read yet.
func (r *Reader) Remaining() int { return len(r.b) - r.pos }

// Byte reads one byte.
func (r *Reader) Byte() (byte, bool) {
	if r.pos >= len(r.b) {
		return 0, false
	}
	r.pos++
	return r.b[r.pos-1], true
}

// Take reads n bytes, aliasing the input.
func (r *Reader) Take(n uint64) ([]byte, bool) {
	if n > uint64(len(r.b)-r.pos) {
		return nil, false
	}
	r.pos += int(n)
	return r.b[r.pos-int(n) : r.pos : r.pos], true
}

// Len reads a plain RDB length (not a string encoding).
func (r *Reader) Len() (uint64, bool) {
	n, encoded, ok := r.length()
	return n, ok && !encoded
}

// length reads an RDB length; encoded is set (and n is the encoding type)
// for the special string encodings.
func (r *Reader) length() (n uint64, encoded, ok bool) {
	c, ok := r.Byte()
	if !ok {
		return 0, false, false
	}
	switch c >> 6 {
	case 0:
		return uint64(c & 0x3f), false, true
	case 1:
		lo, ok := r.Byte()
		return uint64(c&0x3f)<<8 | uint64(lo), false, ok
	case 3:
		return uint64(c & 0x3f), true, true
	}
	switch c {
	case 0x80:
		b, ok := r.Take(4)
		if !ok {
			return 0, false, false
		}
		return uint64(binary.BigEndian.Uint32(b)), false, true
	case 0x81:
		b, ok := r.Take(8)
		if !ok {
			return 0, false, false
		}
		return binary.BigEndian.Uint64(b), false, true
	}
	return 0, false, false
}

// String reads an RDB string in any of its encodings.
func (r *Reader) String() ([]byte, bool) {
	n, encoded, ok := r.length()
	switch {
	case !ok:
		return nil, false
	case !encoded:
		return r.Take(n)
	case n == encLZF:
		return r.lzfString()
	case n <= encInt32: // an integer of 1, 2 or 4 bytes
		b, ok := r.Take(1 << n)
		if !ok {
			return nil, false
		}
		return intString(b), true
	}
	return nil, false
}

func (r *Reader) lzfString() ([]byte, bool) {
	clen, enc1, ok1 := r.length()
	ulen, enc2, ok2 := r.length()
	if !ok1 || !ok2 || enc1 || enc2 || ulen == 0 {
		return nil, false
	}
	c, ok := r.Take(clen)
	// A back reference of 2 or 3 bytes expands to at most 264: a longer
	// claimed length is a lie, refused before anything is allocated.
	if !ok || ulen > uint64(len(c))*(lzfMaxRef+2)/2+lzfMaxLit ||
		ulen > maxInflatedString || r.inflated+ulen > maxInflatedTotal {
		return nil, false
	}
	r.inflated += ulen
	return LZFDecompress(c, int(ulen))
}

// Uint64LE reads 8 bytes as a little-endian integer (Redis's millisecond
// times and binary doubles).
func (r *Reader) Uint64LE() (uint64, bool) {
	b, ok := r.Take(8)
	if !ok {
		return 0, false
	}
	return binary.LittleEndian.Uint64(b), true
}

// intString formats a little-endian signed integer of 1, 2 or 4 bytes.
func intString(b []byte) []byte {
	var v int64
	switch len(b) {
	case 1:
		v = int64(int8(b[0]))
	case 2:
		v = int64(int16(binary.LittleEndian.Uint16(b)))
	default:
		v = int64(int32(binary.LittleEndian.Uint32(b)))
	}
	return strconv.AppendInt(nil, v, 10)
}
