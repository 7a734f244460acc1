package cluster

import (
	"errors"
	"runtime"
	"syscall"
	"testing"
)

// threadNice is the calling thread's nice value (-1 if unknown).
func threadNice() int {
	raw, err := syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
	if err != nil {
		return -1
	}
	return 20 - raw // the raw system call returns 20 - nice
}

func TestNicedRunsOnALowerPriorityThread(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	before := threadNice()
	if before >= snapshotNice {
		t.Skipf("the test runs at nice %d already", before)
	}
	var inside int
	want := errors.New("from fn")
	if err := niced(func() error { inside = threadNice(); return want }); err != want {
		t.Fatalf("niced returned %v, want fn's error", err)
	}
	if inside != snapshotNice {
		t.Fatalf("fn ran at nice %d, want %d", inside, snapshotNice)
	}
	if after := threadNice(); after != before {
		t.Fatalf("the caller's thread went from nice %d to %d", before, after)
	}
}
