package datatypes

import (
	"fmt"
	"strings"
	"testing"
)

// TestObjectEncoding: each value reports Redis 7.0's encoding by its
// content and the limits (cases checked against redis-server 7.0.15).
func TestObjectEncoding(t *testing.T) {
	hash := func(kv ...string) *Hash {
		h := &Hash{}
		for i := 0; i < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return h
	}
	set := func(ms ...string) *Set {
		s := &Set{}
		for _, m := range ms {
			s.Add(m)
		}
		return s
	}
	zset := func(ms ...string) *ZSet {
		z := NewZSet()
		for i, m := range ms {
			z.Set(m, float64(i))
		}
		return z
	}
	small := DefaultEncodingLimits
	small.HashEntries, small.SetIntsetEntries, small.ZSetEntries, small.HashValue, small.ZSetValue = 1, 1, 1, 2, 2
	long := strings.Repeat("x", 65)
	for _, tc := range []struct {
		v    Value
		lim  EncodingLimits
		want string
	}{
		{String("123"), DefaultEncodingLimits, "int"},
		{String("-9223372036854775808"), DefaultEncodingLimits, "int"},
		{String("9223372036854775808"), DefaultEncodingLimits, "embstr"},
		{String("0123"), DefaultEncodingLimits, "embstr"},
		{String("-0"), DefaultEncodingLimits, "embstr"},
		{String("+1"), DefaultEncodingLimits, "embstr"},
		{String("1a"), DefaultEncodingLimits, "embstr"},
		{String(""), DefaultEncodingLimits, "embstr"},
		{String(strings.Repeat("a", 44)), DefaultEncodingLimits, "embstr"},
		{String(strings.Repeat("a", 45)), DefaultEncodingLimits, "raw"},
		{NewHLL(), DefaultEncodingLimits, "raw"},
		{&List{}, DefaultEncodingLimits, "quicklist"},
		{hash("f", "v"), DefaultEncodingLimits, "listpack"},
		{hash("f", long), DefaultEncodingLimits, "hashtable"},
		{hash(long, "v"), DefaultEncodingLimits, "hashtable"},
		{hash("a", "1", "b", "2"), small, "hashtable"},
		{hash("abc", "1"), small, "hashtable"},
		{set("1", "-2"), DefaultEncodingLimits, "intset"},
		{set("1", "x"), DefaultEncodingLimits, "hashtable"},
		{set("01"), DefaultEncodingLimits, "hashtable"},
		{set("9223372036854775808"), DefaultEncodingLimits, "hashtable"},
		{set("1", "2"), small, "hashtable"},
		{zset("a"), DefaultEncodingLimits, "listpack"},
		{zset("a", long), DefaultEncodingLimits, "skiplist"},
		{zset("a", "b"), small, "skiplist"},
		{zset("abc"), small, "skiplist"},
	} {
		if got := ObjectEncoding(tc.v, tc.lim); got != tc.want {
			t.Errorf("ObjectEncoding(%T %s) = %q, want %q", tc.v, fmt.Sprint(tc.v), got, tc.want)
		}
	}
}

// TestZSetOutgrowSticky: a sorted set converted by configured limits stays
// a skiplist when it shrinks back, as in Redis.
func TestZSetOutgrowSticky(t *testing.T) {
	lim := DefaultEncodingLimits
	lim.ZSetEntries = 1
	z := NewZSet()
	for _, m := range []string{"a", "b"} {
		z.Set(m, 1)
		z.Outgrow(len(m), lim)
	}
	z.Remove("b")
	if got := ObjectEncoding(z, lim); got != "skiplist" {
		t.Fatalf("after shrinking: %q, want skiplist", got)
	}
}

// TestIsSharedInt: Redis shares the integers 0..9999.
func TestIsSharedInt(t *testing.T) {
	for s, want := range map[string]bool{"0": true, "9999": true, "10000": false, "-1": false, "": false, "01": false, "1a": false} {
		if got := IsSharedInt([]byte(s)); got != want {
			t.Errorf("IsSharedInt(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestQuicklistEstimate: the ql_* figures redis-server 7.0.15 printed for
// lists built by RPUSH.
func TestQuicklistEstimate(t *testing.T) {
	list := func(n int, f func(i int) string) *List {
		l := &List{}
		for i := range n {
			l.PushBack([]byte(f(i)))
		}
		return l
	}
	for _, tc := range []struct {
		l           *List
		fill        int64
		nodes, size int
	}{
		{list(3, func(i int) string { return string(rune('a' + i)) }), -2, 1, 16},
		{list(12, func(i int) string { return string(rune('a' + i)) }), 5, 3, 57},
		{list(1000, func(i int) string { return fmt.Sprintf("elem%d-abcdef", i+1) }), -2, 2, 15907},
		{list(1000, func(i int) string { return fmt.Sprintf("elem%d-abcdef", i+1) }), -1, 4, 15921},
	} {
		q := tc.l.Quicklist(tc.fill)
		if q.Nodes != tc.nodes || q.UncompressedSize != tc.size {
			t.Errorf("%d elements, fill %d: %+v, want %d nodes, %d bytes", tc.l.Len(), tc.fill, q, tc.nodes, tc.size)
		}
	}
}

// TestOutgrowSticky: a hash or set that outgrew its compact encoding keeps
// reporting hashtable after shrinking, through Clone and the snapshot
// encoding, as Redis keeps it.
func TestOutgrowSticky(t *testing.T) {
	lim := DefaultEncodingLimits
	lim.HashEntries, lim.SetIntsetEntries = 1, 1
	h, s := NewHash(), NewSet()
	for _, m := range []string{"1", "2"} {
		h.Set(m, m)
		h.Outgrow(m, m, lim)
		s.Add(m)
		s.Outgrow(m, lim)
	}
	h.Delete("2")
	s.Remove("2")
	for _, v := range []Value{h, s} {
		dec, err := DecodeValue(v.AppendEncoded(nil))
		if err != nil {
			t.Fatal(err)
		}
		for what, x := range map[string]Value{"value": v, "clone": v.Clone(), "decoded": dec} {
			if got := ObjectEncoding(x, DefaultEncodingLimits); got != "hashtable" {
				t.Errorf("%T %s after shrinking: %q, want hashtable", v, what, got)
			}
		}
	}
	small := NewSet()
	small.Add("1")
	small.Outgrow("1", DefaultEncodingLimits)
	if dec, _ := DecodeValue(small.AppendEncoded(nil)); ObjectEncoding(dec, DefaultEncodingLimits) != "intset" {
		t.Errorf("a small set decodes as %q", ObjectEncoding(dec, DefaultEncodingLimits))
	}
}
