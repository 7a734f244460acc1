package datatypes

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
)

func setMembers(s *Set) []string {
	out := make([]string, s.Len())
	for i := range out {
		out[i] = s.At(i)
	}
	return out
}

func TestSetOperations(t *testing.T) {
	s := NewSet()
	steps := []struct {
		name string
		do   func() bool
		want bool
	}{
		{"add new", func() bool { return s.Add("a") }, true},
		{"add again", func() bool { return s.Add("a") }, false},
		{"add more", func() bool { return s.Add("b") && s.Add("c") }, true},
		{"has", func() bool { return s.Has("b") }, true},
		{"has missing", func() bool { return s.Has("z") }, false},
		{"remove", func() bool { return s.Remove("a") }, true},
		{"remove again", func() bool { return s.Remove("a") }, false},
		{"last moved", func() bool { return slices.Equal(setMembers(s), []string{"c", "b"}) }, true},
		{"remove at", func() bool { return s.RemoveAt(1) == "b" && s.Len() == 1 }, true},
	}
	for _, st := range steps {
		if got := st.do(); got != st.want {
			t.Errorf("%s: got %v, want %v", st.name, got, st.want)
		}
	}
	if s.Kind() != KindSet {
		t.Errorf("kind %v", s.Kind())
	}
}

func TestSetEncodingRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 16, 17, 2000} {
		t.Run(fmt.Sprint("members=", n), func(t *testing.T) {
			s := NewSet()
			for i := range n {
				s.Add(fmt.Sprint(i))
			}
			for i := 0; i < n; i += 4 {
				s.Remove(fmt.Sprint(i))
			}
			enc := s.AppendEncoded(nil)
			v, err := DecodeValue(enc)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(v.AppendEncoded(nil), enc) {
				t.Fatal("decoded set encodes differently")
			}
			if !slices.Equal(setMembers(v.(*Set)), setMembers(s)) {
				t.Fatal("decoded set iterates differently")
			}
			sameDigest(t, s, v)
		})
	}
}

func TestSetCloneIsDeep(t *testing.T) {
	s := NewSet()
	for i := range 30 {
		s.Add(fmt.Sprint(i))
	}
	want := setMembers(s)
	c := s.Clone().(*Set)
	for i := range 25 {
		c.Remove(fmt.Sprint(i))
	}
	c.Add("new")
	if !slices.Equal(setMembers(s), want) || s.Len() != 30 || !s.Has("3") {
		t.Fatal("original changed")
	}
}

func TestSetScanVisitsAll(t *testing.T) {
	s := NewSet()
	for i := range 500 {
		s.Add(fmt.Sprint(i))
	}
	seen := map[string]bool{}
	for cursor := uint64(0); ; {
		cursor = s.Scan(cursor, 0, func(m string) { seen[m] = true })
		if cursor == 0 {
			break
		}
	}
	if len(seen) != 500 {
		t.Fatalf("visited %d", len(seen))
	}
}
