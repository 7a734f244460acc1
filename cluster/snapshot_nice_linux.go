package cluster

import (
	"runtime"
	"syscall"
)

// niced runs fn on an OS thread of its own whose nice value is raised to
// at least snapshotNice (Linux's nice is per thread), and returns its
// error. The thread stays locked to its goroutine, so it ends with it and
// no other goroutine ever runs niced. A nice value that cannot be raised
// (a platform or a sandbox that refuses) leaves fn at the process's.
func niced(fn func() error) error {
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: see above
		tid := syscall.Gettid()
		// getpriority(2) returns 20 - nice from the raw system call.
		if raw, err := syscall.Getpriority(syscall.PRIO_PROCESS, tid); err == nil && 20-raw < snapshotNice {
			_ = syscall.Setpriority(syscall.PRIO_PROCESS, tid, snapshotNice)
		}
		done <- fn()
	}()
	return <-done
}
