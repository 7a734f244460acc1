package datatypes

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// refTable is the unpacked reference for the table semantics: insertion
// order, removal moving the last entry into the hole.
type refTable struct {
	keys, vals []string
}

func (r *refTable) find(k string) int { return slices.Index(r.keys, k) }

func (r *refTable) insert(k, v string) {
	r.keys, r.vals = append(r.keys, k), append(r.vals, v)
}

func (r *refTable) removeAt(i int) {
	last := len(r.keys) - 1
	r.keys[i], r.vals[i] = r.keys[last], r.vals[last]
	r.keys, r.vals = r.keys[:last], r.vals[:last]
}

// packedKey returns a key for op: short, empty, or too long to pack.
func packedKey(r *rand.Rand, space int) string {
	k := fmt.Sprint("k", r.IntN(space))
	switch r.IntN(10) {
	case 0:
		return ""
	case 1:
		return k + strings.Repeat("x", packMaxLen)
	}
	return k
}

func packedVal(r *rand.Rand, op int) string {
	switch r.IntN(8) {
	case 0:
		return ""
	case 1:
		return strings.Repeat("v", packMaxLen-5+r.IntN(200))
	}
	return fmt.Sprint(op)
}

// sameAsRef fails unless t holds exactly ref's entries in ref's order, in
// the form its length calls for.
func sameAsRef(tb testing.TB, t *table[string], ref *refTable) {
	tb.Helper()
	if !slices.Equal(keysOf(t), ref.keys) || !slices.Equal(valsOf(t), ref.vals) {
		tb.Fatalf("table %q=%q, reference %q=%q", keysOf(t), valsOf(t), ref.keys, ref.vals)
	}
	for i, k := range ref.keys {
		if t.find(k) != i || t.key(i) != k || t.val(i) != ref.vals[i] {
			tb.Fatalf("entry %d %q: find %d, key %q, val %q", i, k, t.find(k), t.key(i), t.val(i))
		}
	}
	if (t.wide == nil) != wantPacked(ref) || t.indexed() != (t.Len() > smallMax) {
		tb.Fatalf("packed=%v indexed=%v at len %d", t.wide == nil, t.indexed(), t.Len())
	}
	if t.wide == nil && len(t.packed) != packedSize(ref) {
		tb.Fatalf("packed holds %d bytes, entries need %d", len(t.packed), packedSize(ref))
	}
}

// wantPacked reports whether a table with ref's entries should be packed:
// small, and no key or value longer than packMaxLen.
func wantPacked(ref *refTable) bool {
	if len(ref.keys) > smallMax {
		return false
	}
	for i, k := range ref.keys {
		if len(k) > packMaxLen || len(ref.vals[i]) > packMaxLen {
			return false
		}
	}
	return true
}

func packedSize(ref *refTable) int {
	n := 0
	for i, k := range ref.keys {
		n += entrySize[string](k, ref.vals[i])
	}
	return n
}

func TestPackedTableAgainstReference(t *testing.T) {
	for _, tc := range []struct {
		name      string
		ops, keys int
	}{
		{"packedOnly", 2000, 12},
		{"aroundThreshold", 5000, 20},
		{"mostlyWide", 5000, 60},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seed := rand.Uint64()
			t.Logf("seed %d", seed)
			r := rand.New(rand.NewPCG(seed, 0))
			var tab table[string]
			var ref refTable
			for op := range tc.ops {
				k := packedKey(r, tc.keys)
				i := tab.find(k)
				if i != ref.find(k) {
					t.Fatalf("op %d: find %q = %d, reference %d", op, k, i, ref.find(k))
				}
				switch {
				case i >= 0 && r.IntN(2) == 0:
					tab.removeAt(i)
					ref.removeAt(i)
				case i >= 0:
					v := packedVal(r, op)
					tab.setVal(i, v)
					ref.vals[i] = v
				default:
					v := packedVal(r, op)
					tab.insert(k, v)
					ref.insert(k, v)
				}
				sameAsRef(t, &tab, &ref)
			}
		})
	}
}

func TestPackedSetAgainstReference(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 0))
	var tab table[struct{}]
	var ref refTable
	for op := range 5000 {
		k := packedKey(r, 20)
		switch i := tab.find(k); {
		case i != ref.find(k):
			t.Fatalf("op %d: find %q = %d, reference %d", op, k, i, ref.find(k))
		case i >= 0:
			tab.removeAt(i)
			ref.removeAt(i)
		default:
			tab.insert(k, struct{}{})
			ref.insert(k, "")
		}
		if !slices.Equal(keysOf(&tab), ref.keys) || (tab.wide == nil) != wantPacked(&ref) {
			t.Fatalf("op %d: set %q (packed %v), reference %q", op, keysOf(&tab), tab.wide == nil, ref.keys)
		}
		if tab.wide == nil && len(tab.packed) != packedSize(&ref)-len(ref.keys) {
			t.Fatalf("op %d: packed holds %d bytes for %q", op, len(tab.packed), ref.keys)
		}
	}
}

func TestPackedConversionAtThreshold(t *testing.T) {
	for _, tc := range []struct {
		name   string
		remove int // entry removed after growing past smallMax
	}{
		{"removeFirst", 0},
		{"removeMiddle", smallMax / 2},
		{"removeLast", smallMax},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var tab table[string]
			var ref refTable
			for i := range smallMax + 1 {
				k, v := fmt.Sprint("f", i), fmt.Sprint("v", i)
				tab.insert(k, v)
				ref.insert(k, v)
				if (tab.wide == nil) != (i < smallMax) || tab.indexed() != (i == smallMax) {
					t.Fatalf("after %d inserts: packed %v, indexed %v", i+1, tab.wide == nil, tab.indexed())
				}
			}
			sameAsRef(t, &tab, &ref)
			tab.removeAt(tc.remove)
			ref.removeAt(tc.remove)
			if tab.wide != nil {
				t.Fatal("table did not pack on shrinking to smallMax")
			}
			sameAsRef(t, &tab, &ref)
		})
	}
}

func TestPackedFloatTableStaysWide(t *testing.T) {
	var tab table[float64]
	tab.insert("a", 1.5)
	tab.insert("b", -2)
	tab.setVal(0, 3)
	if tab.wide == nil || tab.indexed() || tab.val(0) != 3 || tab.val(1) != -2 || tab.key(1) != "b" {
		t.Fatalf("float table: wide %v, %v", tab.wide != nil, valsOf(&tab))
	}
}

func TestPackedStringsSurviveMutation(t *testing.T) {
	var tab table[string]
	for i := range 10 {
		tab.insert(fmt.Sprint("key", i), fmt.Sprint("val", i))
	}
	k, v := tab.key(3), tab.val(3)
	c := tab.clone()
	tab.setVal(3, "other")
	tab.removeAt(3)
	tab.insert("new", "x")
	c.removeAt(0)
	if k != "key3" || v != "val3" {
		t.Fatalf("returned strings changed to %q=%q", k, v)
	}
	if c.Len() != 9 || c.key(0) != "key9" || tab.key(3) != "key9" {
		t.Fatalf("clone %q, table %q", keysOf(&c), keysOf(&tab))
	}
}

func TestPackedReadsDoNotAllocate(t *testing.T) {
	h := NewHash()
	s := NewSet()
	for i := range 10 {
		h.Set(fmt.Sprint("field", i), fmt.Sprint("value", i))
		s.Add(fmt.Sprint("member", i))
	}
	for _, tc := range []struct {
		name string
		read func()
	}{
		{"hashGet", func() { h.Get("field7") }},
		{"hashMiss", func() { h.Get("nope") }},
		{"hashAt", func() { h.At(9) }},
		{"hashScan", func() { h.Scan(0, 10, func(string, string) {}) }},
		{"setHas", func() { s.Has("member5") }},
		{"setAt", func() { s.At(4) }},
		{"setScan", func() { s.Scan(0, 10, func(string) {}) }},
		{"encode", func() { h.AppendEncoded(make([]byte, 0, 512)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			allowed := 0.0
			if tc.name == "encode" {
				allowed = 1 // the buffer itself
			}
			if n := testing.AllocsPerRun(100, tc.read); n > allowed {
				t.Fatalf("%v allocations", n)
			}
		})
	}
}

// refEncoding is a hash's encoding as written before the packed form:
// tag, count, then each field and value length-prefixed.
func refEncoding(ref *refTable) []byte {
	b := []byte{tagHash}
	b = binary.AppendUvarint(b, uint64(len(ref.keys)))
	for i, k := range ref.keys {
		b = appendString(appendString(b, k), ref.vals[i])
	}
	return b
}

func TestPackedHashEncoding(t *testing.T) {
	for _, tc := range []struct {
		name    string
		n, drop int
	}{
		{"empty", 0, 0},
		{"small", 10, 3},
		{"threshold", smallMax, 0},
		{"shrunkToPacked", smallMax + 1, 1},
		{"wide", 40, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := NewHash()
			var ref refTable
			for i := range tc.n {
				k, v := fmt.Sprint("f", i), strings.Repeat("v", i%4*20)
				h.Set(k, v)
				ref.insert(k, v)
			}
			for i := range tc.drop {
				k := fmt.Sprint("f", i*2)
				h.Delete(k)
				ref.removeAt(ref.find(k))
			}
			enc := h.AppendEncoded(nil)
			if want := refEncoding(&ref); !slices.Equal(enc, want) {
				t.Fatalf("encoding %x, want %x", enc, want)
			}
			v, err := DecodeValue(enc)
			if err != nil {
				t.Fatal(err)
			}
			if again := v.AppendEncoded(nil); !slices.Equal(again, enc) {
				t.Fatalf("re-encoding %x, want %x", again, enc)
			}
		})
	}
}

func TestPackedStringFraming(t *testing.T) {
	for _, tc := range []struct {
		name string
		size int
	}{
		{"empty", 0},
		{"oneByteLength", 127},
		{"twoByteLength", 128},
		{"threeByteLength", 20000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := strings.Repeat("a", tc.size)
			var sb strings.Builder
			writeString(&sb, s)
			writeString(&sb, "z")
			enc := sb.String()
			if len(enc) != uvarintLen(tc.size)+tc.size+2 {
				t.Fatalf("encoded %d bytes", len(enc))
			}
			got, off := readString(enc, 0)
			if got != s {
				t.Fatalf("read %d bytes back", len(got))
			}
			if z, end := readString(enc, off); z != "z" || end != len(enc) {
				t.Fatalf("next string %q ends at %d", z, end)
			}
		})
	}
}
