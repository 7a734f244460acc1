package protocol

import (
	"math"
)

// fieldOverflow is BITFIELD's OVERFLOW mode.
type fieldOverflow uint8

const (
	overflowWrap fieldOverflow = iota
	overflowSat
	overflowFail
)

// fieldOpKind is a BITFIELD subcommand.
type fieldOpKind uint8

const (
	fieldGet fieldOpKind = iota
	fieldSet
	fieldIncrBy
)

// fieldOp is one parsed BITFIELD operation on an integer of width bits at
// a bit offset; arg is SET's value or INCRBY's increment.
type fieldOp struct {
	kind     fieldOpKind
	signed   bool
	width    uint
	offset   uint64
	arg      int64
	overflow fieldOverflow
}

// BITFIELD key [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>]
// <SET encoding offset value | INCRBY encoding offset increment>
// [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>]
// <SET encoding offset value | INCRBY encoding offset increment> ...]]
func bitfield(c *Ctx) { runBitfield(c, false) }

// BITFIELD_RO key [GET encoding offset [GET encoding offset ...]]
func bitfieldRO(c *Ctx) { runBitfield(c, true) }

// runBitfield parses every operation first, as Redis does, then looks the
// key up: for reading when there are only GETs (a missing key reads as
// zeros), for writing, grown to the farthest bit written, otherwise.
func runBitfield(c *Ctx, readonly bool) {
	ops, ok := parseFieldOps(c, c.Args[2:])
	if !ok {
		return
	}
	size := fieldWriteSize(ops)
	var p []byte
	dirty := false
	switch {
	case size == 0:
		p, _, ok = c.LookupStringRead(c.Args[1])
	case readonly:
		c.Out.Error(ErrBitfieldRO)
		return
	default:
		var prev []byte
		var found bool
		if prev, found, ok = c.LookupString(c.Args[1]); ok {
			dirty = !found || len(prev) < size // created or grown
			p, ok = bitmapForWrite(c, c.Args[1], size)
		}
	}
	if !ok {
		return
	}
	c.Out.Array(len(ops))
	changes := 0
	for _, op := range ops {
		if changed, wrote := op.apply(c.Out, p); wrote && (changed || dirty) {
			changes++
		}
	}
	if changes > 0 { // as Redis: a write that changed bits, or grew the key
		c.Notify(NotifyString, "setbit", c.Args[1])
	}
	c.AddDirty(int64(changes))
}

// fieldWriteSize returns the bytes needed to hold every SET and INCRBY
// field (even one that OVERFLOW FAIL will skip), or 0 when there is none.
func fieldWriteSize(ops []fieldOp) int {
	size := 0
	for _, op := range ops {
		if op.kind != fieldGet {
			size = max(size, int((op.offset+uint64(op.width)-1)>>3)+1)
		}
	}
	return size
}

// parseFieldOps parses BITFIELD's operations; OVERFLOW applies to the
// SETs and INCRBYs after it. On error it has replied.
func parseFieldOps(c *Ctx, args [][]byte) ([]fieldOp, bool) {
	var ops []fieldOp
	overflow := overflowWrap
	for i := 0; i < len(args); {
		a, rest := untilNUL(args[i]), len(args)-i-1
		n, kind := 0, fieldGet
		switch {
		case EqualFold(a, "get") && rest >= 2:
			n = 2
		case EqualFold(a, "set") && rest >= 3:
			n, kind = 3, fieldSet
		case EqualFold(a, "incrby") && rest >= 3:
			n, kind = 3, fieldIncrBy
		case EqualFold(a, "overflow") && rest >= 1:
			var ok bool
			if overflow, ok = parseOverflow(c, args[i+1]); !ok {
				return nil, false
			}
			i += 2
			continue
		default:
			c.Out.Error(ErrSyntax)
			return nil, false
		}
		op, ok := parseFieldOp(c, kind, args[i+1:i+1+n], overflow)
		if !ok {
			return nil, false
		}
		ops = append(ops, op)
		i += 1 + n
	}
	return ops, true
}

func parseOverflow(c *Ctx, arg []byte) (fieldOverflow, bool) {
	arg = untilNUL(arg)
	switch {
	case EqualFold(arg, "wrap"):
		return overflowWrap, true
	case EqualFold(arg, "sat"):
		return overflowSat, true
	case EqualFold(arg, "fail"):
		return overflowFail, true
	}
	c.Out.Error(ErrBitfieldOverflow)
	return 0, false
}

// parseFieldOp parses one operation's type, offset and, for SET and
// INCRBY, value, in that order.
func parseFieldOp(c *Ctx, kind fieldOpKind, args [][]byte, overflow fieldOverflow) (fieldOp, bool) {
	op := fieldOp{kind: kind, overflow: overflow}
	var ok bool
	if op.signed, op.width, ok = parseFieldType(args[0]); !ok {
		c.Out.Error(ErrBitfieldType)
		return op, false
	}
	if op.offset, ok = parseBitOffset(args[1], int64(op.width)); !ok {
		c.Out.Error(ErrBitOffset)
		return op, false
	}
	if kind != fieldGet {
		if op.arg, ok = ParseInt(args[2]); !ok {
			c.Out.Error(ErrNotInteger)
			return op, false
		}
	}
	return op, true
}

// parseFieldType parses i1..i64 or u1..u63. Like Redis, it reads the
// width as a C string: "i8\x00x" is i8.
func parseFieldType(arg []byte) (signed bool, width uint, ok bool) {
	arg = untilNUL(arg)
	if len(arg) == 0 || (arg[0] != 'i' && arg[0] != 'u') {
		return false, 0, false
	}
	signed = arg[0] == 'i'
	n, ok := ParseInt(arg[1:])
	if !ok || n < 1 || n > 64 || (!signed && n == 64) {
		return false, 0, false
	}
	return signed, uint(n), true
}

// apply runs op on p, which is long enough for every write, and appends
// its reply: GET's value, SET's old value, INCRBY's new value, or null
// when OVERFLOW FAIL refused the write. It reports whether it wrote and
// whether the write changed the field.
func (op fieldOp) apply(w *Writer, p []byte) (changed, wrote bool) {
	var reply int64
	ok := true
	switch {
	case op.kind == fieldGet && op.signed:
		reply = signExtend(readField(p, op.offset, op.width), op.width)
	case op.kind == fieldGet:
		reply = int64(readField(p, op.offset, op.width))
	default:
		before := readField(p, op.offset, op.width)
		if op.signed {
			reply, ok = op.writeSigned(p)
		} else {
			reply, ok = op.writeUnsigned(p)
		}
		changed = readField(p, op.offset, op.width) != before
	}
	if ok {
		w.Int(reply)
	} else {
		w.Null()
	}
	return changed, ok && op.kind != fieldGet
}

// writeSigned runs a signed SET or INCRBY; ok is false when OVERFLOW FAIL
// refused it.
func (op fieldOp) writeSigned(p []byte) (reply int64, ok bool) {
	old := signExtend(readField(p, op.offset, op.width), op.width)
	value, incr, reply := op.arg, int64(0), old
	if op.kind == fieldIncrBy {
		value, incr = old, op.arg
	}
	v, overflow := signedOverflow(value, incr, op.width, op.overflow)
	if !overflow {
		v = value + incr
	}
	if overflow && op.overflow == overflowFail {
		return 0, false
	}
	if op.kind == fieldIncrBy {
		reply = v
	}
	writeField(p, op.offset, op.width, uint64(v))
	return reply, true
}

// writeUnsigned runs an unsigned SET or INCRBY; ok is false when OVERFLOW
// FAIL refused it.
func (op fieldOp) writeUnsigned(p []byte) (reply int64, ok bool) {
	old := readField(p, op.offset, op.width)
	value, incr, reply := uint64(op.arg), int64(0), int64(old)
	if op.kind == fieldIncrBy {
		value, incr = old, op.arg
	}
	v, overflow := unsignedOverflow(value, incr, op.width, op.overflow)
	if !overflow {
		v = value + uint64(incr)
	}
	if overflow && op.overflow == overflowFail {
		return 0, false
	}
	if op.kind == fieldIncrBy {
		reply = int64(v)
	}
	writeField(p, op.offset, op.width, v)
	return reply, true
}

// readField reads the width-bit unsigned integer at bit off of p, most
// significant bit first, reading past the end as zeros.
func readField(p []byte, off uint64, width uint) uint64 {
	var v uint64
	for j := range uint64(width) {
		v = v<<1 | uint64(bitAt(p, off+j))
	}
	return v
}

// writeField writes the low width bits of v at bit off of p, which must be
// long enough.
func writeField(p []byte, off uint64, width uint, v uint64) {
	for j := range width {
		setBitAt(p, off+uint64(j), v>>(width-1-j)&1 == 1)
	}
}

// signExtend reads the low width bits of v as a two's complement integer.
func signExtend(v uint64, width uint) int64 {
	if width < 64 && v>>(width-1)&1 == 1 {
		v |= math.MaxUint64 << width
	}
	return int64(v)
}

// unsignedOverflow reports whether value+incr leaves the range of a
// width-bit unsigned integer and, if so, the value WRAP or SAT stores. It
// mirrors Redis's checkUnsignedBitfieldOverflow, wrap-around included.
func unsignedOverflow(value uint64, incr int64, width uint, mode fieldOverflow) (uint64, bool) {
	limit := uint64(1)<<width - 1
	maxIncr, minIncr := int64(limit-value), -int64(value)
	wrapped := (value + uint64(incr)) & limit
	switch {
	case value > limit || (incr > 0 && incr > maxIncr):
		if mode == overflowSat {
			return limit, true
		}
		return wrapped, true
	case incr < 0 && incr < minIncr:
		if mode == overflowSat {
			return 0, true
		}
		return wrapped, true
	}
	return 0, false
}

// signedOverflow reports whether value+incr leaves the range of a width-bit
// signed integer and, if so, the value WRAP or SAT stores. It mirrors
// Redis's checkSignedBitfieldOverflow, including its wrap-around
// arithmetic (so SAT stores 127 for SET i8 -9223372036854775808, as Redis).
func signedOverflow(value, incr int64, width uint, mode fieldOverflow) (int64, bool) {
	hi := int64(math.MaxInt64)
	if width < 64 {
		hi = 1<<(width-1) - 1
	}
	lo := -hi - 1
	maxIncr, minIncr := int64(uint64(hi)-uint64(value)), lo-value
	switch {
	case value > hi || (width != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr):
		if mode == overflowSat {
			return hi, true
		}
		return signedWrap(value, incr, width), true
	case value < lo || (width != 64 && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr):
		if mode == overflowSat {
			return lo, true
		}
		return signedWrap(value, incr, width), true
	}
	return 0, false
}

// signedWrap adds as unsigned and sign-extends from the field's top bit.
func signedWrap(value, incr int64, width uint) int64 {
	return signExtend((uint64(value)+uint64(incr))&(math.MaxUint64>>(64-width)), width)
}
