package datatypes

import (
	"bytes"
	"fmt"
	"testing"
)

func hashOf(pairs ...string) *Hash {
	h := NewHash()
	for i := 0; i < len(pairs); i += 2 {
		h.Set(pairs[i], pairs[i+1])
	}
	return h
}

func hashPairs(h *Hash) []string {
	var out []string
	for i := range h.Len() {
		f, v := h.At(i)
		out = append(out, f, v)
	}
	return out
}

func TestHashOperations(t *testing.T) {
	h := NewHash()
	steps := []struct {
		name string
		do   func() bool
		want bool
	}{
		{"set new", func() bool { return h.Set("a", "1") }, true},
		{"set again", func() bool { return h.Set("a", "2") }, false},
		{"set second", func() bool { return h.Set("b", "3") }, true},
		{"has", func() bool { return h.Has("a") }, true},
		{"has missing", func() bool { return h.Has("z") }, false},
		{"get updated", func() bool { v, ok := h.Get("a"); return ok && v == "2" }, true},
		{"get missing", func() bool { _, ok := h.Get("z"); return ok }, false},
		{"delete", func() bool { return h.Delete("a") }, true},
		{"delete again", func() bool { return h.Delete("a") }, false},
		{"last moved", func() bool { f, v := h.At(0); return f == "b" && v == "3" }, true},
	}
	for _, s := range steps {
		if got := s.do(); got != s.want {
			t.Errorf("%s: got %v, want %v", s.name, got, s.want)
		}
	}
	if h.Len() != 1 || h.Kind() != KindHash {
		t.Errorf("len %d kind %v", h.Len(), h.Kind())
	}
}

func TestHashEncodingRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 16, 17, 1000} {
		t.Run(fmt.Sprint("fields=", n), func(t *testing.T) {
			h := NewHash()
			for i := range n {
				h.Set(fmt.Sprint("f", i), fmt.Sprint("v", i))
			}
			for i := 0; i < n; i += 3 {
				h.Delete(fmt.Sprint("f", i))
			}
			enc := h.AppendEncoded(nil)
			v, err := DecodeValue(enc)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(v.AppendEncoded(nil), enc) {
				t.Fatal("decoded hash encodes differently")
			}
			if fmt.Sprint(hashPairs(v.(*Hash))) != fmt.Sprint(hashPairs(h)) {
				t.Fatal("decoded hash iterates differently")
			}
			sameDigest(t, h, v)
		})
	}
}

// sameDigest stores a and b under the same key in two keyspaces, round-trips
// b's keyspace through a snapshot and expects equal digests.
func sameDigest(t *testing.T, a, b Value) {
	t.Helper()
	ka, kb := NewKeyspace(), NewKeyspace()
	ka.Set("k", a, 0)
	kb.Set("k", b, 0)
	var buf bytes.Buffer
	if _, err := kb.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	kc, err := ReadKeyspace(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if ka.Digest() != kb.Digest() || ka.Digest() != kc.Digest() {
		t.Fatalf("digests differ: %s %s %s", ka.Digest(), kb.Digest(), kc.Digest())
	}
}

func TestHashCloneIsDeep(t *testing.T) {
	h := hashOf("a", "1", "b", "2")
	c := h.Clone().(*Hash)
	c.Set("a", "x")
	c.Delete("b")
	c.Set("c", "3")
	if got := fmt.Sprint(hashPairs(h)); got != "[a 1 b 2]" {
		t.Fatalf("original changed: %s", got)
	}
}

func TestDecodeCorruptCollections(t *testing.T) {
	for _, tc := range []struct {
		name string
		enc  []byte
	}{
		{"hash truncated", []byte{tagHash, 1, 1, 'a'}},
		{"hash duplicate field", []byte{tagHash, 2, 1, 'a', 1, '1', 1, 'a', 1, '2'}},
		{"hash huge count", []byte{tagHash, 0xff, 0xff, 0xff, 0xff, 0x0f}},
		{"hash trailing bytes", []byte{tagHash, 0, 'x'}},
		{"set truncated", []byte{tagSet, 2, 1, 'a'}},
		{"set duplicate member", []byte{tagSet, 2, 1, 'a', 1, 'a'}},
		{"set huge count", []byte{tagSet, 0xff, 0xff, 0xff, 0xff, 0x0f}},
		{"set missing count", []byte{tagSet}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if v, err := DecodeValue(tc.enc); err == nil {
				t.Fatalf("decoded %v", v)
			}
		})
	}
}
