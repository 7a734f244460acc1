package cluster

import (
	"sync"
	"time"

	"github.com/hashicorp/raft-wal/segment"
	"github.com/hashicorp/raft-wal/types"
)

// walFiler is raft-wal's segment filer, except that it can open a sealed
// segment that has no index block. raft-wal v0.4.0 (the last release)
// marks the tail segment sealed when it truncates the log's tail (Raft
// does, when a follower's log conflicts with its leader's) but never
// writes that segment's index block, so after a restart every read from it
// failed with "sealed segment has no index block" (hashicorp/raft-wal#31,
// fixed upstream by #33 after v0.4.0, unreleased). Such a segment is read
// here as raft-wal reads its tail after a crash: by scanning its frames up
// to the last intact commit.
type walFiler struct{ *segment.Filer }

var _ types.SegmentFiler = walFiler{}

func newWALFiler(dir string) walFiler { return walFiler{segment.NewFiler(dir, newDataSyncFS())} }

// Open opens a sealed segment for reading.
func (f walFiler) Open(info types.SegmentInfo) (types.SegmentReader, error) {
	if info.IndexStart != 0 || info.SealTime.IsZero() {
		return f.Filer.Open(info)
	}
	w, err := f.Filer.RecoverTail(info)
	if err != nil {
		return nil, err
	}
	return scannedSegment{w, info}, nil
}

// scannedSegment reads a sealed segment through the writer that scanned
// it, bounded by the segment's recorded indexes: the frames after its
// MaxIndex are entries the truncation removed.
type scannedSegment struct {
	types.SegmentWriter
	info types.SegmentInfo
}

// GetLog returns entry idx's raw bytes, or ErrNotFound outside the
// segment's indexes.
func (s scannedSegment) GetLog(idx uint64) (*types.PooledBuffer, error) {
	if idx < s.info.MinIndex || (s.info.MaxIndex > 0 && idx > s.info.MaxIndex) {
		return nil, types.ErrNotFound
	}
	return s.SegmentWriter.GetLog(idx)
}

// Create creates a new tail segment.
func (f walFiler) Create(info types.SegmentInfo) (types.SegmentWriter, error) {
	w, err := f.Filer.Create(info)
	if err != nil {
		return nil, err
	}
	return &sealingWriter{w: w, filer: f.Filer, info: info}, nil
}

// RecoverTail opens the tail segment after a restart.
func (f walFiler) RecoverTail(info types.SegmentInfo) (types.SegmentWriter, error) {
	w, err := f.Filer.RecoverTail(info)
	if err != nil {
		return nil, err
	}
	return &sealingWriter{w: w, filer: f.Filer, info: info}, nil
}

// sealingWriter is a tail segment's writer that, once the segment is
// sealed, reads it through a plain reader and lets the writer go.
// raft-wal keeps a sealed segment's writer as its reader until the segment
// is deleted, and the writer keeps its commit buffer at the size of the
// largest batch it wrote: a 100 MB SET held another 128 MB of heap for
// good, and a follower catching up on 256 MiB in 16 MiB batches (one 8 MiB
// segment each) held one such buffer per segment (its RssAnon rose 591
// MiB, 160 MiB with bolt).
type sealingWriter struct {
	filer *segment.Filer
	info  types.SegmentInfo

	mu   sync.RWMutex
	w    types.SegmentWriter // nil once sealed
	r    types.SegmentReader // the sealed segment's reader
	last uint64              // LastIndex once sealed
}

// Append appends entries (never after the segment is sealed).
func (s *sealingWriter) Append(entries []types.LogEntry) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.w == nil {
		return types.ErrSealed
	}
	return s.w.Append(entries)
}

// Sealed reports whether the segment is sealed; the first time it is, the
// writer is closed and a reader opened in its place.
func (s *sealingWriter) Sealed() (bool, uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.w == nil {
		return true, s.info.IndexStart, nil
	}
	sealed, indexStart, err := s.w.Sealed()
	if !sealed || err != nil {
		return sealed, indexStart, err
	}
	info := s.info
	info.IndexStart, info.MaxIndex, info.SealTime = indexStart, s.w.LastIndex(), time.Now()
	r, err := s.filer.Open(info)
	if err != nil {
		return true, indexStart, nil // keep reading through the writer
	}
	s.last, s.info, s.r = info.MaxIndex, info, r
	s.w.Close()
	s.w = nil
	return true, indexStart, nil
}

// LastIndex returns the last index appended.
func (s *sealingWriter) LastIndex() uint64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.w == nil {
		return s.last
	}
	return s.w.LastIndex()
}

// GetLog returns entry idx's raw bytes.
func (s *sealingWriter) GetLog(idx uint64) (*types.PooledBuffer, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.w == nil {
		return s.r.GetLog(idx)
	}
	return s.w.GetLog(idx)
}

// Close closes the writer or the reader.
func (s *sealingWriter) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.w == nil {
		return s.r.Close()
	}
	return s.w.Close()
}
