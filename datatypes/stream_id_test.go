package datatypes

import (
	"math"
	"testing"
)

func TestParseStreamID(t *testing.T) {
	max := uint64(math.MaxUint64)
	for _, tc := range []struct {
		in      string
		missing uint64
		want    StreamID
		auto    bool
		ok      bool
	}{
		{"1-2", 0, StreamID{1, 2}, false, true},
		{"5", 0, StreamID{5, 0}, false, true},
		{"5", max, StreamID{5, max}, false, true},
		{"5-*", 0, StreamID{5, 0}, true, true},
		{"18446744073709551615-18446744073709551615", 0, MaxStreamID, false, true},
		{"18446744073709551616", 0, StreamID{}, false, false},
		{"-1", 0, StreamID{}, false, false},
		{"1--1", 0, StreamID{}, false, false},
		{"1--01", 0, StreamID{1, max}, false, true}, // strtoull negates
		{"+5", 0, StreamID{5, 0}, false, true},
		{" 5", 0, StreamID{5, 0}, false, true},
		{"5 ", 0, StreamID{}, false, false},
		{"05-1", 0, StreamID{5, 1}, false, true},
		{"5\x00junk", 0, StreamID{5, 0}, false, true},
		{"", 0, StreamID{}, false, false},
		{"-", 0, StreamID{}, false, false},
		{"+", 0, StreamID{}, false, false},
		{"1-2-3", 0, StreamID{}, false, false},
		{"*", 0, StreamID{}, false, false},
		{"1-**", 0, StreamID{}, false, false},
		{"0x10", 0, StreamID{}, false, false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			id, auto, ok := ParseStreamID([]byte(tc.in), tc.missing)
			if ok != tc.ok || (ok && (id != tc.want || auto != tc.auto)) {
				t.Fatalf("ParseStreamID(%q) = %v %v %v, want %v %v %v", tc.in, id, auto, ok, tc.want, tc.auto, tc.ok)
			}
		})
	}
}

func TestStreamIDNextPrev(t *testing.T) {
	max := uint64(math.MaxUint64)
	for _, tc := range []struct {
		id, next StreamID
		ok       bool
	}{
		{StreamID{1, 1}, StreamID{1, 2}, true},
		{StreamID{1, max}, StreamID{2, 0}, true},
		{MaxStreamID, StreamID{}, false},
	} {
		if n, ok := tc.id.Next(); n != tc.next || ok != tc.ok {
			t.Fatalf("%v.Next() = %v %v", tc.id, n, ok)
		}
		if tc.ok {
			if p, ok := tc.next.Prev(); p != tc.id || !ok {
				t.Fatalf("%v.Prev() = %v %v", tc.next, p, ok)
			}
		}
	}
	if p, ok := (StreamID{}).Prev(); ok || p != MaxStreamID {
		t.Fatalf("0-0.Prev() = %v %v", p, ok)
	}
}

func FuzzParseStreamID(f *testing.F) {
	for _, s := range []string{"1-2", "5", "5-*", "+5", "-01", "18446744073709551615-1"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		id, auto, ok := ParseStreamID(b, 7)
		if !ok || auto {
			return
		}
		back, _, ok2 := ParseStreamID(id.Append(nil), 7)
		if !ok2 || back != id {
			t.Fatalf("%q parsed to %v, which parses back to %v %v", b, id, back, ok2)
		}
	})
}
