package lualib

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// struct.c constants on amd64 Linux (what Redis is built for).
const (
	structMaxIntSize = 32 // MAXINTSIZE
	structMaxAlign   = 8  // MAXALIGN
)

// newStruct builds the struct module table.
func newStruct(L *lua.LState) *lua.LTable {
	t := L.NewTable()
	t.RawSetString("pack", L.NewFunction(structPack))
	t.RawSetString("unpack", L.NewFunction(structUnpack))
	t.RawSetString("size", L.NewFunction(structSize))
	return t
}

// structFormat walks a format string as struct.c does; little is the
// byte order (native: little endian), align the maximum alignment.
type structFormat struct {
	L      *lua.LState
	fname  string
	fmt    string
	i      int
	little bool
	align  int
}

func newStructFormat(L *lua.LState, fname string) *structFormat {
	return &structFormat{L: L, fname: fname, fmt: checkString(L, 1, fname), little: true, align: 1}
}

// more reports whether options remain (a NUL ends the C string).
func (f *structFormat) more() bool {
	return f.i < len(f.fmt) && f.fmt[f.i] != 0
}

func (f *structFormat) next() byte {
	c := f.fmt[f.i]
	f.i++
	return c
}

// getnum reads a decimal count, or returns df when none follows.
func (f *structFormat) getnum(df int) int {
	if !f.more() || !isDigit(f.fmt[f.i]) {
		return df
	}
	a := 0
	for f.more() && isDigit(f.fmt[f.i]) {
		d := int(f.fmt[f.i] - '0')
		if a > math.MaxInt32/10 || a*10 > math.MaxInt32-d {
			raise(f.L, "integral size overflow")
		}
		a = a*10 + d
		f.i++
	}
	return a
}

// optsize is the size of option opt (reading its count if it has one).
func (f *structFormat) optsize(opt byte) int {
	switch opt {
	case 'B', 'b', 'x':
		return 1
	case 'H', 'h':
		return 2
	case 'L', 'l', 'T', 'd':
		return 8
	case 'f':
		return 4
	case 'c':
		return f.getnum(1)
	case 'i', 'I':
		sz := f.getnum(4)
		if sz > structMaxIntSize {
			raise(f.L, "integral size %d is larger than limit of %d", sz, structMaxIntSize)
		}
		return sz
	}
	return 0
}

// toalign is gettoalign: padding before an item of size at offset n.
func (f *structFormat) toalign(n int, opt byte, size int) int {
	if size == 0 || opt == 'c' {
		return 0
	}
	if size > f.align {
		size = f.align
	}
	return (size - (n & (size - 1))) & (size - 1)
}

// control is controloptions: endianness, alignment, white space, or an
// invalid-option error.
func (f *structFormat) control(opt byte) {
	switch opt {
	case ' ':
	case '>':
		f.little = false
	case '<':
		f.little = true
	case '!':
		a := f.getnum(structMaxAlign)
		if a <= 0 || a&(a-1) != 0 {
			raise(f.L, "alignment %d is not a power of 2", a)
		}
		f.align = a
	default:
		argError(f.L, 1, f.fname, fmt.Sprintf("invalid format option '%c'", opt))
	}
}

// isIntOpt reports whether opt is one of the integer options.
func isIntOpt(opt byte) bool {
	return strings.IndexByte("bBhHlLTiI", opt) >= 0
}

// luaBufferSize is LUAL_BUFFERSIZE (glibc's BUFSIZ).
const luaBufferSize = 8192

// pushBufferPieces mirrors luaL_Buffer, which pushes its content on the
// stack each time 8192 bytes have accumulated: arguments past the mark
// then read as those strings, as in Redis. It returns the pieces pushed.
func pushBufferPieces(L *lua.LState, b []byte, pieces int) int {
	for ; (pieces+1)*luaBufferSize <= len(b); pieces++ {
		L.Push(lua.LString(b[pieces*luaBufferSize : (pieces+1)*luaBufferSize]))
	}
	return pieces
}

// structPack is struct.pack(fmt, v1, ...).
func structPack(L *lua.LState) int {
	f := newStructFormat(L, "pack")
	var b []byte
	arg := 2
	L.Push(lua.LNil) // b_pack's mark: a missing argument reads as nil
	pieces := 0
	for f.more() {
		pieces = pushBufferPieces(L, b, pieces)
		opt := f.next()
		size := f.optsize(opt)
		pad := f.toalign(len(b), opt, size)
		b = append(b, make([]byte, pad)...)
		switch {
		case isIntOpt(opt):
			b = appendStructInt(b, checkNumber(L, arg, "pack"), f.little, size)
			arg++
		case opt == 'x':
			b = append(b, 0)
		case opt == 'f':
			b = appendOrdered(b, uint64(math.Float32bits(float32(checkNumber(L, arg, "pack")))), 4, f.little)
			arg++
		case opt == 'd':
			b = appendOrdered(b, math.Float64bits(checkNumber(L, arg, "pack")), 8, f.little)
			arg++
		case opt == 'c' || opt == 's':
			b = f.packString(b, opt, size, arg)
			arg++
		default:
			f.control(opt)
		}
	}
	L.Push(lua.LString(b))
	return 1
}

func (f *structFormat) packString(b []byte, opt byte, size, arg int) []byte {
	s := checkString(f.L, arg, "pack")
	if size == 0 {
		size = len(s)
	}
	if len(s) < size {
		argError(f.L, arg+1, "pack", "string too short")
	}
	b = append(b, s[:size]...)
	if opt == 's' {
		b = append(b, 0)
	}
	return b
}

// appendStructInt is putinteger: the value as a C unsigned long, written
// in size bytes (bytes beyond 8 are zero).
func appendStructInt(b []byte, n float64, little bool, size int) []byte {
	var v uint64
	if n < 0 {
		v = uint64(toInt64(n))
	} else {
		v = toUint64(n)
	}
	out := make([]byte, size)
	for i := 0; i < size; i++ {
		j := size - 1 - i
		if little {
			j = i
		}
		out[j] = byte(v)
		v >>= 8
	}
	return append(b, out...)
}

// appendOrdered writes the low size bytes of v in the given byte order.
func appendOrdered(b []byte, v uint64, size int, little bool) []byte {
	if size == 4 {
		if little {
			return binary.LittleEndian.AppendUint32(b, uint32(v))
		}
		return binary.BigEndian.AppendUint32(b, uint32(v))
	}
	if little {
		return binary.LittleEndian.AppendUint64(b, v)
	}
	return binary.BigEndian.AppendUint64(b, v)
}

// getStructInt is getinteger.
func getStructInt(data string, little, signed bool, size int) float64 {
	var l uint64
	for i := 0; i < size; i++ {
		j := i
		if little {
			j = size - 1 - i
		}
		l = l<<8 | uint64(data[j])
	}
	if !signed {
		return float64(l)
	}
	mask := ^uint64(0) << (uint(size*8-1) & 63)
	if l&mask != 0 {
		l |= mask
	}
	return float64(int64(l))
}

// structUnpack is struct.unpack(fmt, data [, pos]): the values, then the
// position after them.
func structUnpack(L *lua.LState) int {
	f := newStructFormat(L, "unpack")
	data := checkString(L, 2, "unpack")
	pos := uint64(optInteger(L, 3, "unpack", 1))
	if pos == 0 {
		argError(L, 3, "unpack", "offset must be 1 or greater")
	}
	pos--
	ld := uint64(len(data))
	base := L.GetTop()
	var out []lua.LValue
	for f.more() {
		opt := f.next()
		size := uint64(f.optsize(opt))
		pos += uint64(f.toalign(int(pos), opt, int(size)))
		if size > ld || pos > ld-size {
			argError(L, 2, "unpack", "data string too short")
		}
		if base+len(out)+2 > maxCStack {
			raise(L, "stack overflow (too many results)")
		}
		switch {
		case isIntOpt(opt):
			signed := opt >= 'a' && opt <= 'z'
			out = append(out, lua.LNumber(getStructInt(data[pos:], f.little, signed, int(size))))
		case opt == 'x':
		case opt == 'f':
			out = append(out, lua.LNumber(math.Float32frombits(uint32(ordered(data[pos:pos+4], f.little)))))
		case opt == 'd':
			out = append(out, lua.LNumber(math.Float64frombits(ordered(data[pos:pos+8], f.little))))
		case opt == 'c':
			out, size = f.unpackChars(out, data, pos, size)
		case opt == 's':
			e := strings.IndexByte(data[pos:], 0)
			if e < 0 {
				raise(L, "unfinished string in data")
			}
			out = append(out, lua.LString(data[pos:pos+uint64(e)]))
			size = uint64(e) + 1
		default:
			f.control(opt)
		}
		pos += size
	}
	for _, v := range out {
		L.Push(v)
	}
	L.Push(lua.LNumber(int64(pos + 1)))
	return len(out) + 1
}

// unpackChars is option 'c': size bytes, or with "c0" as many as the
// previous result said.
func (f *structFormat) unpackChars(out []lua.LValue, data string, pos, size uint64) ([]lua.LValue, uint64) {
	if size == 0 {
		var n float64
		ok := false
		if len(out) > 0 {
			n, ok = toNumber(out[len(out)-1])
		}
		if !ok {
			raise(f.L, "format 'c0' needs a previous size")
		}
		size = toUint64(n)
		out = out[:len(out)-1]
		ld := uint64(len(data))
		if size > ld || pos > ld-size {
			argError(f.L, 2, "unpack", "data string too short")
		}
	}
	return append(out, lua.LString(data[pos:pos+size])), size
}

// ordered reads 4 or 8 bytes in the given byte order.
func ordered(s string, little bool) uint64 {
	b := []byte(s)
	if len(b) == 4 {
		if little {
			return uint64(binary.LittleEndian.Uint32(b))
		}
		return uint64(binary.BigEndian.Uint32(b))
	}
	if little {
		return binary.LittleEndian.Uint64(b)
	}
	return binary.BigEndian.Uint64(b)
}

// structSize is struct.size(fmt): the packed size of a fixed-size format.
func structSize(L *lua.LState) int {
	f := newStructFormat(L, "size")
	pos := 0
	for f.more() {
		opt := f.next()
		size := f.optsize(opt)
		pos += f.toalign(pos, opt, size)
		if opt == 's' {
			argError(L, 1, "size", "option 's' has no fixed size")
		} else if opt == 'c' && size == 0 {
			argError(L, 1, "size", "option 'c0' has no fixed size")
		}
		if !isAlnum(opt) {
			f.control(opt)
		}
		pos += size
	}
	L.Push(lua.LNumber(pos))
	return 1
}

func isAlnum(c byte) bool {
	return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'z'
}
