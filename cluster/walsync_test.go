package cluster

import (
	"bytes"
	"testing"
)

func TestDataSyncFS(t *testing.T) {
	dir := t.TempDir()
	v := newDataSyncFS()
	f, err := v.Create(dir, "seg", 1<<16)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := f.(*dataSyncFile); !ok {
		t.Fatalf("Create gave %T, want *dataSyncFile", f)
	}
	for i, chunk := range [][]byte{[]byte("first"), []byte("second")} {
		if _, err := f.WriteAt(chunk, int64(i*8)); err != nil {
			t.Fatal(err)
		}
		if err := f.Sync(); err != nil { // raft-wal's fsync, then fdatasync
			t.Fatalf("sync %d: %v", i, err)
		}
	}
	f.Close()
	w, err := v.OpenWriter(dir, "seg")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, ok := w.(*dataSyncFile); !ok {
		t.Fatalf("OpenWriter gave %T, want *dataSyncFile", w)
	}
	got := make([]byte, 14)
	if _, err := w.ReadAt(got, 0); err != nil {
		t.Fatal(err)
	}
	if want := []byte("first\x00\x00\x00second"); !bytes.Equal(got, want) {
		t.Fatalf("read back %q, want %q", got, want)
	}
	if _, err := v.Create(dir, "seg", 0); err == nil {
		t.Fatal("Create of an existing segment succeeded")
	}
}
