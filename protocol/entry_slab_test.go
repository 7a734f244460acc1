package protocol

import "testing"

// The slices argSlab hands out are disjoint and capacity-limited: an
// append to one never writes into the next; a small entry's arrays stay
// small.
func TestArgSlab(t *testing.T) {
	var s argSlab
	a := s.args(2, 100)
	b := s.args(3, 100)
	a[0], b[0] = []byte("a"), []byte("b")
	a = append(a, []byte("x")) // beyond its capacity: copied, b untouched
	if string(b[0]) != "b" || cap(b) != 3 || len(a) != 3 {
		t.Fatalf("a %q, b %q (cap %d)", a, b, cap(b))
	}
	var small argSlab
	small.args(3, 10)
	if c := cap(small.argBuf); c > 10 {
		t.Fatalf("an entry with 10 bytes left got an array of %d", c)
	}
	big := s.cmds(1000, 5000)
	if len(big) != 1000 || cap(big) != 1000 {
		t.Fatalf("cmds(1000): len %d cap %d", len(big), cap(big))
	}
}
