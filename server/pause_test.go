package server

import (
	"testing"
	"time"
)

// TestClientPauseState: a pause keeps the stricter mode and the later end
// of the pauses sent while it is on; an end already past starts nothing;
// it holds writes (WRITE) or everything (ALL); it ends at its end or at
// stop, letting the held go, and tells the node's expiry each time.
func TestClientPauseState(t *testing.T) {
	type start struct {
		mode  pauseMode
		after int64 // ms from now; negative: already past
	}
	tests := []struct {
		name        string
		starts      []start
		wantMode    pauseMode
		wantAfter   int64
		holdsReads  bool
		holdsWrites bool
	}{
		{"write", []start{{pauseWrite, 1000}}, pauseWrite, 1000, false, true},
		{"all", []start{{pauseAll, 1000}}, pauseAll, 1000, true, true},
		{"stricter mode kept", []start{{pauseAll, 1000}, {pauseWrite, 5000}}, pauseAll, 5000, true, true},
		{"later end kept", []start{{pauseWrite, 5000}, {pauseAll, 1000}}, pauseAll, 5000, true, true},
		{"past end starts nothing", []start{{pauseAll, -1}}, pauseOff, 0, false, false},
		{"past end keeps a pause on", []start{{pauseWrite, 1000}, {pauseAll, -1}}, pauseAll, 1000, true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var holds []bool
			p := &clientPause{hold: func(on bool) { holds = append(holds, on) }}
			now := time.Now().UnixMilli()
			for _, s := range tc.starts {
				p.start(s.mode, now+s.after, now)
			}
			if p.mode != tc.wantMode || tc.wantMode != pauseOff && p.end != now+tc.wantAfter {
				t.Fatalf("mode %d end +%d, want %d +%d", p.mode, p.end-now, tc.wantMode, tc.wantAfter)
			}
			mode, lifted := p.current()
			read, write := mode.holds(func() bool { return false }), mode.holds(func() bool { return true })
			if read != tc.holdsReads || write != tc.holdsWrites {
				t.Fatalf("holds reads %v writes %v, want %v %v", read, write, tc.holdsReads, tc.holdsWrites)
			}
			if (lifted != nil) != (tc.wantMode != pauseOff) {
				t.Fatalf("paused %v with a channel to wait on: %v", tc.wantMode != pauseOff, lifted != nil)
			}
			p.stop()
			if lifted != nil {
				<-lifted // closed by stop
			}
			if mode, _ := p.current(); p.on.Load() || mode.holds(func() bool { return true }) {
				t.Fatal("still paused after stop")
			}
			want := []bool{}
			if tc.wantMode != pauseOff {
				want = []bool{true, false}
			}
			if len(holds) != len(want) || len(want) == 2 && (holds[0] != true || holds[1] != false) {
				t.Fatalf("expiry told %v, want %v", holds, want)
			}
		})
	}
}

// TestClientPauseEnds: a pause ends by itself at its end.
func TestClientPauseEnds(t *testing.T) {
	p := &clientPause{}
	now := time.Now().UnixMilli()
	p.start(pauseAll, now+30, now)
	mode, lifted := p.current()
	if mode != pauseAll || lifted == nil {
		t.Fatal("not paused")
	}
	select {
	case <-lifted:
	case <-time.After(10 * time.Second):
		t.Fatal("the pause did not end at its end")
	}
	if waited := time.Now().UnixMilli() - now; waited < 30 {
		t.Fatalf("ended after %d ms, before its end", waited)
	}
	if p.on.Load() {
		t.Fatal("still on after its end")
	}
}
