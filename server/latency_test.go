package server

import (
	"testing"
	"time"
)

func TestLatencySamples(t *testing.T) {
	m := newLatencyMonitor()
	m.add("command", 150, 1000)
	m.add("command", 120, 1000) // same second: the higher one stays
	m.add("command", 301, 1002)
	m.add("fast-command", 5, 1002)
	evs := m.snapshot()
	if len(evs) != 2 || evs[0].name != "command" || evs[1].name != "fast-command" {
		t.Fatalf("events: %+v", evs)
	}
	want := []latencySample{{1000, 150}, {1002, 301}}
	if got := evs[0].samples; len(got) != 2 || got[0] != want[0] || got[1] != want[1] || evs[0].max != 301 {
		t.Errorf("command: %+v max %d", got, evs[0].max)
	}
	for i := range latencyTSLen + 10 { // the ring keeps the last 160 seconds
		m.add("command", 200, int64(2000+i))
	}
	if n := len(m.snapshot("command")[0].samples); n != latencyTSLen {
		t.Errorf("%d samples kept, want %d", n, latencyTSLen)
	}
	if n := m.reset("nosuch", "command"); n != 1 {
		t.Errorf("reset answered %d", n)
	}
	if n := m.reset(); n != 1 || len(m.snapshot()) != 0 {
		t.Errorf("reset all answered %d", n)
	}
}

func TestLatencyThreshold(t *testing.T) {
	m := newLatencyMonitor()
	m.note("command", time.Second) // threshold 0: off
	m.threshold.Store(100)
	m.note("command", 99*time.Millisecond)
	m.note("fast-command", 100*time.Millisecond)
	if evs := m.snapshot(); len(evs) != 1 || evs[0].name != "fast-command" {
		t.Errorf("events: %+v", evs)
	}
}

// TestLatencyGraph compares with redis-server 7.0.15's LATENCY GRAPH
// command for samples of 150 ms and 301 ms, 5 and 3 seconds old.
func TestLatencyGraph(t *testing.T) {
	ev := latencyEvent{name: "command", max: 301, samples: []latencySample{{95, 150}, {97, 301}}}
	want := "command - high 301 ms, low 150 ms (all time high 301 ms)\n" +
		"--------------------------------------------------------------------------------\n" +
		" #\n |\n |\n_|\n  \n53\nss\n"
	if got := latencyGraph(ev, 100); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

// TestLatencyCDF compares with LATENCY HISTOGRAM of redis-server 7.0.15
// (calls of 150 ms, 301 ms, 0.6 s, and CONFIG SET's six fast calls).
func TestLatencyCDF(t *testing.T) {
	tests := []struct {
		name  string
		calls []time.Duration
		want  [][2]int64
	}{
		{"none", nil, nil},
		{"150ms and 301ms", []time.Duration{150 * time.Millisecond, 301 * time.Millisecond}, [][2]int64{{270532, 1}, {541065, 2}}},
		{"0.6s", []time.Duration{600 * time.Millisecond}, [][2]int64{{1073741, 1}}},
		{"fast", []time.Duration{3 * time.Microsecond, 5 * time.Microsecond, 5 * time.Microsecond, 6 * time.Microsecond,
			7 * time.Microsecond, 12 * time.Microsecond}, [][2]int64{{4, 1}, {8, 5}, {16, 6}}},
		{"under 1us", []time.Duration{0, 1 * time.Microsecond, 2 * time.Microsecond}, [][2]int64{{1, 2}, {2, 3}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := new(latencyHist)
			for _, d := range tc.calls {
				h.record(d, 1)
			}
			got := h.cdf()
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
}
