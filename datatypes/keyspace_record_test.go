package datatypes

import (
	"slices"
	"testing"
)

type keyRec struct {
	keys    []string
	flushed int
}

func (r *keyRec) Modified(key string) { r.keys = append(r.keys, key) }
func (r *keyRec) Flushed()            { r.flushed++ }

// Every write path tells the recorder the keys it changes; reads and a
// change Redis does not signal tell nothing.
func TestRecorderHearsWrites(t *testing.T) {
	ks := NewKeyspace()
	ks.Set("a", String("1"), 0)
	ks.Set("b", String("2"), 10)
	r := &keyRec{}
	ks.Record(r)
	steps := []struct {
		name string
		do   func()
		want []string
	}{
		{"set", func() { ks.Set("c", String("3"), 0) }, []string{"c"}},
		{"lookup", func() { ks.Lookup("a", 0) }, nil},
		{"mutable", func() { ks.Mutable(ks.Lookup("a", 0)) }, []string{"a"}},
		{"unstamped", func() { ks.MutableUnstamped(ks.Lookup("a", 0)) }, nil},
		{"expire", func() { ks.SetExpire(ks.Lookup("a", 0), 50) }, []string{"a"}},
		{"delete", func() { ks.Delete("c") }, []string{"c"}},
		{"delete missing", func() { ks.Delete("zz") }, nil},
		{"rename", func() { ks.Rename(ks.Lookup("a", 0), "d") }, []string{"a", "d"}},
		{"lazy expire", func() { ks.LookupWrite("b", 11) }, []string{"b"}},
	}
	for _, st := range steps {
		r.keys = nil
		st.do()
		got := slices.Clone(r.keys)
		slices.Sort(got)
		want := slices.Clone(st.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: recorded %q, want %q", st.name, r.keys, st.want)
		}
	}
	ks.Flush()
	if r.flushed != 1 {
		t.Fatalf("Flush told %d times", r.flushed)
	}
	ks.Record(nil)
	ks.Set("e", String("5"), 0)
	if slices.Contains(r.keys, "e") {
		t.Fatal("recorded after Record(nil)")
	}
}
