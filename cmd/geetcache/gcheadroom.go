package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// gcHeadroom is the least garbage the collector lets accumulate before a
// cycle. Go's default (GOGC=100) starts one when the heap has doubled since
// the last: with a few MB live, as on a node whose data set is small, that
// is every few MB allocated, a hundred cycles a second under a write load
// (the headroom took 15% off the CPU per pipelined SET: docs/benchmarks.md).
// With the headroom the heap grows to live + 32 MB before a cycle; from
// 32 MB live on, GOGC is 100, as before. The memory
// limit (memlimit.go) still bounds the heap, and GOGC in the environment
// turns this off.
const gcHeadroom = 32 << 20

// maxGCPercent bounds the GOGC the headroom gives a small heap: the
// runtime's least heap goal (4 MB at GOGC=100) grows with GOGC, and at 800
// it is gcHeadroom.
const maxGCPercent = 800

// keepGCHeadroom sets GOGC from the live heap now and after every cycle,
// unless GOGC is set in the environment.
func keepGCHeadroom() {
	if os.Getenv("GOGC") != "" {
		return
	}
	t := &gcTuner{sample: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}}
	t.tune()
	var rearm func(*gcSentinel)
	rearm = func(s *gcSentinel) {
		t.tune()
		runtime.SetFinalizer(s, rearm) // again after the next cycle
	}
	runtime.SetFinalizer(&gcSentinel{}, rearm)
}

// gcSentinel is garbage from the start: its finalizer runs after each
// cycle. It holds a pointer so that it is not a tiny allocation, whose
// finalizer may never run.
type gcSentinel struct{ _ *byte }

type gcTuner struct {
	sample  []metrics.Sample
	percent int
}

// tune sets GOGC so that the next cycle starts gcHeadroom past the live
// heap, or at twice it; only a change of more than a tenth is applied.
func (t *gcTuner) tune() {
	metrics.Read(t.sample)
	p := gcPercentFor(t.sample[0].Value.Uint64())
	if t.percent != 0 && p*10 > t.percent*9 && p*10 < t.percent*11 {
		return
	}
	t.percent = p
	debug.SetGCPercent(p)
}

// gcPercentFor returns the GOGC that gives a heap of live bytes
// gcHeadroom of room, at least 100 and at most maxGCPercent.
func gcPercentFor(live uint64) int {
	if live == 0 {
		return maxGCPercent
	}
	p := gcHeadroom * 100 / live
	switch {
	case p < 100:
		return 100
	case p > maxGCPercent:
		return maxGCPercent
	}
	return int(p)
}
