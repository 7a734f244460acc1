package lualib

import (
	"encoding/binary"
	"math"

	lua "github.com/yuin/gopher-lua"
)

// Decoding errors, as lua-cmsgpack's cursor records them.
const (
	mpErrNone = iota
	mpErrEOF
	mpErrBadFmt
)

// mpDecoder is one unpack call: the input cursor and the model of the C
// stack height (top), so stack exhaustion fails as in Redis.
type mpDecoder struct {
	L   *lua.LState
	s   string
	p   int
	err int
	top int
	pad int // array slots gopher-lua filled with nil for sparse keys so far
}

// mpMaxPadding bounds the nil slots one unpack may make gopher-lua
// allocate: gopher-lua keeps every integer key below lua.MaxArrayIndex
// (64 Mi) in a dense array, so {[60000000]=1}, a 7-byte input, would
// cost 1 GiB. Past this bound unpack fails (Redis, whose tables keep
// sparse keys in the hash part, would decode it).
const mpMaxPadding = 1 << 21

func (d *mpDecoder) left() int { return len(d.s) - d.p }

// checkStack is luaL_checkstack(L, 1, msg).
func (d *mpDecoder) checkStack(msg string) {
	if d.top+1 > maxCStack {
		raise(d.L, "stack overflow (%s)", msg)
	}
}

// need is mp_cur_need: false (and an EOF error) when fewer than n bytes remain.
func (d *mpDecoder) need(n int) bool {
	if d.left() < n {
		d.err = mpErrEOF
		return false
	}
	return true
}

func (d *mpDecoder) u8(i int) uint64 { return uint64(d.s[d.p+i]) }
func (d *mpDecoder) u16(i int) uint64 {
	return uint64(binary.BigEndian.Uint16([]byte(d.s[d.p+i : d.p+i+2])))
}
func (d *mpDecoder) u32(i int) uint64 {
	return uint64(binary.BigEndian.Uint32([]byte(d.s[d.p+i : d.p+i+4])))
}
func (d *mpDecoder) u64(i int) uint64 { return binary.BigEndian.Uint64([]byte(d.s[d.p+i : d.p+i+8])) }

// fixed decodes a value of n bytes (type byte included) with conv, or
// sets EOF.
func (d *mpDecoder) fixed(n int, conv func() lua.LValue) lua.LValue {
	if !d.need(n) {
		return nil
	}
	v := conv()
	d.p += n
	return v
}

// bytes decodes a string whose length field is hdr-1 bytes after the type.
func (d *mpDecoder) bytes(hdr int, length func() uint64) lua.LValue {
	if !d.need(hdr) {
		return nil
	}
	l := length()
	d.p += hdr
	if uint64(d.left()) < l {
		d.err = mpErrEOF
		return nil
	}
	v := lua.LString(d.s[d.p : d.p+int(l)])
	d.p += int(l)
	return v
}

// decode is mp_decode_to_lua_type: it returns the value (nil when
// d.err is set) and leaves it counted on the modelled stack.
func (d *mpDecoder) decode() lua.LValue {
	if !d.need(1) {
		return nil
	}
	d.checkStack("too many return values at once; use unpack_one or unpack_limit instead.")
	v := d.decodeType(d.s[d.p])
	if d.err == mpErrNone {
		d.top++
	}
	return v
}

func (d *mpDecoder) decodeType(c byte) lua.LValue {
	switch c {
	case 0xcc:
		return d.fixed(2, func() lua.LValue { return lua.LNumber(d.u8(1)) })
	case 0xd0:
		return d.fixed(2, func() lua.LValue { return lua.LNumber(int8(d.u8(1))) })
	case 0xcd:
		return d.fixed(3, func() lua.LValue { return lua.LNumber(d.u16(1)) })
	case 0xd1:
		return d.fixed(3, func() lua.LValue { return lua.LNumber(int16(d.u16(1))) })
	case 0xce:
		return d.fixed(5, func() lua.LValue { return lua.LNumber(d.u32(1)) })
	case 0xd2:
		return d.fixed(5, func() lua.LValue { return lua.LNumber(int32(d.u32(1))) })
	case 0xcf: // pushed as a signed lua_Integer: values above 2^63 wrap
		return d.fixed(9, func() lua.LValue { return lua.LNumber(int64(d.u64(1))) })
	case 0xd3:
		return d.fixed(9, func() lua.LValue { return lua.LNumber(int64(d.u64(1))) })
	case 0xc0:
		d.p++
		return lua.LNil
	case 0xc3, 0xc2:
		d.p++
		return lua.LBool(c == 0xc3)
	case 0xca:
		return d.fixed(5, func() lua.LValue { return lua.LNumber(math.Float32frombits(uint32(d.u32(1)))) })
	case 0xcb:
		return d.fixed(9, func() lua.LValue { return lua.LNumber(math.Float64frombits(d.u64(1))) })
	case 0xd9:
		return d.bytes(2, func() uint64 { return d.u8(1) })
	case 0xda:
		return d.bytes(3, func() uint64 { return d.u16(1) })
	case 0xdb:
		return d.bytes(5, func() uint64 { return d.u32(1) })
	case 0xdc, 0xde:
		if !d.need(3) {
			return nil
		}
		n := d.u16(1)
		d.p += 3
		return d.container(c == 0xde, n)
	case 0xdd, 0xdf:
		if !d.need(5) {
			return nil
		}
		n := d.u32(1)
		d.p += 5
		return d.container(c == 0xdf, n)
	}
	return d.decodeFix(c)
}

// decodeFix handles the types identified by the high bits of c.
func (d *mpDecoder) decodeFix(c byte) lua.LValue {
	switch {
	case c&0x80 == 0:
		d.p++
		return lua.LNumber(c)
	case c&0xe0 == 0xe0:
		d.p++
		return lua.LNumber(int8(c))
	case c&0xe0 == 0xa0:
		return d.bytes(1, func() uint64 { return uint64(c & 0x1f) })
	case c&0xf0 == 0x90:
		d.p++
		return d.container(false, uint64(c&0xf))
	case c&0xf0 == 0x80:
		d.p++
		return d.container(true, uint64(c&0xf))
	}
	d.err = mpErrBadFmt
	return nil
}

func (d *mpDecoder) container(isMap bool, n uint64) lua.LValue {
	if isMap {
		return d.hash(n)
	}
	return d.array(n)
}

// array is mp_decode_to_lua_array: n is only a claim, elements are read
// (and memory used) one by one as long as input lasts.
func (d *mpDecoder) array(n uint64) lua.LValue {
	// Room for one item, not for the claimed n (nested claims would add
	// up); L.NewTable would reserve 32 slots (512 bytes) per table.
	t := d.L.CreateTable(1, 0)
	d.top++ // the table
	defer func() { d.top-- }()
	d.checkStack("in function mp_decode_to_lua_array")
	for i := 1; n > 0; i, n = i+1, n-1 {
		d.top++ // the index
		v := d.decode()
		if d.err != mpErrNone {
			return nil
		}
		d.top -= 2
		if v != lua.LNil {
			t.RawSetInt(i, v)
		}
	}
	return t
}

// hash is mp_decode_to_lua_hash.
func (d *mpDecoder) hash(n uint64) lua.LValue {
	t := d.L.CreateTable(0, 1) // small maps (see jsonDecoder.object)
	d.top++
	defer func() { d.top-- }()
	alen := 0 // length of t's array part, as gopher-lua keeps it
	for ; n > 0; n-- {
		k := d.decode()
		if d.err != mpErrNone {
			return nil
		}
		v := d.decode()
		if d.err != mpErrNone {
			return nil
		}
		d.top -= 2
		alen = d.checkPadding(k, v, alen)
		d.set(t, k, v)
	}
	return t
}

// checkPadding counts the nil slots storing k would add to a table whose
// array part has alen slots, fails past mpMaxPadding, and returns the new
// array length.
func (d *mpDecoder) checkPadding(k, v lua.LValue, alen int) int {
	f, ok := k.(lua.LNumber)
	if !ok || v == lua.LNil || f < 1 || f >= lua.LNumber(lua.MaxArrayIndex) || float64(f) != math.Floor(float64(f)) {
		return alen
	}
	i := int(f)
	if i <= alen {
		return alen
	}
	d.pad += i - 1 - alen
	if d.pad > mpMaxPadding {
		raise(d.L, "Integer map key %d too sparse to unpack.", i)
	}
	return i
}

// set is lua_settable on a fresh table, with Lua's errors for bad keys.
func (d *mpDecoder) set(t *lua.LTable, k, v lua.LValue) {
	if k == lua.LNil {
		raiseRuntime(d.L, "table index is nil")
	}
	if f, ok := k.(lua.LNumber); ok && f != f {
		raiseRuntime(d.L, "table index is NaN")
	}
	if v == lua.LNil && t.RawGet(k) == lua.LNil {
		return // nothing to delete (and gopher-lua would pad its array)
	}
	t.RawSet(k, v)
}

// mpUnpack is cmsgpack.unpack(s): every value in s.
func mpUnpack(L *lua.LState) int {
	return mpUnpackFull(L, "unpack", 0, 0)
}

// mpUnpackOne is cmsgpack.unpack_one(s [, offset]).
func mpUnpackOne(L *lua.LState) int {
	offset := optInteger(L, 2, "unpack_one", 0)
	L.SetTop(1)
	return mpUnpackFull(L, "unpack_one", 1, offset)
}

// mpUnpackLimit is cmsgpack.unpack_limit(s, limit [, offset]).
func mpUnpackLimit(L *lua.LState) int {
	limit := checkInteger(L, 2, "unpack_limit")
	offset := optInteger(L, 3, "unpack_limit", 0)
	L.SetTop(1)
	return mpUnpackFull(L, "unpack_limit", limit, offset)
}

// mpUnpackFull is mp_unpack_full: without limit and offset it decodes
// everything; otherwise it returns the next offset (-1 at the end) first.
func mpUnpackFull(L *lua.LState, fname string, limit, offset int64) int {
	s := checkString(L, 1, fname)
	if offset < 0 || limit < 0 {
		raise(L, "Invalid request to unpack with offset of %d and limit of %d.", int32(offset), int32(len(s)))
	}
	if offset > int64(len(s)) {
		raise(L, "Start offset %d greater than input length %d.", int32(offset), int32(len(s)))
	}
	all := limit == 0 && offset == 0
	if all {
		limit = math.MaxInt32
	}
	d := &mpDecoder{L: L, s: s, p: int(offset), top: L.GetTop()}
	var out []lua.LValue
	for cnt := int64(0); d.left() > 0 && cnt < limit; cnt++ {
		v := d.decode()
		switch d.err {
		case mpErrEOF:
			raise(L, "Missing bytes in input.")
		case mpErrBadFmt:
			raise(L, "Bad data format in input.")
		}
		out = append(out, v)
	}
	n := len(out)
	if !all {
		if d.top+1 > maxCStack {
			raise(L, "stack overflow (in function mp_unpack_full)")
		}
		next := lua.LNumber(-1)
		if d.left() > 0 {
			next = lua.LNumber(d.p)
		}
		L.Push(next)
		n++
	}
	for _, v := range out {
		L.Push(v)
	}
	return n
}
