package cluster

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hashicorp/raft"

	"github.com/geetcache/geetcache/protocol"
)

// Disk-guard tuning. An entry is proposed only if the data directory's file
// system has its size plus diskSlack free (room for the log store's pages
// and metadata); the free space is read for every entry (one statfs call,
// about a microsecond, per group-committed entry). While writes are
// refused, the guard looks again at most every diskRetry (Redis retries a
// failed AOF write every second).
const (
	diskSlack = 1 << 20
	diskRetry = 250 * time.Millisecond
)

// DiskError is the reason writes are refused: the Raft log could not be
// written, or would not fit, on the data directory's file system.
type DiskError struct {
	Errno syscall.Errno
}

func (e *DiskError) Error() string { return "cluster: cannot write the Raft log: " + e.Errno.Error() }

// Reply is the MISCONF error reply for a write refused by e.
func (e *DiskError) Reply() string {
	msg := e.Errno.Error()
	return protocol.ErrMisconfLogPrefix + strings.ToUpper(msg[:1]) + msg[1:]
}

// diskGuard keeps the leader from proposing entries its log store cannot
// write. hashicorp/raft answers a failed local log write by stepping down,
// which on a full disk turns every write into an election (and takes reads
// down with it); refusing the write before it reaches Raft keeps the leader
// leading and serving reads. Safe for concurrent use.
type diskGuard struct {
	dir  string
	log  *slog.Logger
	free func(dir string) (uint64, bool) // bytes available to this process, if known

	mu      sync.Mutex
	refused *DiskError // non-nil while writes are refused
	retryAt time.Time  // when a refused guard looks again
	handed  bool       // leadership was handed off since writes were refused
}

func newDiskGuard(dir string, log *slog.Logger) *diskGuard {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &diskGuard{dir: dir, log: log, free: freeBytes}
}

// admit returns nil if an entry of size bytes may be proposed now, or the
// DiskError that refuses it.
func (g *diskGuard) admit(size int) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := time.Now()
	need := uint64(size) + diskSlack
	if g.refused != nil && !g.recover(now, need) {
		return g.refused
	}
	if avail, ok := g.free(g.dir); ok && avail < need {
		g.refuse(syscall.ENOSPC, "free_bytes", avail, "entry_bytes", size)
		return g.refused
	}
	return nil
}

// recover, at most every diskRetry, checks whether an entry needing need
// free bytes can be written again: the space is there and a probe of
// diskSlack bytes can be written and synced.
func (g *diskGuard) recover(now time.Time, need uint64) bool {
	if now.Before(g.retryAt) {
		return false
	}
	g.retryAt = now.Add(diskRetry)
	if avail, ok := g.free(g.dir); ok && avail < need {
		return false
	}
	if err := g.probe(); err != nil {
		return false
	}
	g.log.Warn("the Raft log can be written again: accepting writes", "dir", g.dir)
	g.refused, g.handed = nil, false
	return true
}

// recheck, while writes are refused, looks whether they can be accepted
// again (at most every diskRetry); a follower, which proposes nothing,
// calls it so that its status clears when space returns.
func (g *diskGuard) recheck() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.refused != nil {
		g.recover(time.Now(), diskSlack)
	}
}

// firstHandOff reports whether writes are refused and leadership has not
// been handed off since they were; it records that it now is.
func (g *diskGuard) firstHandOff() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.refused == nil || g.handed {
		return false
	}
	g.handed = true
	return true
}

// probe writes, syncs and removes a file of diskSlack bytes in the data
// directory.
func (g *diskGuard) probe() error {
	path := filepath.Join(g.dir, "disk-probe.tmp")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(make([]byte, diskSlack))
	err = errors.Join(err, f.Sync(), f.Close(), os.Remove(path))
	return err
}

// storeFailed notes a failed write of the log store: writes are refused
// until the probe succeeds.
func (g *diskGuard) storeFailed(err error) {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		errno = syscall.EIO
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.refused == nil {
		g.refuse(errno, "err", err)
	}
}

// refuse starts refusing writes; g.mu is held.
func (g *diskGuard) refuse(errno syscall.Errno, attrs ...any) {
	g.refused = &DiskError{Errno: errno}
	g.retryAt = time.Now().Add(diskRetry)
	g.log.Error("the Raft log cannot be written: refusing writes with MISCONF until it can; reads go on",
		append([]any{"dir", g.dir, "cause", errno.Error()}, attrs...)...)
}

// failure returns the DiskError refusing writes, or nil.
func (g *diskGuard) failure() *DiskError {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.refused
}

// admit returns nil if this node may propose an entry of size bytes, or the
// *DiskError that refuses it. Only a leader is checked: on a follower Raft
// itself refuses the entry with ErrNotLeader, which the caller forwards.
func (n *Node) admit(size int) error {
	if n.raft.State() != raft.Leader {
		return nil
	}
	err := n.disk.admit(size)
	if err != nil {
		n.handOff()
	}
	return err
}

// handOff, once per refusal, hands leadership to another voter, whose disk
// may have space: the cluster goes on taking writes while this node's
// disk is full. A single voter keeps leading (and serving reads).
func (n *Node) handOff() {
	if n.soleVoter() || !n.disk.firstHandOff() {
		return
	}
	n.cfg.Logger.Warn("handing leadership to another voter: this node cannot write its Raft log")
	go func() {
		if err := n.raft.LeadershipTransfer().Error(); err != nil {
			n.cfg.Logger.Warn("leadership hand-off failed", "err", err)
		}
	}()
}

// errorFuture is an ApplyFuture that failed before reaching Raft.
type errorFuture struct{ err error }

func (f errorFuture) Error() error          { return f.err }
func (f errorFuture) Response() interface{} { return nil }
func (f errorFuture) Index() uint64         { return 0 }

// diskLogStore tells the guard when the log store fails to write, sizes
// the entries it stores, and tells the batch loop they are stored.
type diskLogStore struct {
	raft.LogStore
	guard  *diskGuard
	sizes  *logSizes
	stored *storedWatch
}

// IsMonotonic passes on the store's raft.MonotonicLogStore answer.
func (s diskLogStore) IsMonotonic() bool { return isMonotonic(s.LogStore) }

func (s diskLogStore) StoreLog(l *raft.Log) error { return s.StoreLogs([]*raft.Log{l}) }

func (s diskLogStore) StoreLogs(logs []*raft.Log) error {
	start := PathNow()
	err := s.LogStore.StoreLogs(logs)
	if PathTimes {
		pathStored(logs, start)
	}
	if err != nil {
		s.guard.storeFailed(err)
		return err
	}
	s.sizes.add(logs)
	s.stored.stored(logs)
	return nil
}
