package main

import (
	"os"
	"syscall"
	"testing"
)

// needFreeDisk skips t, saying why, when the file system holding the
// test's temporary directories has less than need bytes free: the few
// tests that write hundreds of MB of log and snapshot would otherwise fail
// with "no space left on device" on a nearly full machine, which says
// nothing about geetcache. The skip names both figures so it is seen.
func needFreeDisk(t *testing.T, need uint64) {
	t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(os.TempDir(), &st); err != nil {
		return // unknown: run, and let the test speak
	}
	if free := uint64(st.Bavail) * uint64(st.Bsize); free < need {
		t.Skipf("needs %d MiB free under %s for its data, has %d MiB", need>>20, os.TempDir(), free>>20)
	}
}
