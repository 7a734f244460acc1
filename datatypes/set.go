package datatypes

import "encoding/binary"

// Set is a set value: distinct string members.
//
// Members iterate in insertion order, except that removing a member moves
// the last member into its place (see table); the order depends only on the
// operations applied. The zero Set is empty and ready to use.
type Set struct {
	// t.big records that the set outgrew Redis's intset encoding (see
	// Outgrow): Redis never converts back when it shrinks.
	t table[struct{}]
}

// NewSet returns an empty set.
func NewSet() *Set { return &Set{} }

// Kind reports KindSet.
func (s *Set) Kind() Kind { return KindSet }

// Clone returns a deep copy.
func (s *Set) Clone() Value { return &Set{t: s.t.clone()} }

// Len returns the number of members.
func (s *Set) Len() int { return s.t.Len() }

// Has reports whether m is a member.
func (s *Set) Has(m string) bool { return s.t.find(m) >= 0 }

// Add adds m and reports whether it was new. The set keeps m: it must not
// alias memory that changes later.
func (s *Set) Add(m string) bool {
	if s.t.find(m) >= 0 {
		return false
	}
	s.t.insert(m, struct{}{})
	return true
}

// Remove removes m and reports whether it was a member.
func (s *Set) Remove(m string) bool {
	i := s.t.find(m)
	if i < 0 {
		return false
	}
	s.t.removeAt(i)
	return true
}

// At returns the i'th member in iteration order, 0 <= i < Len().
func (s *Set) At(i int) string { return s.t.key(i) }

// RemoveAt removes and returns the i'th member, moving the last member
// into its place.
func (s *Set) RemoveAt(i int) string {
	m := s.t.key(i)
	s.t.removeAt(i)
	return m
}

// Scan calls fn for a batch of members and returns the cursor of the next
// batch, 0 when done; count (at least 1) is the batch size hint. A scan from
// cursor 0 to 0 visits every member present throughout it at least once. fn
// must not modify the set.
func (s *Set) Scan(cursor uint64, count int, fn func(member string)) uint64 {
	return s.t.scan(cursor, max(count, 1), func(i int) { fn(s.t.key(i)) })
}

// AppendEncoded appends tagSet (tagSetBig once big), the member count and each member in
// iteration order, so decoding restores the same order.
func (s *Set) AppendEncoded(b []byte) []byte {
	b = append(b, ifByte(s.t.big, tagSetBig, tagSet))
	b = binary.AppendUvarint(b, uint64(s.Len()))
	for m := range s.t.all() {
		b = appendString(b, m)
	}
	return b
}

// decodeSet reads what AppendEncoded wrote after the tag.
func decodeSet(d *decoder) (Value, error) {
	n := tableLen(d)
	s := NewSet()
	for range n {
		m := string(d.bytes())
		if d.err == nil && !s.Add(m) {
			d.err = errCorrupt
		}
	}
	if err := d.finish(); err != nil {
		return nil, err
	}
	return s, nil
}
