package rdb

import "sync"

// LZF as Redis 7.0 builds liblzf 3.6 (lzf_c.c, lzf_d.c): HLOG 16,
// VERY_FAST, STRICT_ALIGN. LZFCompress reproduces its output byte for byte
// (with the hash table cleared, which Redis leaves uninitialised: a stale
// slot only ever adds a match that is still valid), so DUMP and FUNCTION DUMP give
// the bytes Redis gives for the same values.

const (
	lzfHLog   = 16
	lzfHSize  = 1 << lzfHLog
	lzfMaxLit = 1 << 5
	lzfMaxOff = 1 << 13
	lzfMaxRef = (1 << 8) + (1 << 3)
)

func lzfIdx(h uint32) uint32 { return ((h >> (3*8 - lzfHLog)) - h*5) & (lzfHSize - 1) }

// lzfTable is lzf_c.c's hash table of positions. Reusing one across calls
// (a pool) keeps the output deterministic: a slot counts only when it was
// written in this call (gen), exactly as a cleared table behaves.
type lzfTable struct {
	pos [lzfHSize]int32 // positions + 1
	gen [lzfHSize]uint32
	cur uint32
}

var lzfTables = sync.Pool{New: func() any { return new(lzfTable) }}

func (t *lzfTable) get(slot uint32) int32 {
	if t.gen[slot] != t.cur {
		return 0
	}
	return t.pos[slot]
}

func (t *lzfTable) set(slot uint32, p int32) {
	t.pos[slot], t.gen[slot] = p, t.cur
}

// LZFCompress compresses in into at most outLen bytes and returns them, or
// nil when they do not fit (lzf_compress returning 0).
func LZFCompress(in []byte, outLen int) []byte {
	inLen := len(in)
	if inLen == 0 || outLen <= 0 {
		return nil
	}
	htab := lzfTables.Get().(*lzfTable)
	defer lzfTables.Put(htab)
	if htab.cur++; htab.cur == 0 { // wrapped: forget every generation
		htab.gen = [lzfHSize]uint32{}
		htab.cur = 1
	}
	out := make([]byte, outLen+1)
	ip, op, lit := 0, 1, 0 // op++: start a literal run
	hval := uint32(in[0])<<8 | uint32(at(in, 1))
	for ip < inLen-2 {
		hval = hval<<8 | uint32(in[ip+2])
		slot := lzfIdx(hval)
		ref := int(htab.get(slot)) - 1
		htab.set(slot, int32(ip)+1)
		off := ip - ref - 1
		if ref > 0 && off < lzfMaxOff && ref < ip && in[ref+2] == in[ip+2] && in[ref] == in[ip] && in[ref+1] == in[ip+1] {
			length := 2
			maxlen := min(inLen-ip-length, lzfMaxRef)
			if op+3+1 >= outLen && op-lzfFlag(lit == 0)+3+1 >= outLen {
				return nil
			}
			out[op-lit-1] = byte(lit - 1) // stop the literal run
			op -= lzfFlag(lit == 0)       // undo it if empty
			length = lzfMatchLen(in, ref, ip, length, maxlen)
			length -= 2 // length is now #octets - 1
			ip++
			if length < 7 {
				out[op] = byte(off>>8) + byte(length<<5)
				op++
			} else {
				out[op] = byte(off>>8) + 7<<5
				out[op+1] = byte(length - 7)
				op += 2
			}
			out[op] = byte(off)
			op += 2 // and start a literal run
			lit = 0
			ip += length + 1
			if ip >= inLen-2 {
				break
			}
			ip -= 2
			hval = uint32(in[ip])<<8 | uint32(in[ip+1])
			hval = hval<<8 | uint32(in[ip+2])
			htab.set(lzfIdx(hval), int32(ip)+1)
			ip++
			hval = hval<<8 | uint32(in[ip+2])
			htab.set(lzfIdx(hval), int32(ip)+1)
			ip++
			continue
		}
		if op >= outLen {
			return nil
		}
		lit++
		out[op] = in[ip]
		op, ip = op+1, ip+1
		if lit == lzfMaxLit {
			out[op-lit-1] = byte(lit - 1)
			lit = 0
			op++
		}
	}
	if op+3 > outLen {
		return nil
	}
	for ip < inLen {
		lit++
		out[op] = in[ip]
		op, ip = op+1, ip+1
		if lit == lzfMaxLit {
			out[op-lit-1] = byte(lit - 1)
			lit = 0
			op++
		}
	}
	out[op-lit-1] = byte(lit - 1)
	op -= lzfFlag(lit == 0)
	return out[:op]
}

// lzfMatchLen extends a match of length bytes at ref and ip as lzf_c.c's
// loop does: 16 unchecked steps when more than 16 bytes may match, then
// up to maxlen.
func lzfMatchLen(in []byte, ref, ip, length, maxlen int) int {
	if maxlen > 16 {
		for range 16 {
			length++
			if in[ref+length] != in[ip+length] {
				return length
			}
		}
	}
	for {
		length++
		if !(length < maxlen && in[ref+length] == in[ip+length]) {
			return length
		}
	}
}

// LZFDecompress expands in into exactly outLen bytes; ok is false when in
// is not a valid LZF stream of that length.
func LZFDecompress(in []byte, outLen int) (out []byte, ok bool) {
	out = make([]byte, 0, outLen)
	for ip := 0; ip < len(in); {
		ctrl := int(in[ip])
		ip++
		if ctrl < 1<<5 { // literal run of ctrl+1 bytes
			n := ctrl + 1
			if len(out)+n > outLen || ip+n > len(in) {
				return nil, false
			}
			out = append(out, in[ip:ip+n]...)
			ip += n
			continue
		}
		n := ctrl >> 5
		if n == 7 {
			if ip >= len(in) {
				return nil, false
			}
			n += int(in[ip])
			ip++
		}
		if ip >= len(in) {
			return nil, false
		}
		ref := len(out) - (ctrl&0x1f)<<8 - int(in[ip]) - 1
		ip++
		if n += 2; len(out)+n > outLen || ref < 0 {
			return nil, false
		}
		for i := range n { // may overlap: copy byte by byte
			out = append(out, out[ref+i])
		}
	}
	return out, len(out) == outLen
}

func at(b []byte, i int) byte {
	if i < len(b) {
		return b[i]
	}
	return 0
}

func lzfFlag(b bool) int {
	if b {
		return 1
	}
	return 0
}
