package cluster

import (
	"time"

	"github.com/hashicorp/raft"
)

// unpinnedLogs is a log store that is given copies of the entries it
// stores. hashicorp/raft (v1.7.3, dispatchLogs) hands the log store
// pointers into its apply futures (&applyLog.log), and raft.LogCache keeps
// those pointers, so each cached entry kept its future alive, and with it
// the state machine's replies to every unit of the entry: after 100
// pipelined GETEX of a 4 MB value, 2 GB of replies stayed in memory for as
// long as their entries were cached. A copy of a raft.Log shares its Data;
// only the struct is copied.
// It also times the entries it is given against when the leader appended
// them (leaderClock).
type unpinnedLogs struct {
	raft.LogStore
	clock *leaderClock
}

// StoreLog stores a copy of l.
func (u unpinnedLogs) StoreLog(l *raft.Log) error {
	c := *l
	return u.LogStore.StoreLog(&c)
}

// StoreLogs stores copies of logs.
func (u unpinnedLogs) StoreLogs(logs []*raft.Log) error {
	if len(logs) > 0 && u.clock != nil {
		last := logs[len(logs)-1]
		u.clock.observe(last.Term, appendedAt(last), time.Now().UnixNano())
	}
	copies := make([]raft.Log, len(logs))
	ptrs := make([]*raft.Log, len(logs))
	for i, l := range logs {
		copies[i] = *l
		ptrs[i] = &copies[i]
	}
	return u.LogStore.StoreLogs(ptrs)
}

// appendedAt is when the leader appended l (unix ns), 0 when unknown.
func appendedAt(l *raft.Log) int64 {
	if l.AppendedAt.IsZero() {
		return 0
	}
	return l.AppendedAt.UnixNano()
}

// IsMonotonic passes on the store's raft.MonotonicLogStore answer.
func (u unpinnedLogs) IsMonotonic() bool { return isMonotonic(u.LogStore) }

// isMonotonic reports whether s refuses gaps between entries (raft-wal):
// Raft then empties the log after installing a snapshot.
func isMonotonic(s raft.LogStore) bool {
	m, ok := s.(raft.MonotonicLogStore)
	return ok && m.IsMonotonic()
}
