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

// TestWALStoreTailTruncationSurvivesRestart truncates the log's tail (as
// Raft does when a follower's log conflicts with a new leader's), appends
// the new leader's entries, and reopens the store: every entry must read.
// Before: raft-wal v0.4.0 marks the truncated segment sealed without
// writing its index block, and after a restart reading it failed with
// "sealed segment has no index block" (hashicorp/raft-wal#31; a node of
// TestLinearizability refused to start after kill -9).
func TestWALStoreTailTruncationSurvivesRestart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "wal")
	s, err := openWALStore(dir, hclog.NewNullLogger())
	if err != nil {
		t.Fatal(err)
	}
	store := func(from, to, term uint64) {
		for i := from; i <= to; i++ {
			if err := s.StoreLog(&raft.Log{Index: i, Term: term, Type: raft.LogCommand, Data: []byte{byte(i)}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	store(1, 10, 1)
	if err := s.DeleteRange(8, 10); err != nil {
		t.Fatal(err)
	}
	store(8, 12, 2)
	for _, crash := range []bool{false, true} {
		if crash {
			s.mu.Lock()
			s.closeWAL() // no clean-stop index: as after kill -9
			s.mu.Unlock()
		} else if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if s, err = openWALStore(dir, hclog.NewNullLogger()); err != nil {
			t.Fatalf("reopen: %v", err)
		}
		for i := uint64(1); i <= 12; i++ {
			var l raft.Log
			wantTerm := uint64(1)
			if i >= 8 {
				wantTerm = 2
			}
			if err := s.GetLog(i, &l); err != nil || l.Term != wantTerm || l.Data[0] != byte(i) {
				t.Fatalf("after reopening (crash %v), log %d: term %d data %v, %v; want term %d", crash, i, l.Term, l.Data, err, wantTerm)
			}
		}
		if last, _ := s.LastIndex(); last != 12 {
			t.Fatalf("last index %d, want 12", last)
		}
	}
	s.Close()
}
