package scripting

import (
	"testing"
	"time"
)

func TestMonitorBusy(t *testing.T) {
	m := NewMonitor()
	if got := m.Busy(); got != "" {
		t.Fatalf("idle monitor: Busy() = %q", got)
	}
	m.SetThreshold(0)
	r := m.Begin(RunInfo{Kind: KindFunction, Name: "f"})
	time.Sleep(2 * time.Millisecond)
	if got := m.Busy(); got != "" {
		t.Fatalf("threshold 0: Busy() = %q", got)
	}
	m.SetThreshold(20)
	if got := m.Busy(); got != "" {
		t.Fatalf("a run younger than the threshold: Busy() = %q", got)
	}
	deadline := time.Now().Add(5 * time.Second)
	for m.Busy() == "" && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if got := m.Busy(); got != ErrBusyFunction {
		t.Fatalf("Busy() = %q, want %q", got, ErrBusyFunction)
	}
	m.End(r)
	if got := m.Busy(); got != "" {
		t.Fatalf("after End: Busy() = %q", got)
	}
}

func TestMonitorKill(t *testing.T) {
	eval := RunInfo{Kind: KindEval, Name: "sha"}
	fn := RunInfo{Kind: KindFunction, Name: "f"}
	inFSM := func(i RunInfo) RunInfo { i.InFSM = true; return i }
	cases := []struct {
		name   string
		runs   []RunInfo
		wrote  bool
		kind   Kind
		want   string
		killed bool // the first run was killed
	}{
		{"nothing runs", nil, false, KindEval, ErrNotBusy, false},
		{"read-only eval", []RunInfo{eval}, false, KindEval, "", true},
		{"read-only function", []RunInfo{fn}, false, KindFunction, "", true},
		{"SCRIPT KILL on a function", []RunInfo{fn}, false, KindEval, ErrBusyFunction, false},
		{"FUNCTION KILL on an eval", []RunInfo{eval}, false, KindFunction, ErrBusyEval, false},
		{"write script, nothing written", []RunInfo{inFSM(eval)}, false, KindEval, ErrUnkillableReplicated, false},
		{"write script that wrote", []RunInfo{inFSM(eval)}, true, KindEval, ErrUnkillableWrote, false},
		{"write function, SCRIPT KILL", []RunInfo{inFSM(fn)}, false, KindEval, ErrUnkillableReplicated, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := NewMonitor()
			var runs []*Running
			for _, info := range tc.runs {
				r := m.Begin(info)
				if tc.wrote {
					r.NoteWrite()
				}
				runs = append(runs, r)
			}
			if got := m.Kill(tc.kind); got != tc.want {
				t.Fatalf("Kill = %q, want %q", got, tc.want)
			}
			if len(runs) > 0 {
				stopped := runs[0].Budget().Done() != nil
				if stopped != tc.killed {
					t.Fatalf("killed = %v, want %v", stopped, tc.killed)
				}
				if msg, _ := runs[0].Stopped(); tc.killed && msg != KilledMessage {
					t.Fatalf("Stopped() = %q", msg)
				}
			}
		})
	}
}

func TestMonitorBudgetOnlyInFSM(t *testing.T) {
	m := NewMonitor()
	if got := m.Begin(RunInfo{InFSM: true}).Budget().limit; got != DefaultStepBudget {
		t.Fatalf("FSM run budget %d", got)
	}
	if got := m.Begin(RunInfo{}).Budget().limit; got != 0 {
		t.Fatalf("read-only run budget %d", got)
	}
}
