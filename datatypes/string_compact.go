package datatypes

import (
	"strings"
	"unsafe"
)

// A small string value and its key in one allocation, without the
// 24-byte slice header a String costs once boxed in the Value interface.
//
// The allocation holds the key's bytes, one length byte, then the value's
// bytes. The entry's Key aliases the first part; the value is a
// compactString, a single pointer to the length byte, which the Value
// interface holds directly (a pointer-shaped type is not boxed). A SET of
// a 10-byte key and a 12-byte value so costs one 24-byte allocation where
// a String costs three (the key's 16 bytes, the header's 24, the value's
// 16).
//
// A compactString is never changed: Keyspace.Mutable turns it into a
// plain String first, so handlers that edit strings in place (APPEND,
// SETRANGE, SETBIT) still see a String.

// maxCompactString is the longest value stored compactly: its length
// must fit the one length byte.
const maxCompactString = 255

// compactString is a string value stored after its key; p points at its
// length byte, which the value's bytes follow.
type compactString struct{ p *byte }

var _ StringValue = compactString{}

// newCompact returns key and value copied into one allocation: the key
// aliasing it and the value pointing into it. len(val) must be at most
// maxCompactString.
func newCompact(key string, val []byte) (string, compactString) {
	buf := make([]byte, len(key)+1+len(val))
	copy(buf, key)
	buf[len(key)] = byte(len(val))
	copy(buf[len(key)+1:], val)
	return unsafe.String(&buf[0], len(key)), compactString{&buf[len(key)]}
}

// Kind reports KindString.
func (s compactString) Kind() Kind { return KindString }

// Bytes returns the value's bytes, with no spare capacity. The caller must
// not modify them.
func (s compactString) Bytes() []byte {
	n := int(*s.p)
	if n == 0 {
		return []byte{}
	}
	return unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(s.p), 1)), n)
}

// Clone returns a plain String copy (a compactString is never changed in
// place, so a copy is made only where one will be).
func (s compactString) Clone() Value { return String(append([]byte(nil), s.Bytes()...)) }

// AppendEncoded appends the same encoding as a String with the same bytes.
func (s compactString) AppendEncoded(b []byte) []byte {
	return appendBytes(append(b, tagString), s.Bytes())
}

// PlainBytes returns the bytes of a plain string value (a String, or one
// stored compactly), and false for any other value, such as a HyperLogLog,
// whose Bytes are an encoding built on each call.
func PlainBytes(v Value) ([]byte, bool) {
	switch v := v.(type) {
	case String:
		return v, true
	case compactString:
		return v.Bytes(), true
	}
	return nil, false
}

// SetString stores a copy of val as the plain string at a copy of key
// with the given absolute expiry (0 for none), replacing any previous
// value: key and val may alias memory the caller reuses. A small value
// is kept with its key in one allocation (compactString).
func (ks *Keyspace) SetString(key string, val []byte, expireAt int64) {
	if len(val) > maxCompactString {
		ks.set(strings.Clone(key), String(append([]byte(nil), val...)), expireAt, true)
		return
	}
	k, v := newCompact(key, val)
	ks.set(k, v, expireAt, true)
}
