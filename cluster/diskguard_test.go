package cluster

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"
)

// TestDiskGuard drives the guard with a fake free-space reading.
func TestDiskGuard(t *testing.T) {
	cases := []struct {
		name      string
		free      uint64
		known     bool
		size      int
		wantErrno syscall.Errno // 0: admitted
	}{
		{"plenty of space", 1 << 30, true, 100, 0},
		{"entry plus slack just fits", diskSlack + 100, true, 100, 0},
		{"entry fits but not the slack", diskSlack + 99, true, 100, syscall.ENOSPC},
		{"disk full", 0, true, 1, syscall.ENOSPC},
		{"free space unknown", 0, false, 1 << 20, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := newDiskGuard(t.TempDir(), nil)
			g.free = func(string) (uint64, bool) { return tc.free, tc.known }
			err := g.admit(tc.size)
			if tc.wantErrno == 0 {
				if err != nil {
					t.Fatalf("admit(%d) = %v, want nil", tc.size, err)
				}
				return
			}
			var d *DiskError
			if !errors.As(err, &d) || d.Errno != tc.wantErrno {
				t.Fatalf("admit(%d) = %v, want errno %v", tc.size, err, tc.wantErrno)
			}
		})
	}
}

// TestDiskGuardRecovers: a refused guard (by free space or by a failed
// log write) accepts again once space returns and a probe can be written,
// but not before diskRetry.
func TestDiskGuardRecovers(t *testing.T) {
	for _, byStore := range []bool{false, true} {
		t.Run(fmt.Sprintf("byStore=%v", byStore), func(t *testing.T) {
			g := newDiskGuard(t.TempDir(), nil)
			free := uint64(0)
			g.free = func(string) (uint64, bool) { return free, true }
			if byStore {
				free = 1 << 30
				g.storeFailed(&os.PathError{Op: "write", Path: "raft.db", Err: syscall.ENOSPC})
			}
			if err := g.admit(10); err == nil {
				t.Fatal("admit with the disk full = nil")
			}
			if got := (&DiskError{Errno: syscall.ENOSPC}).Reply(); got != "MISCONF Errors writing to the Raft log: No space left on device" {
				t.Fatalf("reply %q", got)
			}
			free = 1 << 30
			if err := g.admit(10); err == nil {
				t.Fatal("admit before diskRetry passed = nil")
			}
			g.retryAt = time.Now()
			if err := g.admit(10); err != nil {
				t.Fatalf("admit after space returned = %v", err)
			}
			if g.failure() != nil {
				t.Fatal("guard still failed")
			}
		})
	}
}
