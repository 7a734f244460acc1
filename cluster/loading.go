package cluster

import (
	"sync/atomic"

	"github.com/hashicorp/raft"
)

// loadState tells whether a restarted node has caught up with what it had
// applied before it stopped. Raft restores the newest snapshot at start,
// but replays the log after it only once it learns the commit index from
// a leader; until then a local (READONLY) read would see an older state
// than the node served before the restart.
//
// What the node applied before is not stored, but it is bounded: it
// applied only committed entries, and every one of them is in its log or
// its snapshot, so the log's last index at start (target) covers it. The
// node is loaded once it has applied target. Entries at the end of the log
// may never be committed (a deposed leader's tail, later replaced), so it
// is also loaded once it has applied its commit index c, if the entry at c
// is of the current term: c then comes from the current leader, which has
// committed an entry of its term, hence every entry committed before its
// term; and an entry committed in its term before the restart is at or
// below c, since this node's log holds it and c is the leader's commit
// index bounded by this node's last index.
type loadState struct {
	target atomic.Uint64
	done   atomic.Bool
}

// startLoading records the log's last index before Raft starts.
func (n *Node) startLoading(logs raft.LogStore, snaps raft.SnapshotStore) error {
	last, err := logs.LastIndex()
	if err != nil {
		return err
	}
	if metas, err := snaps.List(); err == nil && len(metas) > 0 {
		last = max(last, metas[0].Index)
	}
	n.loading.target.Store(last)
	if n.cfg.Publisher == nil && n.cfg.Tracker == nil {
		return nil
	}
	gate, err := newDeliveryGate(logs, last)
	if err != nil {
		return err
	}
	n.fsm.setPublisher(n.cfg.Publisher, gate)
	if n.cfg.Tracker != nil {
		n.fsm.SetTracker(n.cfg.Tracker)
	}
	return nil
}

// Loading reports whether this node has yet to apply what it had applied
// before it started (see loadState). Once it has, it never loads again.
func (n *Node) Loading() bool {
	if n.loading.done.Load() {
		return false
	}
	applied := n.raftApplied()
	if c := n.raft.CommitIndex(); c < n.loading.target.Load() && applied >= c && n.termAt(c) == n.raft.CurrentTerm() {
		n.loading.target.Store(c)
	}
	if applied < n.loading.target.Load() {
		return true
	}
	if n.loading.done.CompareAndSwap(false, true) {
		n.cfg.Logger.Info("caught up with the state this node had before it started", "applied_index", applied)
	}
	return false
}

// termAt is the term of the entry at index, 0 if it cannot be read.
func (n *Node) termAt(index uint64) uint64 {
	var l raft.Log
	if index == 0 || n.logs.GetLog(index, &l) != nil {
		return 0
	}
	return l.Term
}
