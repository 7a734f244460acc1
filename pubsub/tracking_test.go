package pubsub

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// sink is a tracking connection that records what it is sent.
type sink struct{ got []string }

func (s *sink) Send(keys []string) {
	if keys == nil {
		s.got = append(s.got, "<flush>")
		return
	}
	s.got = append(s.got, strings.Join(keys, ","))
}

func TestTrackingInvalidates(t *testing.T) {
	tests := []struct {
		name   string
		mode   TrackingMode
		read   []string
		change [][2]string // key, origin: one Invalidate each, then EntryDone
		want   []string
	}{
		{"read key", TrackingMode{}, []string{"a"}, [][2]string{{"a", ""}}, []string{"a"}},
		{"unread key", TrackingMode{}, []string{"a"}, [][2]string{{"b", ""}}, nil},
		{"once until read again", TrackingMode{}, []string{"a"}, [][2]string{{"a", ""}, {"a", ""}}, []string{"a"}},
		{"noloop own write", TrackingMode{NoLoop: true, Origin: "n/1"}, []string{"a"}, [][2]string{{"a", "n/1"}}, nil},
		{"noloop other write", TrackingMode{NoLoop: true, Origin: "n/1"}, []string{"a"}, [][2]string{{"a", "n/2"}}, []string{"a"}},
		{"own write without noloop", TrackingMode{Origin: "n/1"}, []string{"a"}, [][2]string{{"a", "n/1"}}, []string{"a"}},
		{"bcast all", TrackingMode{BCAST: true}, nil, [][2]string{{"a", ""}, {"b", ""}}, []string{"a,b"}},
		{"bcast prefix", TrackingMode{BCAST: true, Prefixes: []string{"p:"}}, nil, [][2]string{{"p:1", ""}, {"q", ""}}, []string{"p:1"}},
		{"bcast noloop", TrackingMode{BCAST: true, NoLoop: true, Origin: "n/1"}, nil, [][2]string{{"a", "n/1"}, {"b", "n/2"}}, []string{"b"}},
		{"bcast ignores reads", TrackingMode{BCAST: true, Prefixes: []string{"x"}}, []string{"a"}, [][2]string{{"a", ""}}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := NewTracking()
			s := &sink{}
			tr.Enable(1, s, tc.mode)
			if tc.read != nil {
				tr.Remember(1, bytesOf(tc.read))
			}
			for _, ch := range tc.change {
				tr.Invalidate([]string{ch[0]}, ch[1])
			}
			tr.EntryDone()
			if !slices.Equal(s.got, tc.want) {
				t.Fatalf("sent %q, want %q", s.got, tc.want)
			}
		})
	}
}

func bytesOf(keys []string) [][]byte {
	b := make([][]byte, len(keys))
	for i, k := range keys {
		b[i] = []byte(k)
	}
	return b
}

// Lowering the limit drops keys, each invalidated, down to the limit; a
// hostile reader cannot grow the table past it.
func TestTrackingMaxKeys(t *testing.T) {
	tr := NewTracking()
	s := &sink{}
	tr.Enable(1, s, TrackingMode{})
	for i := range 250 {
		tr.Remember(1, [][]byte{[]byte(fmt.Sprint("k", i))})
	}
	tr.SetMaxKeys(1)
	if st := tr.Stats(); st.Keys != 1 || st.Items != 1 || len(s.got) != 249 {
		t.Fatalf("after max 1: %+v, %d invalidations", st, len(s.got))
	}
	tr.SetMaxKeys(10)
	for i := range 1000 {
		tr.Remember(1, [][]byte{[]byte(fmt.Sprint("h", i))})
	}
	if st := tr.Stats(); st.Keys != 10 {
		t.Fatalf("table holds %d keys, limit 10", st.Keys)
	}
}

// A flush reaches every tracking connection, BCAST ones too, and empties
// the table; a disabled connection gets nothing.
func TestTrackingFlushAndDisable(t *testing.T) {
	tr := NewTracking()
	a, b, c := &sink{}, &sink{}, &sink{}
	tr.Enable(1, a, TrackingMode{})
	tr.Enable(2, b, TrackingMode{BCAST: true})
	tr.Enable(3, c, TrackingMode{})
	tr.Remember(1, bytesOf([]string{"x", "y"}))
	tr.Remember(3, bytesOf([]string{"x"}))
	tr.Disable(3)
	tr.Flushed()
	if st := tr.Stats(); st.Keys != 0 || st.Items != 0 || st.Clients != 2 || st.Prefixes != 1 {
		t.Fatalf("stats after flush: %+v", st)
	}
	if !slices.Equal(a.got, []string{"<flush>"}) || !slices.Equal(b.got, []string{"<flush>"}) || len(c.got) != 0 {
		t.Fatalf("sent a=%q b=%q c=%q", a.got, b.got, c.got)
	}
	tr.Disable(2)
	if st := tr.Stats(); st.Prefixes != 0 {
		t.Fatalf("prefixes after the last BCAST connection left: %d", st.Prefixes)
	}
}

func TestTrackingFollows(t *testing.T) {
	tests := []struct {
		name  string
		mode  *TrackingMode // nil: no connection tracks
		read  []string
		keys  []string
		wants bool
	}{
		{"nobody tracks", nil, nil, []string{"a"}, false},
		{"nobody tracks, no keys", nil, nil, nil, false},
		{"read key", &TrackingMode{}, []string{"a"}, []string{"b", "a"}, true},
		{"unread key", &TrackingMode{}, []string{"a"}, []string{"b"}, false},
		{"no keys: a flush", &TrackingMode{}, nil, nil, true},
		{"bcast prefix", &TrackingMode{BCAST: true, Prefixes: []string{"p:"}}, nil, []string{"p:1"}, true},
		{"bcast other prefix", &TrackingMode{BCAST: true, Prefixes: []string{"p:"}}, nil, []string{"q"}, false},
		{"bcast everything", &TrackingMode{BCAST: true}, nil, []string{"q"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := NewTracking()
			if tc.mode != nil {
				tr.Enable(1, &sink{}, *tc.mode)
				tr.Remember(1, bytesOf(tc.read))
			}
			if got := tr.Follows(bytesOf(tc.keys)); got != tc.wants {
				t.Fatalf("Follows(%q) = %v, want %v", tc.keys, got, tc.wants)
			}
		})
	}
}
