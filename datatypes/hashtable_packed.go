package datatypes

import (
	"encoding/binary"
	"strings"
)

// The packed form of a small table holds its entries back to back in one
// string, in iteration order: each entry is the key's length as a uvarint,
// the key, then for string values the value's length as a uvarint and the
// value (struct{} values take no bytes). It costs a few bytes of framing
// per entry where the wide form costs two string headers and a heap
// object per string.
//
// The string is never modified: every change builds a new one of exactly
// the size needed. So keys and values handed out are substrings that stay
// valid whatever happens to the table later, a clone can share the
// string, and reads never allocate.

// packMaxLen is the longest key or value a packed table holds, as Redis's
// hash-max-listpack-value: every change rebuilds the packed string, so
// long strings would make each change expensive.
const packMaxLen = 64

// fits reports whether a key or raw value may be packed.
func fits(s string) bool { return len(s) <= packMaxLen }

// canPack reports whether a wide table's entries may all be packed.
func (t *table[V]) canPack() bool {
	if !packable[V]() {
		return false
	}
	for i, k := range t.keys {
		if !fits(k) || !fits(rawOf(t.vals[i])) {
			return false
		}
	}
	return true
}

// packable reports whether tables of V use the packed form when small.
func packable[V any]() bool {
	var zero V
	switch any(zero).(type) {
	case string, struct{}:
		return true
	}
	return false
}

// hasValue reports whether the packed form stores a value per entry.
func hasValue[V any]() bool {
	var zero V
	_, ok := any(zero).(string)
	return ok
}

// rawOf returns the bytes the packed form stores for v.
func rawOf[V any](v V) string {
	if s, ok := any(v).(string); ok {
		return s
	}
	return ""
}

// fromRaw returns the value of V the packed form stored as raw.
func fromRaw[V any](raw string) (v V) {
	if p, ok := any(&v).(*string); ok {
		*p = raw
	}
	return v
}

// readString decodes the length-prefixed string at off in s and returns it
// with the offset after it.
func readString(s string, off int) (string, int) {
	var n uint64
	for shift := 0; ; shift += 7 {
		c := s[off]
		off++
		n |= uint64(c&0x7f) << shift
		if c < 0x80 {
			break
		}
	}
	end := off + int(n)
	return s[off:end], end
}

// uvarintLen returns the encoded size of n as a uvarint.
func uvarintLen(n int) int {
	size := 1
	for ; n >= 0x80; n >>= 7 {
		size++
	}
	return size
}

// writeString appends s with its length prefix to sb.
func writeString(sb *strings.Builder, s string) {
	var buf [binary.MaxVarintLen64]byte
	sb.Write(binary.AppendUvarint(buf[:0], uint64(len(s))))
	sb.WriteString(s)
}

// entrySize returns the packed size of an entry.
func entrySize[V any](key, raw string) int {
	n := uvarintLen(len(key)) + len(key)
	if hasValue[V]() {
		n += uvarintLen(len(raw)) + len(raw)
	}
	return n
}

// writeEntry appends an entry to sb.
func writeEntry[V any](sb *strings.Builder, key, raw string) {
	writeString(sb, key)
	if hasValue[V]() {
		writeString(sb, raw)
	}
}

// entryAt decodes the entry at off: its key, where its value starts, its
// raw value and the offset after it.
func (t *table[V]) entryAt(off int) (key string, valOff int, raw string, end int) {
	key, valOff = readString(t.packed, off)
	if !hasValue[V]() {
		return key, valOff, "", valOff
	}
	raw, end = readString(t.packed, valOff)
	return key, valOff, raw, end
}

// offset returns where entry i starts; i may be npacked (the end).
func (t *table[V]) offset(i int) int {
	off := 0
	for range i {
		_, _, _, off = t.entryAt(off)
	}
	return off
}

// packedAt returns entry i of a packed table.
func (t *table[V]) packedAt(i int) (string, V) {
	key, _, raw, _ := t.entryAt(t.offset(i))
	return key, fromRaw[V](raw)
}

// packedFind returns the index of key in a packed table, or -1.
func (t *table[V]) packedFind(key string) int {
	off := 0
	for i := range int(t.npacked) {
		var k string
		k, _, _, off = t.entryAt(off)
		if k == key {
			return i
		}
	}
	return -1
}

// rebuild sets packed to the concatenation of parts, allocated exactly.
func (t *table[V]) rebuild(size int, parts ...string) {
	var sb strings.Builder
	sb.Grow(size)
	for _, p := range parts {
		sb.WriteString(p)
	}
	t.packed = sb.String()
}

// packedInsert appends an entry to a packed table.
func (t *table[V]) packedInsert(key string, val V) {
	raw := rawOf(val)
	var sb strings.Builder
	sb.Grow(len(t.packed) + entrySize[V](key, raw))
	sb.WriteString(t.packed)
	writeEntry[V](&sb, key, raw)
	t.packed = sb.String()
	t.npacked++
}

// packedRemoveAt removes entry i of a packed table, moving the last entry
// into its place.
func (t *table[V]) packedRemoveAt(i int) {
	start := t.offset(i)
	_, _, _, end := t.entryAt(start)
	last := end // where the last entry starts, if it is not entry i
	if i != int(t.npacked)-1 {
		last = t.offset(int(t.npacked) - 1)
	}
	t.npacked--
	if t.npacked == 0 {
		t.packed = ""
		return
	}
	p := t.packed
	t.rebuild(len(p)-(end-start), p[:start], p[last:], p[end:last])
}

// packedSetVal replaces the value of entry i of a packed table.
func (t *table[V]) packedSetVal(i int, val V) {
	if !hasValue[V]() {
		return
	}
	_, valOff, _, end := t.entryAt(t.offset(i))
	raw := rawOf(val)
	var sb strings.Builder
	sb.Grow(len(t.packed) - (end - valOff) + uvarintLen(len(raw)) + len(raw))
	sb.WriteString(t.packed[:valOff])
	writeString(&sb, raw)
	sb.WriteString(t.packed[end:])
	t.packed = sb.String()
}

// unpack converts a packed table to the wide form, copying each key and
// value so that they do not keep the packed string alive.
func (t *table[V]) unpack() {
	w := &wide[V]{keys: make([]string, 0, t.npacked), vals: make([]V, 0, t.npacked)}
	for k, v := range t.all() {
		w.keys = append(w.keys, strings.Clone(k))
		w.vals = append(w.vals, fromRaw[V](strings.Clone(rawOf(v))))
	}
	t.packed, t.npacked, t.wide = "", 0, w
}

// pack converts a wide table to the packed form.
func (t *table[V]) pack() {
	size := 0
	for i, k := range t.keys {
		size += entrySize[V](k, rawOf(t.vals[i]))
	}
	var sb strings.Builder
	sb.Grow(size)
	for i, k := range t.keys {
		writeEntry[V](&sb, k, rawOf(t.vals[i]))
	}
	t.packed, t.npacked, t.wide = sb.String(), int32(len(t.keys)), nil
}
