package cluster

import (
	"os"
	"path/filepath"

	"github.com/hashicorp/raft"
)

// snapshotSyncEvery is how many bytes of a snapshot are written between
// two syncs of its file.
const snapshotSyncEvery = 1 << 20

// syncingSnapshots is Raft's file snapshot store whose sinks sync their
// file every snapshotSyncEvery bytes, as Redis's rdb-save-incremental-fsync
// does every 4 MB (REDIS_AUTOSYNC_BYTES in 7.0). Written whole and synced
// once at the end, a snapshot leaves all of its bytes in the page cache for
// its final fsync to send at once, and the log's fdatasyncs queue behind
// that burst, which grows with the data set (beside 30 MB files written at
// 20 MB/s, 2 KiB fdatasyncs took up to 26 ms with one sync per file, 14 ms
// with one per MiB: docs/benchmarks.md). Synced as it goes, the log waits
// behind about a megabyte.
type syncingSnapshots struct {
	*raft.FileSnapshotStore
	dir string // the store's base directory (--dir)
}

// Create opens the snapshot as Raft's store does, plus a handle of its own
// on the state file to sync it with. Where that handle cannot be opened
// the snapshot is written as before, synced once at the end.
func (s syncingSnapshots) Create(version raft.SnapshotVersion, index, term uint64, configuration raft.Configuration,
	configurationIndex uint64, trans raft.Transport) (raft.SnapshotSink, error) {
	sink, err := s.FileSnapshotStore.Create(version, index, term, configuration, configurationIndex, trans)
	if err != nil {
		return nil, err
	}
	// Until Close renames it, the snapshot is <id>.tmp (snapcheck.go's layout).
	f, err := os.OpenFile(filepath.Join(s.dir, snapshotsDir, sink.ID()+snapshotTmpExt, snapshotState), os.O_WRONLY, 0)
	if err != nil {
		return sink, nil
	}
	return &syncingSink{SnapshotSink: sink, file: f}, nil
}

// syncingSink passes writes to Raft's sink and syncs the file each time
// another snapshotSyncEvery bytes went through (Raft's sink buffers a few
// KiB at most, which the next sync or the final one takes).
type syncingSink struct {
	raft.SnapshotSink
	file    *os.File
	pending int
}

func (s *syncingSink) Write(p []byte) (int, error) {
	n, err := s.SnapshotSink.Write(p)
	s.pending += n
	if err == nil && s.pending >= snapshotSyncEvery {
		s.pending = 0
		err = datasync(s.file)
	}
	return n, err
}

func (s *syncingSink) Close() error {
	s.file.Close()
	return s.SnapshotSink.Close()
}

func (s *syncingSink) Cancel() error {
	s.file.Close()
	return s.SnapshotSink.Cancel()
}
