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
			read := p.holding(func() bool { return false }) != nil
			write := p.holding(func() bool { return true }) != nil
			if read != tc.holdsReads || write != tc.holdsWrites {
				t.Fatalf("holds reads %v writes %v, want %v %v", read, write, tc.holdsReads, tc.holdsWrites)
			}
			lifted := p.holding(func() bool { return true })
			p.stop()
			if lifted != nil {
				<-lifted // closed by stop
			}
			if p.on.Load() || p.holding(func() bool { return true }) != nil {
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
	lifted := p.holding(func() bool { return false })
	if lifted == nil {
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
