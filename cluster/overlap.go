package cluster

import (
	"log/slog"
	"sync"
	"time"

	"github.com/hashicorp/raft"
)

// overlapLogs lets a leader's own log write overlap the entry's
// replication. Raft allows a leader to send an entry to its followers
// while it writes the entry to its own disk, as long as it counts itself
// towards the entry's majority only once its copy is durable (Ongaro's
// thesis, §10.2.1). hashicorp/raft v1.7.3 tells its replication goroutines
// of an entry only once the log store's StoreLogs has returned
// (dispatchLogs), and counts the leader at that moment: the follower's
// receipt, write and fsync came after the leader's fsync, never beside it
// (docs/benchmarks.md, "where a write's time goes").
//
// So on a leader with other voters StoreLogs here returns at once: the
// entries are kept in memory (GetLog serves them to the replication
// goroutines) and written and synced, in order, by a goroutine of this
// store's own, one write for all the entries waiting. durable says how far
// the log is on disk. What keeps Raft's guarantee is that nothing acts on
// an entry before durable covers it: the state machine applies an entry
// only then (durableFSM), and the commit index sent to followers is capped
// at it (durableCommitTransport). An entry is thus applied by a replica,
// and answered to its client, only once it is on the leader's disk and on
// the disks of enough followers to make a majority with it. An entry that
// the leader loses in a crash before its write was never applied or
// answered anywhere, exactly as an entry the leader never stored.
//
// A follower's StoreLogs, and every DeleteRange, first waits for the
// writes in flight, so the disk store sees the calls in Raft's order. A
// sole voter stores as before: it has nothing to overlap.
type overlapLogs struct {
	raft.LogStore               // the disk store
	async         func() bool   // whether StoreLogs may return before its write
	applied       func() uint64 // the state machine's last applied index
	log           *slog.Logger
	durable       *durableIndex

	mu      sync.Mutex
	changed sync.Cond   // queued or writing changed, or closed
	queued  []*raft.Log // accepted, not yet being written
	writing []*raft.Log // being written
	closed  bool
	done    chan struct{} // closed when the writer has returned
}

// overlapRetry is how long the writer waits before it tries a failed
// write again (the disk guard refuses new writes meanwhile).
const overlapRetry = diskRetry

// newOverlapLogs wraps store, whose log is on disk up to its last index,
// and starts its writer.
func newOverlapLogs(store raft.LogStore, async func() bool, applied func() uint64, log *slog.Logger) (*overlapLogs, error) {
	last, err := store.LastIndex()
	if err != nil {
		return nil, err
	}
	s := &overlapLogs{LogStore: store, async: async, applied: applied, log: log,
		durable: newDurableIndex(last), done: make(chan struct{})}
	s.changed.L = &s.mu
	go s.writeLoop()
	return s, nil
}

// IsMonotonic passes on the store's raft.MonotonicLogStore answer.
func (s *overlapLogs) IsMonotonic() bool { return isMonotonic(s.LogStore) }

// StoreLog stores one entry; see StoreLogs.
func (s *overlapLogs) StoreLog(l *raft.Log) error { return s.StoreLogs([]*raft.Log{l}) }

// StoreLogs queues logs for the writer when async says so, and otherwise
// writes them itself once the writes in flight are done.
func (s *overlapLogs) StoreLogs(logs []*raft.Log) error {
	if len(logs) == 0 {
		return nil
	}
	if s.async() && s.enqueue(logs) {
		return nil
	}
	s.flush()
	if err := s.LogStore.StoreLogs(logs); err != nil {
		return err
	}
	s.durable.set(logs[len(logs)-1].Index)
	return nil
}

// enqueue hands logs to the writer, unless the store is closing.
func (s *overlapLogs) enqueue(logs []*raft.Log) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.queued = append(s.queued, logs...)
	s.changed.Broadcast()
	return true
}

// flush waits until every queued entry is written.
func (s *overlapLogs) flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.queued) > 0 || len(s.writing) > 0 {
		s.changed.Wait()
	}
}

// writeLoop writes what is queued, all of it at a time, until the store
// is closed and nothing is left.
func (s *overlapLogs) writeLoop() {
	defer close(s.done)
	for {
		s.mu.Lock()
		for len(s.queued) == 0 && !s.closed {
			s.changed.Wait()
		}
		if len(s.queued) == 0 {
			s.mu.Unlock()
			return
		}
		s.writing, s.queued = s.queued, nil
		batch := s.writing
		s.mu.Unlock()

		ok := s.write(batch)
		s.mu.Lock()
		if ok {
			s.durable.set(batch[len(batch)-1].Index)
		} else {
			s.queued = nil // closed: what was never written was never applied
		}
		s.writing = nil
		s.changed.Broadcast()
		s.mu.Unlock()
	}
}

// write stores batch, trying again every overlapRetry until it succeeds
// or the store is closed. The entries are in the leader's log as Raft
// sees it: they can be neither dropped nor skipped while it runs.
func (s *overlapLogs) write(batch []*raft.Log) bool {
	for failures := 0; ; failures++ {
		err := s.LogStore.StoreLogs(batch)
		if err == nil {
			if failures > 0 {
				s.log.Warn("the Raft log was written after failing", "failures", failures)
			}
			return true
		}
		if failures == 0 {
			s.log.Error("failed to write the Raft log: trying again; nothing past its last written entry is applied meanwhile",
				"err", err, "first", batch[0].Index, "last", batch[len(batch)-1].Index)
		}
		if s.isClosed() {
			return false
		}
		time.Sleep(overlapRetry)
	}
}

func (s *overlapLogs) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// GetLog reads entry idx, from memory while it waits to be written.
func (s *overlapLogs) GetLog(idx uint64, l *raft.Log) error {
	if p := s.unwritten(idx); p != nil {
		*l = *p
		return nil
	}
	return s.LogStore.GetLog(idx, l)
}

// unwritten returns entry idx if it is queued or being written. An entry
// leaves memory only once it is on disk, so a miss here finds it there.
// Both lists hold consecutive indexes: Raft appends in order, and every
// other call waits until they are written.
func (s *overlapLogs) unwritten(idx uint64) *raft.Log {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, logs := range [2][]*raft.Log{s.writing, s.queued} {
		if len(logs) > 0 && idx >= logs[0].Index && idx <= logs[len(logs)-1].Index {
			return logs[idx-logs[0].Index]
		}
	}
	return nil
}

// FirstIndex returns the first entry's index, 0 if there is none.
func (s *overlapLogs) FirstIndex() (uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	first, err := s.LogStore.FirstIndex()
	if err != nil || first != 0 {
		return first, err
	}
	for _, logs := range [2][]*raft.Log{s.writing, s.queued} {
		if len(logs) > 0 {
			return logs[0].Index, nil
		}
	}
	return 0, nil
}

// LastIndex returns the last entry's index, 0 if there is none.
func (s *overlapLogs) LastIndex() (uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, logs := range [2][]*raft.Log{s.queued, s.writing} {
		if len(logs) > 0 {
			return logs[len(logs)-1].Index, nil
		}
	}
	return s.LogStore.LastIndex()
}

// DeleteRange deletes entries min to max once the writes in flight are
// done. Deleting entries not yet applied (a follower's conflicting tail,
// or its whole log when it installs a snapshot) brings durable back to
// min-1: the entries stored in their place are durable only once written.
// A compaction deletes applied entries only, and leaves durable as it is.
func (s *overlapLogs) DeleteRange(min, max uint64) error {
	s.flush()
	if err := s.LogStore.DeleteRange(min, max); err != nil {
		return err
	}
	if max > s.applied() && min > 0 {
		s.durable.lower(min - 1)
	}
	return nil
}

// Close writes what is queued (or gives up on a failing disk), stops the
// writer and releases whoever waits on durable. It does not close the
// disk store.
func (s *overlapLogs) Close() {
	s.mu.Lock()
	s.closed = true
	s.changed.Broadcast()
	s.mu.Unlock()
	<-s.done
	s.durable.close()
}

// overlapsWrites reports whether this node's log store may return from
// StoreLogs before the write (overlapLogs): Raft leads, with other voters.
// Raft calls StoreLogs from its main goroutine, the one that changes its
// state, so the answer holds for the call. The voters are read from
// Raft's configuration each time, not through soleVoter's kept answer:
// Raft stores a configuration entry before it publishes that
// configuration, and an answer kept from that moment would outlive it.
// Either answer is safe here: the checks on durable do not depend on it,
// only whether the write overlaps anything.
func (n *Node) overlapsWrites() bool {
	r := n.raftReady.Load() // set after n.raft, which soleVoterNow reads
	return r != nil && r.State() == raft.Leader && !n.soleVoterNow()
}
