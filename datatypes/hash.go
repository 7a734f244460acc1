package datatypes

import "encoding/binary"

// Hash is a hash value: fields mapped to values.
//
// Fields iterate in insertion order, except that deleting a field moves the
// last field into its place (see table); the order depends only on the
// operations applied. The zero Hash is empty and ready to use.
type Hash struct {
	// t.big records that the hash outgrew Redis's listpack encoding (see
	// Outgrow): Redis never converts back when it shrinks.
	t table[string]
}

// NewHash returns an empty hash.
func NewHash() *Hash { return &Hash{} }

// Kind reports KindHash.
func (h *Hash) Kind() Kind { return KindHash }

// Clone returns a deep copy.
func (h *Hash) Clone() Value { return &Hash{t: h.t.clone()} }

// Len returns the number of fields.
func (h *Hash) Len() int { return h.t.Len() }

// Get returns the value of field.
func (h *Hash) Get(field string) (string, bool) {
	if i := h.t.find(field); i >= 0 {
		return h.t.val(i), true
	}
	return "", false
}

// Has reports whether field exists.
func (h *Hash) Has(field string) bool { return h.t.find(field) >= 0 }

// Set sets field to value and reports whether field is new. The hash keeps
// both strings: they must not alias memory that changes later.
func (h *Hash) Set(field, value string) bool {
	if i := h.t.find(field); i >= 0 {
		h.t.setVal(i, value)
		return false
	}
	h.t.insert(field, value)
	return true
}

// Delete removes field and reports whether it existed.
func (h *Hash) Delete(field string) bool {
	i := h.t.find(field)
	if i < 0 {
		return false
	}
	h.t.removeAt(i)
	return true
}

// At returns the i'th field and value in iteration order, 0 <= i < Len().
func (h *Hash) At(i int) (field, value string) { return h.t.key(i), h.t.val(i) }

// Scan calls fn for a batch of fields and returns the cursor of the next
// batch, 0 when done; count (at least 1) is the batch size hint. A scan from
// cursor 0 to 0 visits every field present throughout it at least once. fn
// must not modify the hash.
func (h *Hash) Scan(cursor uint64, count int, fn func(field, value string)) uint64 {
	return h.t.scan(cursor, max(count, 1), func(i int) { fn(h.t.key(i), h.t.val(i)) })
}

// AppendEncoded appends tagHash (tagHashBig once big), the field count and each field and value
// in iteration order, so decoding restores the same order.
func (h *Hash) AppendEncoded(b []byte) []byte {
	b = append(b, ifByte(h.t.big, tagHashBig, tagHash))
	b = binary.AppendUvarint(b, uint64(h.Len()))
	for k, v := range h.t.all() {
		b = appendString(appendString(b, k), v)
	}
	return b
}

// decodeHash reads what AppendEncoded wrote after the tag.
func decodeHash(d *decoder) (Value, error) {
	n := tableLen(d)
	h := NewHash()
	for range n {
		k, v := string(d.bytes()), string(d.bytes())
		if d.err == nil && !h.Set(k, v) {
			d.err = errCorrupt
		}
	}
	if err := d.finish(); err != nil {
		return nil, err
	}
	return h, nil
}

// tableLen reads an entry count, refusing one larger than the bytes left
// (every entry takes at least one byte), so corrupt input cannot force a
// huge loop.
func tableLen(d *decoder) int {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.err = errCorrupt
		return 0
	}
	return int(n)
}
