package protocol

import (
	"bytes"
	"crypto/subtle"
	"encoding/binary"
	"math"
	"math/bits"

	"github.com/geetcache/geetcache/datatypes"
)

// bitmapCommands is the bitmap family. Bitmaps are plain strings: bit 0 is
// the most significant bit of byte 0, and writing past the end grows the
// string with zero bytes.
var bitmapCommands = []*Command{
	{Name: "setbit", Arity: 4, Flags: Write | DenyOOM, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "bitmap", Since: "2.2.0", Summary: "Sets or clears the bit at offset in the string value stored at key",
		Handler: HandlerFunc(setbit)},
	{Name: "getbit", Arity: 3, Flags: Readonly | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "bitmap", Since: "2.2.0", Summary: "Returns the bit value at offset in the string value stored at key",
		Handler: HandlerFunc(getbit)},
	{Name: "bitcount", Arity: -2, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "bitmap", Since: "2.6.0", Summary: "Count set bits in a string",
		Handler: HandlerFunc(bitcount)},
	{Name: "bitpos", Arity: -3, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "bitmap", Since: "2.8.7", Summary: "Find first bit set or clear in a string",
		Handler: HandlerFunc(bitpos)},
	{Name: "bitop", Arity: -4, Flags: Write | DenyOOM, FirstKey: 2, LastKey: -1, Step: 1,
		Group: "bitmap", Since: "2.6.0", Summary: "Perform bitwise operations between strings",
		Handler: HandlerFunc(bitop)},
	{Name: "bitfield", Arity: -2, Flags: Write | DenyOOM, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "bitmap", Since: "3.2.0", Summary: "Perform arbitrary bitfield integer operations on strings",
		Handler: HandlerFunc(bitfield)},
	{Name: "bitfield_ro", Arity: -2, Flags: Readonly | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "bitmap", Since: "6.0.0", Summary: "Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD",
		Handler: HandlerFunc(bitfieldRO)},
}

// maxBitmapBytes is proto-max-bulk-len (512 MB): a bit offset must address
// a byte below it, so offsets run up to 2^32-1.
const maxBitmapBytes = 512 << 20

// parseBitOffset parses a bit offset as Redis's getBitOffsetFromArgument
// does. With width > 0 (BITFIELD) a "#N" offset means N*width, multiplied
// with int64 wrap-around exactly as Redis's C code computes it.
func parseBitOffset(arg []byte, width int64) (uint64, bool) {
	hash := width > 0 && len(arg) > 0 && arg[0] == '#'
	if hash {
		arg = arg[1:]
	}
	n, ok := ParseInt(arg)
	if !ok {
		return 0, false
	}
	if hash {
		n *= width
	}
	if n < 0 || n>>3 >= maxBitmapBytes {
		return 0, false
	}
	return uint64(n), true
}

// bitAt returns bit off of p, reading past the end as zero.
func bitAt(p []byte, off uint64) byte {
	if off>>3 >= uint64(len(p)) {
		return 0
	}
	return p[off>>3] >> (7 - off&7) & 1
}

// setBitAt sets bit off of p (which must be long enough) to on.
func setBitAt(p []byte, off uint64, on bool) {
	mask := byte(1) << (7 - off&7)
	if on {
		p[off>>3] |= mask
	} else {
		p[off>>3] &^= mask
	}
}

// bitmapForWrite returns the string at key as a plain datatypes.String of at
// least size bytes that the caller may change in place: a missing key is
// created, a shorter string is grown with zero bytes, and a string in another
// encoding (a HyperLogLog) becomes a plain copy of its bytes, as in Redis.
// The key keeps its TTL. On a key of another type it replies WRONGTYPE and
// returns ok=false.
func bitmapForWrite(c *Ctx, key []byte, size int) (datatypes.String, bool) {
	e := c.Lookup(key)
	if e == nil {
		s := make(datatypes.String, size)
		c.DB.Set(string(key), s, 0)
		return s, true
	}
	sv, isStr := e.Value.(datatypes.StringValue)
	if !isStr {
		c.Out.Error(ErrWrongType)
		return nil, false
	}
	if _, plain := datatypes.PlainBytes(sv); !plain {
		b := sv.Bytes() // an HLL builds its blob on each call
		s := make(datatypes.String, max(size, len(b)))
		copy(s, b)
		c.DB.Set(string(key), s, e.ExpireAt)
		return s, true
	}
	e = c.DB.Mutable(e)
	s := e.Value.(datatypes.String)
	if len(s) < size {
		// Mutable made the array ours, so growing may use its spare
		// capacity: repeated growth is amortised, as sdsMakeRoomFor is.
		s = append(s, make([]byte, size-len(s))...)
		e.Value = s
	}
	return s, true
}

// SETBIT key offset value
func setbit(c *Ctx) {
	off, ok := parseBitOffset(c.Args[2], 0)
	if !ok {
		c.Out.Error(ErrBitOffset)
		return
	}
	on, ok := ParseInt(c.Args[3])
	if !ok || on&^1 != 0 {
		c.Out.Error(ErrBitValue)
		return
	}
	prev, found, ok := c.LookupString(c.Args[1])
	if !ok {
		return
	}
	// Redis signals a change when the key is created or grown, or the bit flips.
	dirty := !found || len(prev) < int(off>>3)+1
	s, _ := bitmapForWrite(c, c.Args[1], int(off>>3)+1)
	old := bitAt(s, off)
	setBitAt(s, off, on == 1)
	if dirty || old != byte(on) {
		c.Notify(NotifyString, "setbit", c.Args[1])
	}
	c.Out.Int(int64(old))
}

// GETBIT key offset
func getbit(c *Ctx) {
	off, ok := parseBitOffset(c.Args[2], 0)
	if !ok {
		c.Out.Error(ErrBitOffset)
		return
	}
	val, _, ok := c.LookupString(c.Args[1])
	if ok {
		c.Out.Int(int64(bitAt(val, off)))
	}
}

// bitRange is the inclusive range of bits [lo, hi]; empty when lo > hi.
type bitRange struct{ lo, hi int64 }

var emptyRange = bitRange{1, 0}

func (r bitRange) empty() bool { return r.lo > r.hi }

// wholeRange covers a string of n bytes.
func wholeRange(n int) bitRange { return bitRange{0, int64(n)*8 - 1} }

// resolveRange turns BITCOUNT's and BITPOS's start and end (byte indexes,
// or bit indexes when isBit; negative ones count from the end) into a bit
// range clamped to a string of n bytes, as Redis does.
func resolveRange(start, end int64, isBit bool, n int) bitRange {
	total := int64(n)
	if isBit {
		total *= 8
	}
	if start < 0 {
		start += total
	}
	if end < 0 {
		end += total
	}
	start, end = max(start, 0), min(max(end, 0), total-1)
	switch {
	case start > end:
		return emptyRange
	case isBit:
		return bitRange{start, end}
	}
	return bitRange{start * 8, end*8 + 7}
}

// untilNUL returns b up to its first NUL byte. Redis compares keywords
// with strcasecmp, which stops there: "bit\x00x" means BIT.
func untilNUL(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

// parseBitUnit parses the optional BYTE | BIT argument; rest holds it or
// nothing. On error it has replied.
func parseBitUnit(c *Ctx, rest [][]byte) (isBit, ok bool) {
	switch {
	case len(rest) == 0 || EqualFold(untilNUL(rest[0]), "byte"):
		return false, true
	case EqualFold(untilNUL(rest[0]), "bit"):
		return true, true
	}
	c.Out.Error(ErrSyntax)
	return false, false
}

// bitmapIndex parses a start or end index, replying with Redis's error
// when it is not an integer.
func bitmapIndex(c *Ctx, arg []byte) (int64, bool) {
	n, ok := ParseInt(arg)
	if !ok {
		c.Out.Error(ErrNotInteger)
	}
	return n, ok
}

// BITCOUNT key [start end [BYTE | BIT]]
func bitcount(c *Ctx) {
	val, found, ok := c.LookupString(c.Args[1])
	switch {
	case !ok:
	case !found:
		c.Out.Int(0)
	default:
		if r, ok := bitcountRange(c, val); ok {
			c.Out.Int(countBits(val, r))
		}
	}
}

// bitcountRange parses BITCOUNT's range. Redis 7.0 answers 0 for two
// negative indexes with start > end before it looks at the unit.
func bitcountRange(c *Ctx, val []byte) (bitRange, bool) {
	args := c.Args[2:]
	switch len(args) {
	case 0:
		return wholeRange(len(val)), true
	case 2, 3:
	default:
		c.Out.Error(ErrSyntax)
		return emptyRange, false
	}
	start, ok := bitmapIndex(c, args[0])
	if !ok {
		return emptyRange, false
	}
	end, ok := bitmapIndex(c, args[1])
	switch {
	case !ok:
		return emptyRange, false
	case start < 0 && end < 0 && start > end:
		return emptyRange, true
	}
	isBit, ok := parseBitUnit(c, args[2:])
	return resolveRange(start, end, isBit, len(val)), ok
}

// BITPOS key bit [start [end [BYTE | BIT]]]
func bitpos(c *Ctx) {
	bit, ok := ParseInt(c.Args[2])
	switch {
	case !ok:
		c.Out.Error(ErrNotInteger)
		return
	case bit != 0 && bit != 1:
		c.Out.Error(ErrBitposBit)
		return
	}
	val, found, ok := c.LookupString(c.Args[1])
	switch {
	case !ok:
	case !found:
		c.Out.Int(-bit) // an endless run of zeros: 0 is at 0, there is no 1
	default:
		if r, endGiven, ok := bitposRange(c, val); ok {
			c.Out.Int(bitposIn(val, r, bit == 1, endGiven))
		}
	}
}

// bitposRange parses BITPOS's range: start, then the unit, then end, in
// the order Redis 7.0 checks them.
func bitposRange(c *Ctx, val []byte) (r bitRange, endGiven, ok bool) {
	args := c.Args[3:]
	switch {
	case len(args) == 0:
		return wholeRange(len(val)), false, true
	case len(args) > 3:
		c.Out.Error(ErrSyntax)
		return emptyRange, false, false
	}
	start, ok := bitmapIndex(c, args[0])
	if !ok {
		return emptyRange, false, false
	}
	var unit [][]byte
	if len(args) == 3 {
		unit = args[2:]
	}
	isBit, ok := parseBitUnit(c, unit)
	if !ok {
		return emptyRange, false, false
	}
	end := int64(math.MaxInt64) // no end: up to the last byte or bit
	if endGiven = len(args) >= 2; endGiven {
		if end, ok = bitmapIndex(c, args[1]); !ok {
			return emptyRange, false, false
		}
	}
	return resolveRange(start, end, isBit, len(val)), endGiven, true
}

// bitposIn returns the position of the first bit equal to one in r, or -1.
// Looking for a 0 in a range with no explicit end treats the string as
// padded with zeros, so it finds the bit just past the range.
func bitposIn(p []byte, r bitRange, one, endGiven bool) int64 {
	if r.empty() {
		return -1
	}
	pos := findBit(p, r, one)
	if pos < 0 && !one && !endGiven {
		return r.hi + 1
	}
	return pos
}

// edgeMask returns the mask of byte i's bits that lie inside r.
func edgeMask(r bitRange, i int64) byte {
	m := byte(0xff)
	if i == r.lo>>3 {
		m &= 0xff >> (r.lo & 7)
	}
	if i == r.hi>>3 {
		m &= 0xff << (7 - r.hi&7)
	}
	return m
}

// countBits counts the set bits of p inside r.
func countBits(p []byte, r bitRange) int64 {
	if r.empty() {
		return 0
	}
	first, last := r.lo>>3, r.hi>>3
	n := bits.OnesCount8(p[first] & edgeMask(r, first))
	if first != last {
		n += bits.OnesCount8(p[last] & edgeMask(r, last))
		n += popcount(p[first+1 : last])
	}
	return int64(n)
}

// popcount counts the set bits of p, eight bytes at a time.
func popcount(p []byte) int {
	n := 0
	for ; len(p) >= 8; p = p[8:] {
		n += bits.OnesCount64(binary.LittleEndian.Uint64(p))
	}
	for _, b := range p {
		n += bits.OnesCount8(b)
	}
	return n
}

// findBit returns the position of the first bit of p inside the non-empty
// range r that is set (one) or clear (!one), or -1.
func findBit(p []byte, r bitRange, one bool) int64 {
	first, last := r.lo>>3, r.hi>>3
	if pos := firstInByte(p, first, edgeMask(r, first), one); pos >= 0 || first == last {
		return pos
	}
	if i := indexNotByte(p[first+1:last], one); i >= 0 {
		return firstInByte(p, first+1+int64(i), 0xff, one)
	}
	return firstInByte(p, last, edgeMask(r, last), one)
}

// firstInByte returns the position of the first bit of byte i under mask
// that is set (one) or clear (!one), or -1.
func firstInByte(p []byte, i int64, mask byte, one bool) int64 {
	b := p[i]
	if !one {
		b = ^b
	}
	if b &= mask; b == 0 {
		return -1
	}
	return i*8 + int64(bits.LeadingZeros8(b))
}

// indexNotByte returns the index of the first byte of p holding a set bit
// (one) or a clear bit (!one), or -1, skipping eight bytes at a time.
func indexNotByte(p []byte, one bool) int {
	var skip uint64
	if !one {
		skip = math.MaxUint64
	}
	i := 0
	for ; i+8 <= len(p) && binary.LittleEndian.Uint64(p[i:]) == skip; i += 8 {
	}
	for ; i < len(p); i++ {
		if p[i] != byte(skip) {
			return i
		}
	}
	return -1
}

// BITOP <AND | OR | XOR | NOT> destkey key [key ...]
func bitop(c *Ctx) {
	op := untilNUL(c.Args[1])
	if !EqualFold(op, "and") && !EqualFold(op, "or") && !EqualFold(op, "xor") && !EqualFold(op, "not") {
		c.Out.Error(ErrSyntax)
		return
	}
	if EqualFold(op, "not") && len(c.Args) != 4 {
		c.Out.Error(ErrBitopNot)
		return
	}
	srcs, ok := bitopSources(c, c.Args[3:])
	if !ok {
		return
	}
	res := bitopApply(op[0]|0x20, srcs)
	if len(res) == 0 {
		deleteDest(c, c.Args[2])
	} else {
		storeDest(c, c.Args[2], datatypes.String(res), NotifyString, "set")
	}
	c.Out.Int(int64(len(res)))
}

// bitopSources returns the bytes of each source key, a missing key being
// empty. On a key of another type it replies WRONGTYPE.
func bitopSources(c *Ctx, keys [][]byte) ([][]byte, bool) {
	srcs := make([][]byte, len(keys))
	for i, k := range keys {
		val, _, ok := c.LookupStringRead(k)
		if !ok {
			return nil, false
		}
		srcs[i] = val
	}
	return srcs, true
}

// bitopApply computes op ('a'nd, 'o'r, 'x'or, 'n'ot) over srcs, shorter
// sources padded with zeros, into a new slice as long as the longest.
func bitopApply(op byte, srcs [][]byte) []byte {
	n := 0
	for _, s := range srcs {
		n = max(n, len(s))
	}
	if n == 0 {
		return nil
	}
	res := make([]byte, n)
	copy(res, srcs[0])
	for _, s := range srcs[1:] {
		switch op {
		case 'a':
			andBytes(res[:len(s)], s)
			clear(res[len(s):])
		case 'o':
			orBytes(res, s)
		case 'x':
			subtle.XORBytes(res, res, s)
		}
	}
	if op == 'n' {
		notBytes(res)
	}
	return res
}

// andBytes sets dst[i] &= src[i] for every byte of src.
func andBytes(dst, src []byte) {
	i := 0
	for ; i+8 <= len(src); i += 8 {
		w := binary.LittleEndian.Uint64(dst[i:]) & binary.LittleEndian.Uint64(src[i:])
		binary.LittleEndian.PutUint64(dst[i:], w)
	}
	for ; i < len(src); i++ {
		dst[i] &= src[i]
	}
}

// orBytes sets dst[i] |= src[i] for every byte of src.
func orBytes(dst, src []byte) {
	i := 0
	for ; i+8 <= len(src); i += 8 {
		w := binary.LittleEndian.Uint64(dst[i:]) | binary.LittleEndian.Uint64(src[i:])
		binary.LittleEndian.PutUint64(dst[i:], w)
	}
	for ; i < len(src); i++ {
		dst[i] |= src[i]
	}
}

// notBytes inverts every bit of p.
func notBytes(p []byte) {
	i := 0
	for ; i+8 <= len(p); i += 8 {
		binary.LittleEndian.PutUint64(p[i:], ^binary.LittleEndian.Uint64(p[i:]))
	}
	for ; i < len(p); i++ {
		p[i] = ^p[i]
	}
}
