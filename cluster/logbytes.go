package cluster

import (
	"errors"
	"sync"
	"time"

	"github.com/hashicorp/raft"
)

// Byte limits on the Raft log (hashicorp/raft counts only entries; see
// docs/architecture.md, "Raft limits in bytes"):
//
//   - maxAppendEntries entries per AppendEntries message. An entry holds one
//     group commit of at most maxBatchBytes, or a single larger command, so
//     a message carries at most maxAppendEntries × max(maxBatchBytes, the
//     largest command) bytes.
//   - A snapshot once SnapshotThresholdBytes, or the newest snapshot's size
//     if that is larger, have been stored in the log since the last one
//     (checked every byteLimitsInterval), besides Raft's own count
//     threshold. Following the snapshot's size (as Redis's
//     auto-aof-rewrite-percentage 100 follows the rewritten AOF's) keeps
//     the log within about the data set's size plus the trailing bytes,
//     and a large data set from being rewritten after every few MiB.
//   - After a snapshot, at most TrailingBytes of the newest entries (and at
//     most TrailingLogs entries) stay in the log: TrailingLogs is reloaded
//     into Raft as the count of newest entries that fit in TrailingBytes.
const (
	maxAppendEntries   = 16
	byteLimitsInterval = time.Second
	// maxSizesKept bounds the entry sizes remembered for TrailingBytes.
	maxSizesKept = 1 << 16
)

// entrySize is one stored entry's index and data size.
type entrySize struct {
	index uint64
	bytes uint64
}

// logSizes counts the bytes of entries this node stores in its log and
// remembers the sizes of the newest ones. Safe for concurrent use.
type logSizes struct {
	mu         sync.Mutex
	ring       []entrySize // the newest entries, oldest first from next
	next       int
	stored     uint64 // bytes stored since the node started
	atSnapshot uint64 // stored when the last snapshot began
}

func newLogSizes(keep uint64) *logSizes {
	return &logSizes{ring: make([]entrySize, 0, min(max(keep, 1), maxSizesKept))}
}

// add records stored entries.
func (s *logSizes) add(logs []*raft.Log) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range logs {
		e := entrySize{l.Index, uint64(len(l.Data))}
		s.stored += e.bytes
		if len(s.ring) < cap(s.ring) {
			s.ring = append(s.ring, e)
			continue
		}
		s.ring[s.next] = e
		s.next = (s.next + 1) % len(s.ring)
	}
}

// snapshotBegan marks the start of a snapshot.
func (s *logSizes) snapshotBegan() {
	s.mu.Lock()
	s.atSnapshot = s.stored
	s.mu.Unlock()
}

// sinceSnapshot is how many bytes were stored since the last snapshot began.
func (s *logSizes) sinceSnapshot() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stored - s.atSnapshot
}

// newestWithin returns how many of the newest entries (at most limit, at
// least one) hold at most budget bytes together.
func (s *logSizes) newestWithin(budget, limit uint64) uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var count, sum uint64
	for i := range s.ring {
		e := s.ring[(s.next+len(s.ring)-1-i)%len(s.ring)]
		if count >= limit || sum+e.bytes > budget {
			break
		}
		count++
		sum += e.bytes
	}
	if count == uint64(len(s.ring)) && len(s.ring) < cap(s.ring) && count < limit {
		count = limit // every entry stored since start fits; older ones are not known to be large
	}
	return max(count, 1)
}

// snapshotNoter is the FSM as Raft sees it: it tells logSizes when a
// snapshot begins.
type snapshotNoter struct {
	*FSM
	sizes *logSizes
}

func (f snapshotNoter) Snapshot() (raft.FSMSnapshot, error) {
	f.sizes.snapshotBegan()
	return f.FSM.Snapshot()
}

// byteLimitsLoop applies the byte limits every byteLimitsInterval, and
// lets the disk guard look whether a refused log can be written again.
func (n *Node) byteLimitsLoop() {
	defer n.done.Done()
	tick := time.NewTicker(byteLimitsInterval)
	defer tick.Stop()
	var retryAt time.Time
	for {
		select {
		case <-n.stop:
			return
		case now := <-tick.C:
			n.disk.recheck()
			n.reloadTrailingLogs()
			if now.After(retryAt) && !n.snapshotByBytes() {
				retryAt = now.Add(n.cfg.SnapshotInterval) // do not rewrite the data set every second on a failing disk
			}
		}
	}
}

// reloadTrailingLogs sets Raft's TrailingLogs to the newest entries that
// fit in TrailingBytes (at most the configured TrailingLogs).
func (n *Node) reloadTrailingLogs() {
	want := n.sizes.newestWithin(n.cfg.TrailingBytes, n.cfg.TrailingLogs)
	rc := n.raft.ReloadableConfig()
	if rc.TrailingLogs == want {
		return
	}
	rc.TrailingLogs = want
	if err := n.raft.ReloadConfig(rc); err != nil {
		n.cfg.Logger.Warn("failed to bound the trailing log by bytes", "err", err)
	}
}

// snapshotByBytes takes a snapshot if SnapshotThresholdBytes, or the
// newest snapshot's size if larger, were stored since the last one (the
// snapshot store is listed only once the first is reached). It reports
// false if a snapshot failed.
func (n *Node) snapshotByBytes() bool {
	since := n.sizes.sinceSnapshot()
	if since < n.cfg.SnapshotThresholdBytes {
		return true
	}
	threshold := max(n.cfg.SnapshotThresholdBytes, newestSnapshotSize(n.snaps))
	if since < threshold {
		return true
	}
	n.cfg.Logger.Info("taking a snapshot: the log grew past the byte threshold", "bytes_since_snapshot", since,
		"threshold", threshold)
	err := n.raft.Snapshot().Error()
	if err != nil && !errors.Is(err, raft.ErrNothingNewToSnapshot) {
		n.cfg.Logger.Warn("snapshot by bytes failed", "err", err)
		return false
	}
	return true
}

// newestSnapshotSize is the size of the newest snapshot in snaps, 0 if
// there is none or it cannot be listed.
func newestSnapshotSize(snaps raft.SnapshotStore) uint64 {
	metas, err := snaps.List()
	if err != nil || len(metas) == 0 || metas[0].Size < 0 {
		return 0
	}
	return uint64(metas[0].Size)
}
