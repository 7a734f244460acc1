package cluster

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"
	wal "github.com/hashicorp/raft-wal"
	"github.com/hashicorp/raft-wal/metadb"
)

// walDirName is the directory, in the data directory, of the segment-file
// Raft log (hashicorp/raft-wal): segment files and wal-meta.db, a small
// bbolt file holding the segment list and Raft's stable store (term, vote).
const walDirName = "wal"

// walSegmentBytes is the size of one segment file. raft-wal preallocates
// each segment and deletes a segment as a whole once every entry in it is
// older than the snapshot's trailing logs, so the log's disk use after a
// snapshot is about the trailing logs plus up to one segment. Smaller
// segments follow the data more closely; each new segment costs a file
// creation and one wal-meta.db transaction.
const walSegmentBytes = 8 << 20

// walCleanKey is a stable-store key that walStore writes as it closes: the
// last index in the log. At the next start the log must reach it: raft-wal
// takes a damaged last batch of a segment for a write torn by a crash and
// drops it, which after a clean stop would lose acknowledged entries in
// silence.
var walCleanKey = []byte("geetcache_clean_last_index")

// walStore is raft-wal as Raft's log and stable store. It reopens the WAL
// after a failed append (see StoreLogs). Safe for concurrent use.
type walStore struct {
	dir  string
	hlog hclog.Logger

	mu   sync.RWMutex       // write-held while w is swapped
	w    *wal.WAL           // nil while a reopen failed
	meta *metadb.BoltMetaDB // w's meta file: wal.WAL.Close leaves it open

	stale atomic.Bool // an append failed: reopen before the next one
}

var (
	_ raft.LogStore    = (*walStore)(nil)
	_ raft.StableStore = (*walStore)(nil)
)

// errWALReopen is what every call returns while the WAL could not be
// opened again after a failed append.
var errWALReopen = errors.New("the raft log could not be reopened after a failed segment rotation")

// openWALStore opens (creating if needed) the WAL in dir, checking first
// that its bbolt meta file reads without a panic, and checks that the log
// reaches the last index recorded at the last clean stop.
func openWALStore(dir string, hlog hclog.Logger) (*walStore, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("failed to create %s: %w", dir, err)
	}
	if err := checkLogFile(filepath.Join(dir, metadb.FileName)); err != nil {
		return nil, err
	}
	s := &walStore{dir: dir, hlog: hlog}
	if err := s.open(); err != nil {
		return nil, err
	}
	if err := s.checkCleanStop(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// open opens raft-wal in s.dir, turning a panic into a damage error; s.mu
// is held or s not yet shared.
func (s *walStore) open() (err error) {
	meta := &metadb.BoltMetaDB{}
	defer func() {
		if r := recover(); r != nil {
			err = logFileDamaged(s.dir, r)
		}
		if err != nil {
			meta.Close()
		}
	}()
	w, err := wal.Open(s.dir, wal.WithSegmentSize(walSegmentBytes), wal.WithMetaStore(meta),
		wal.WithSegmentFiler(newWALFiler(s.dir)), wal.WithLogger(s.hlog.Named("wal")))
	if errors.Is(err, wal.ErrCorrupt) {
		return logFileDamaged(s.dir, err)
	}
	if err != nil {
		return err
	}
	s.w, s.meta = w, meta
	return nil
}

// closeWAL closes the WAL and its meta file; s.mu is held.
func (s *walStore) closeWAL() error {
	if s.w == nil {
		return nil
	}
	err := errors.Join(s.w.Close(), s.meta.Close())
	s.w, s.meta = nil, nil
	return err
}

// IsMonotonic tells Raft that the log takes no gaps: after installing a
// snapshot Raft empties it instead of leaving older entries before a gap.
func (s *walStore) IsMonotonic() bool { return true }

// checkCleanStop compares the log's last index with the one recorded at
// the last clean stop, then forgets it (a crash may legitimately lose an
// unsynced batch, and Raft may truncate the log's tail).
func (s *walStore) checkCleanStop() error {
	want, err := s.w.GetUint64(walCleanKey)
	if err != nil || want == 0 {
		return err
	}
	last, err := s.w.LastIndex()
	if err != nil {
		return logFileDamaged(s.dir, err)
	}
	if last < want {
		return logFileDamaged(s.dir, fmt.Errorf("it ends at entry %d, but held entry %d when the node last stopped", last, want))
	}
	return s.w.SetUint64(walCleanKey, 0)
}

// Close records the last index for the next start's check, then closes
// the WAL.
func (s *walStore) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.w == nil {
		return nil
	}
	last, err := s.w.LastIndex()
	if err == nil {
		err = s.w.SetUint64(walCleanKey, last)
	}
	return errors.Join(err, s.closeWAL())
}

// current returns the open WAL, or errWALReopen.
func (s *walStore) current() (*wal.WAL, func(), error) {
	s.mu.RLock()
	if s.w == nil {
		s.mu.RUnlock()
		return nil, nil, errWALReopen
	}
	return s.w, s.mu.RUnlock, nil
}

// FirstIndex returns the first stored log's index, 0 if none.
func (s *walStore) FirstIndex() (uint64, error) {
	w, done, err := s.current()
	if err != nil {
		return 0, err
	}
	defer done()
	return w.FirstIndex()
}

// LastIndex returns the last stored log's index, 0 if none.
func (s *walStore) LastIndex() (uint64, error) {
	w, done, err := s.current()
	if err != nil {
		return 0, err
	}
	defer done()
	return w.LastIndex()
}

// GetLog reads log idx into l.
func (s *walStore) GetLog(idx uint64, l *raft.Log) error {
	w, done, err := s.current()
	if err != nil {
		return err
	}
	defer done()
	return w.GetLog(idx, l)
}

// StoreLog stores one log.
func (s *walStore) StoreLog(l *raft.Log) error { return s.StoreLogs([]*raft.Log{l}) }

// StoreLogs appends logs with one fsync. After a failed append the WAL is
// reopened before the next one: raft-wal's writer can be left inconsistent
// by a failed write (on a full disk its index held an entry that never
// committed, and every later append failed as non-monotonic), and a failed
// segment rotation leaves every later append failing with ErrSealed.
// Reopening rebuilds its state from what was committed on disk.
func (s *walStore) StoreLogs(logs []*raft.Log) error {
	if s.stale.Load() {
		if err := s.reopen(); err != nil {
			return err
		}
	}
	err := s.storeLogs(logs)
	if err == nil {
		return nil
	}
	s.stale.Store(true)
	if errors.Is(err, wal.ErrSealed) && s.reopen() == nil {
		err = s.storeLogs(logs)
	}
	if err != nil {
		s.stale.Store(true)
	}
	return err
}

func (s *walStore) storeLogs(logs []*raft.Log) error {
	w, done, err := s.current()
	if err != nil {
		return err
	}
	defer done()
	return w.StoreLogs(logs)
}

// reopen closes and opens the WAL again, if still stale.
func (s *walStore) reopen() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.stale.Load() {
		return nil
	}
	s.closeWAL()
	if err := s.open(); err != nil {
		return fmt.Errorf("%w: %w", errWALReopen, err)
	}
	s.stale.Store(false)
	s.hlog.Warn("reopened the raft log after a failed append", "dir", s.dir)
	return nil
}

// DeleteRange deletes the logs from min to max, inclusive: a prefix or a
// suffix of the log (whole segments go at once).
func (s *walStore) DeleteRange(min, max uint64) error {
	w, done, err := s.current()
	if err != nil {
		return err
	}
	defer done()
	return w.DeleteRange(min, max)
}

// Set stores a stable-store key.
func (s *walStore) Set(k, v []byte) error {
	w, done, err := s.current()
	if err != nil {
		return err
	}
	defer done()
	return w.Set(k, v)
}

// Get returns a stable-store key's value; a missing key gives errKeyNotFound.
func (s *walStore) Get(k []byte) ([]byte, error) {
	w, done, err := s.current()
	if err != nil {
		return nil, err
	}
	defer done()
	v, err := w.Get(k)
	if err == nil && v == nil {
		return nil, errKeyNotFound
	}
	return v, err
}

// SetUint64 stores v under k.
func (s *walStore) SetUint64(k []byte, v uint64) error {
	w, done, err := s.current()
	if err != nil {
		return err
	}
	defer done()
	return w.SetUint64(k, v)
}

// GetUint64 reads what SetUint64 stored (0 if missing).
func (s *walStore) GetUint64(k []byte) (uint64, error) {
	w, done, err := s.current()
	if err != nil {
		return 0, err
	}
	defer done()
	return w.GetUint64(k)
}
