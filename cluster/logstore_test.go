package cluster

import (
	"bytes"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/raft"
	raftboltdb "github.com/hashicorp/raft-boltdb/v2"
	"go.etcd.io/bbolt"
)

func sampleLogs() []*raft.Log {
	return []*raft.Log{
		{Index: 1, Term: 1, Type: raft.LogConfiguration, Data: []byte("conf")},
		{Index: 2, Term: 1, Type: raft.LogCommand, Data: bytes.Repeat([]byte("x"), 3<<20), AppendedAt: time.Unix(1_700_000_000, 123)},
		{Index: 3, Term: 2, Type: raft.LogNoop, Extensions: []byte("ext")},
		{Index: 4, Term: 2, Type: raft.LogCommand, Data: []byte{}},
	}
}

func openTestLogStore(t *testing.T, path string) *logStore {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, boltOptions())
	if err != nil {
		t.Fatal(err)
	}
	s, err := newLogStore(db)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestLogStoreMatchesRaftBoltDB: the store writes the bytes raft-boltdb v2
// writes, reads what it wrote and vice versa, so existing data directories
// keep working; and a large log is encoded into a buffer sized once.
func TestLogStoreMatchesRaftBoltDB(t *testing.T) {
	dir := t.TempDir()
	theirs, err := raftboltdb.NewBoltStore(filepath.Join(dir, "theirs.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := theirs.StoreLogs(sampleLogs()); err != nil {
		t.Fatal(err)
	}
	if err := theirs.SetUint64([]byte("CurrentTerm"), 7); err != nil {
		t.Fatal(err)
	}
	theirs.Close()
	ours := openTestLogStore(t, filepath.Join(dir, "theirs.db"))
	checkLogs(t, ours, "raft-boltdb's file")
	for _, l := range sampleLogs() {
		enc, _ := encodeLog(l)
		ours.db.View(func(tx *bbolt.Tx) error {
			if stored := tx.Bucket(bucketLogs).Get(indexKey(l.Index)); !bytes.Equal(stored, enc) {
				t.Errorf("log %d: raft-boltdb stored %d bytes, encodeLog gives %d different ones", l.Index, len(stored), len(enc))
			}
			return nil
		})
	}
	if v, err := ours.GetUint64([]byte("CurrentTerm")); err != nil || v != 7 {
		t.Errorf("GetUint64(CurrentTerm) = %d, %v; want 7", v, err)
	}
	if _, err := ours.Get([]byte("missing")); err == nil || err.Error() != "not found" {
		t.Errorf("Get(missing) error = %v, want \"not found\" (raft compares the text)", err)
	}
	ours.Close()

	mine := openTestLogStore(t, filepath.Join(dir, "ours.db"))
	if err := mine.StoreLogs(sampleLogs()); err != nil {
		t.Fatal(err)
	}
	checkLogs(t, mine, "our file")
	if err := mine.DeleteRange(1, 2); err != nil {
		t.Fatal(err)
	}
	if first, _ := mine.FirstIndex(); first != 3 {
		t.Errorf("FirstIndex after DeleteRange(1, 2) = %d, want 3", first)
	}
	mine.Close()
	theirs, err = raftboltdb.NewBoltStore(filepath.Join(dir, "ours.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer theirs.Close()
	var l raft.Log
	if err := theirs.GetLog(4, &l); err != nil || l.Term != 2 {
		t.Errorf("raft-boltdb reading our log 4: %+v, %v", l, err)
	}

	for _, l := range sampleLogs() {
		enc, err := encodeLog(l)
		if err != nil {
			t.Fatal(err)
		}
		if cap(enc) != len(l.Data)+len(l.Extensions)+logMsgpackSlack {
			t.Errorf("log %d: buffer grew to %d bytes (encoding %d)", l.Index, cap(enc), len(enc))
		}
	}
}

func checkLogs(t *testing.T, s *logStore, what string) {
	t.Helper()
	first, err1 := s.FirstIndex()
	last, err2 := s.LastIndex()
	if first != 1 || last != 4 || err1 != nil || err2 != nil {
		t.Fatalf("%s: indexes %d..%d (%v, %v), want 1..4", what, first, last, err1, err2)
	}
	for _, want := range sampleLogs() {
		var got raft.Log
		if err := s.GetLog(want.Index, &got); err != nil {
			t.Fatalf("%s: GetLog(%d): %v", what, want.Index, err)
		}
		if got.Term != want.Term || got.Type != want.Type || !bytes.Equal(got.Data, want.Data) ||
			!bytes.Equal(got.Extensions, want.Extensions) || !got.AppendedAt.Equal(want.AppendedAt) {
			t.Errorf("%s: log %d = %+.40v, want %+.40v", what, want.Index, got, want)
		}
	}
	if err := s.GetLog(9, &raft.Log{}); err != raft.ErrLogNotFound {
		t.Errorf("%s: GetLog(9) error = %v, want ErrLogNotFound", what, err)
	}
}
