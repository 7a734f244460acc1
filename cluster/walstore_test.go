package cluster

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"
)

// TestWALStoreRecoversFromFullDisk fills the disk under a wal store, with
// a little or some room left: appends fail while the space is missing and
// succeed again once it is back, every entry kept. Before (raft-wal
// alone): every later append failed, "non-monotonic append to segment"
// after a failed write, "segment is sealed" after a failed rotation.
func TestWALStoreRecoversFromFullDisk(t *testing.T) {
	for _, leave := range []uint64{4 << 20, 8 << 20} {
		t.Run(fmt.Sprintf("free=%dMiB", leave>>20), func(t *testing.T) { walStoreRecoversFromFullDisk(t, leave) })
	}
}

func walStoreRecoversFromFullDisk(t *testing.T, leave uint64) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	dir := filepath.Join(t.TempDir(), "mnt")
	if err := os.Mkdir(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=20m"); err != nil {
		t.Skipf("cannot mount a tmpfs: %v", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	walDir := filepath.Join(dir, "wal")
	s, err := openWALStore(walDir, hclog.NewNullLogger())
	if err != nil {
		t.Fatal(err)
	}
	filler := fill(t, dir, leave)
	data := make([]byte, 1<<20)
	var idx uint64
	var failed error
	for idx = 1; idx < 40 && failed == nil; idx++ {
		failed = s.StoreLogs([]*raft.Log{{Index: idx, Term: 1, Type: raft.LogCommand, Data: data}})
	}
	if failed == nil {
		t.Fatal("no append failed on a full disk")
	}
	idx--
	t.Logf("append %d failed: %v", idx, failed)
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if err := s.StoreLogs([]*raft.Log{{Index: idx, Term: 1, Type: raft.LogCommand, Data: data}}); err != nil {
		t.Fatalf("append after space returned: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = openWALStore(walDir, hclog.NewNullLogger())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := uint64(1); i <= idx; i++ {
		var l raft.Log
		if err := s.GetLog(i, &l); err != nil || len(l.Data) != len(data) {
			t.Fatalf("log %d after reopening: %d bytes, %v", i, len(l.Data), err)
		}
	}
}

// fill writes a file into dir until fewer than leave bytes are free.
func fill(t *testing.T, dir string, leave uint64) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	free, _ := freeBytes(dir)
	if _, err := io.CopyN(f, zeros{}, int64(free-leave)); err != nil && !errors.Is(err, syscall.ENOSPC) {
		t.Fatal(err)
	}
	return path
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
