package cluster

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestCloseEndsWhenStateMachineHalts: a node whose state machine halts
// while Close waits for Raft to shut down (Raft waits for the Apply that
// never returns) ends Close with the halt error instead of waiting for
// ever. The test holds the FSM's lock so that the entry that cannot be
// applied is inside Apply, waiting, when Close starts.
func TestCloseEndsWhenStateMachineHalts(t *testing.T) {
	n := openTestNode(t)
	n.fsm.mu.Lock()
	unlocked := false
	defer func() {
		if !unlocked {
			n.fsm.mu.Unlock()
		}
	}()
	n.raft.Apply(commandLog(one("FUTURECMD", "k"))[0].Data, time.Second)
	waitFor(t, 5*time.Second, func() bool { return stacksHold("cluster.(*FSM).ApplyBatch") })
	closed := make(chan error, 1)
	go func() { closed <- n.Close() }()
	waitFor(t, 5*time.Second, func() bool { return stacksHold("cluster.(*Node).Close.func1") }) // past its first check, waiting
	unlocked = true
	n.fsm.mu.Unlock() // the entry is applied now, and halts the state machine
	select {
	case err := <-closed:
		if err == nil || !strings.Contains(err.Error(), "cannot apply log entry") {
			t.Fatalf("Close returned %v, want the halt error", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return within 10s of the halt")
	}
}

// stacksHold reports whether a goroutine's stack names fn.
func stacksHold(fn string) bool {
	buf := make([]byte, 1<<20)
	return strings.Contains(string(buf[:runtime.Stack(buf, true)]), fn)
}
