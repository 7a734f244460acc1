package cluster

import (
	"os"
	"runtime"
	"sync"
)

// encoders counts the snapshot encoders running, each of which has a P
// (a slot of GOMAXPROCS) added for it while it runs (withOwnProc).
//
// Encoding a large keyspace keeps one goroutine busy for seconds. Without a
// slot of its own it holds one of the process's GOMAXPROCS slots, and the
// goroutines serving clients, Raft and the state machine share the rest:
// on two cores, one. The runtime preempts it only every 10 ms, so a reply
// could wait that long for a slot, and the encoder's thread runs at a low
// priority (niced), so the operating system may leave the slot it holds
// idle. With a slot added, the others keep as many as before and the
// operating system shares the cores between the threads, by their
// priorities. Each change of GOMAXPROCS stops the world for a moment, after
// waiting for a collection in progress to end: twice per snapshot.
// docs/benchmarks.md ("Writes during snapshots: a slot of their own") has
// the measurements.
var encoders struct {
	mu      sync.Mutex
	running int
	base    int // GOMAXPROCS before the first of them
}

// withOwnProc runs fn with GOMAXPROCS raised by one for as long as it runs.
func withOwnProc(fn func() error) error {
	addProc()
	defer removeProc()
	return fn()
}

func addProc() {
	encoders.mu.Lock()
	defer encoders.mu.Unlock()
	if encoders.running == 0 {
		encoders.base = runtime.GOMAXPROCS(0)
	}
	encoders.running++
	runtime.GOMAXPROCS(encoders.base + encoders.running)
}

func removeProc() {
	encoders.mu.Lock()
	defer encoders.mu.Unlock()
	encoders.running--
	if encoders.running > 0 {
		runtime.GOMAXPROCS(encoders.base + encoders.running)
		return
	}
	if os.Getenv("GOMAXPROCS") != "" {
		runtime.GOMAXPROCS(encoders.base)
		return
	}
	// Back to the runtime's own setting, which follows the CPU count and
	// the cgroup's CPU limit (a call to GOMAXPROCS would end that).
	runtime.SetDefaultGOMAXPROCS()
}
