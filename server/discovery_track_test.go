package server

import (
	"testing"
	"time"
)

// TestLeaderTrack: a change from one known leader to another is a switch
// (naming the old one); losing the leader, finding it again, or learning
// the first one is not.
func TestLeaderTrack(t *testing.T) {
	t0 := time.Unix(1000, 0)
	steps := []struct {
		name     string
		addr     string
		known    bool
		old      string
		switched bool
	}{
		{"first leader", "a:1", true, "", false},
		{"same leader", "a:1", true, "", false},
		{"election", "", false, "", false},
		{"same leader again", "a:1", true, "", false},
		{"election again", "", false, "", false},
		{"new leader", "b:2", true, "a:1", true},
		{"new leader, no election seen", "c:3", true, "b:2", true},
	}
	var l leaderTrack
	for i, st := range steps {
		now := t0.Add(time.Duration(i) * time.Second)
		old, switched := l.observe(st.addr, st.known, now)
		if old != st.old || switched != st.switched {
			t.Fatalf("%s: observe = %q, %v; want %q, %v", st.name, old, switched, st.old, st.switched)
		}
		got := l.get()
		if st.known && (got.addr != st.addr || !got.lostAt.IsZero()) {
			t.Fatalf("%s: remembers %+v", st.name, got)
		}
		if !st.known && got.lostAt.IsZero() {
			t.Fatalf("%s: the loss is not dated: %+v", st.name, got)
		}
	}
}
