package datatypes

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// chunkCounts is how many elements each of l's chunks holds.
func chunkCounts(l *List) []int {
	var out []int
	for _, c := range l.chunks() {
		out = append(out, c.count())
	}
	return out
}

// TestPushBackAll: appending a batch gives the same list, chunk for
// chunk, as appending its elements one by one, and a batch that fills
// a fresh chunk leaves no spare room in it.
func TestPushBackAll(t *testing.T) {
	mk := func(n, size int) [][]byte {
		out := make([][]byte, n)
		for i := range out {
			out[i] = append(elem(i), strings.Repeat("x", size)...)
		}
		return out
	}
	cases := []struct {
		name   string
		before [][]byte // pushed one by one first
		batch  [][]byte
	}{
		{"empty list, 100 small", nil, mk(100, 8)},
		{"empty list, 300 small", nil, mk(300, 0)},
		{"after 50, 100 small", mk(50, 3), mk(100, 8)},
		{"big elements", mk(1, 0), mk(5, maxChunkBytes+1)},
		{"half-chunk elements", nil, mk(7, maxChunkBytes/2)},
		{"one element", mk(127, 0), mk(1, 0)},
		{"empty elements", nil, mk(3, 0)[:0:0]},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			one, all := NewList(), NewList()
			for _, e := range tc.before {
				one.PushBack(e)
				all.PushBack(e)
			}
			for _, e := range tc.batch {
				one.PushBack(e)
			}
			all.PushBackAll(tc.batch)
			checkList(t, all, one.all())
			if a, b := chunkCounts(all), chunkCounts(one); !slices.Equal(a, b) {
				t.Fatalf("chunks %v, one by one %v", a, b)
			}
			for i, x := range all.all() {
				if !bytes.Equal(x, one.all()[i]) {
					t.Fatalf("element %d differs", i)
				}
			}
		})
	}
	l := NewList()
	l.PushBackAll(mk(100, 8))
	c := l.chunks()[0]
	if cap(c.off) > len(c.off)+8 || cap(c.buf) > len(c.buf)+len(c.buf)/8 {
		t.Errorf("one RPUSH of 100: buf %d/%d, off %d/%d (len/cap): want no spare room", len(c.buf), cap(c.buf), len(c.off), cap(c.off))
	}
}
