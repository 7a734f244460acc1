package scripting

import (
	"encoding/binary"
	"strconv"

	"github.com/geetcache/geetcache/protocol"
)

// A FUNCTION DUMP payload is what Redis 7.0 writes: for each library the
// RDB opcode FUNCTION2 and its code as an RDB string (LZF-compressed when
// that saves space, as Redis does with rdbcompression on), then the RDB
// version (2 bytes, little endian) and the CRC-64 (Jones) of everything
// before it (8 bytes, little endian). A payload from redis-server 7.0
// restores here and one from here restores there.
const (
	rdbOpcodeFunction2     = 245
	rdbOpcodeFunctionPreGA = 246
	rdbVersion             = 10
	rdbEncLZF              = 3
	dumpFooterLen          = 10
)

// Dump returns the FUNCTION DUMP payload of every library, sorted by name.
func (ls *Libraries) Dump() []byte {
	var b []byte
	for _, l := range ls.Sorted() {
		b = append(b, rdbOpcodeFunction2)
		b = appendRDBString(b, l.Code)
	}
	b = append(b, rdbVersion, 0)
	return binary.LittleEndian.AppendUint64(b, redisCRC64(0, b))
}

// appendRDBString appends s as Redis's rdbSaveRawString does for a string
// that is not an integer (library code never is: it starts with "#!").
func appendRDBString(b, s []byte) []byte {
	if len(s) > 20 {
		if c := lzfCompress(s, len(s)-4); c != nil {
			b = append(b, 0xC0|rdbEncLZF)
			b = appendRDBLen(b, uint64(len(c)))
			b = appendRDBLen(b, uint64(len(s)))
			return append(b, c...)
		}
	}
	return append(appendRDBLen(b, uint64(len(s))), s...)
}

// appendRDBLen appends n in RDB's length encoding.
func appendRDBLen(b []byte, n uint64) []byte {
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

// checkDumpPayload verifies a payload's footer as Redis's
// verifyDumpPayload does: an RDB version this side reads and a matching
// CRC-64.
func checkDumpPayload(p []byte) bool {
	if len(p) < dumpFooterLen {
		return false
	}
	footer := p[len(p)-dumpFooterLen:]
	if int(footer[0])|int(footer[1])<<8 > rdbVersion {
		return false
	}
	return binary.LittleEndian.Uint64(footer[2:]) == redisCRC64(0, p[:len(p)-8])
}

// readDumpPayload returns the library codes of a verified payload, as
// Redis's FUNCTION RESTORE reads them: records until only the footer is
// left (a record may read into the footer's bytes, as Redis's does).
func readDumpPayload(p []byte) ([][]byte, error) {
	var codes [][]byte
	r := rdbReader{b: p}
	for len(p)-r.pos > dumpFooterLen {
		t, ok := r.byte()
		switch {
		case !ok:
			return nil, replyError(protocol.ErrFuncPayloadRead)
		case t == rdbOpcodeFunctionPreGA:
			return nil, replyError(protocol.ErrFuncPayloadPreGA)
		case t != rdbOpcodeFunction2:
			return nil, replyError(protocol.ErrFuncPayloadType)
		}
		code, ok := r.string()
		if !ok {
			return nil, replyError(protocol.ErrFuncPayloadLib)
		}
		codes = append(codes, code)
	}
	return codes, nil
}

// rdbReader reads RDB-encoded values from b.
type rdbReader struct {
	b   []byte
	pos int
}

func (r *rdbReader) byte() (byte, bool) {
	if r.pos >= len(r.b) {
		return 0, false
	}
	r.pos++
	return r.b[r.pos-1], true
}

func (r *rdbReader) take(n uint64) ([]byte, bool) {
	if n > uint64(len(r.b)-r.pos) {
		return nil, false
	}
	r.pos += int(n)
	return r.b[r.pos-int(n) : r.pos], true
}

// length reads an RDB length; encoded is set (and n is the encoding type)
// for the special string encodings.
func (r *rdbReader) length() (n uint64, encoded, ok bool) {
	c, ok := r.byte()
	if !ok {
		return 0, false, false
	}
	switch c >> 6 {
	case 0:
		return uint64(c & 0x3f), false, true
	case 1:
		lo, ok := r.byte()
		return uint64(c&0x3f)<<8 | uint64(lo), false, ok
	case 3:
		return uint64(c & 0x3f), true, true
	}
	switch c {
	case 0x80:
		b, ok := r.take(4)
		if !ok {
			return 0, false, false
		}
		return uint64(binary.BigEndian.Uint32(b)), false, true
	case 0x81:
		b, ok := r.take(8)
		if !ok {
			return 0, false, false
		}
		return binary.BigEndian.Uint64(b), false, true
	}
	return 0, false, false
}

// string reads an RDB string in any of its encodings.
func (r *rdbReader) string() ([]byte, bool) {
	n, encoded, ok := r.length()
	switch {
	case !ok:
		return nil, false
	case !encoded:
		return r.take(n)
	case n == rdbEncLZF:
		return r.lzfString()
	case n <= 2: // an integer of 1, 2 or 4 bytes
		b, ok := r.take(1 << n)
		if !ok {
			return nil, false
		}
		return intString(b), true
	}
	return nil, false
}

func (r *rdbReader) lzfString() ([]byte, bool) {
	clen, enc1, ok1 := r.length()
	ulen, enc2, ok2 := r.length()
	if !ok1 || !ok2 || enc1 || enc2 || ulen == 0 {
		return nil, false
	}
	c, ok := r.take(clen)
	// A back reference of 2 or 3 bytes expands to at most 264: a longer
	// claimed length is a lie, refused before anything is allocated.
	if !ok || ulen > uint64(len(c))*(lzfMaxRef+2)/2+lzfMaxLit {
		return nil, false
	}
	return lzfDecompress(c, int(ulen))
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
