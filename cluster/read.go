package cluster

import (
	"sync"

	"github.com/hashicorp/raft"
)

// ReadBarrier returns nil once a read served from this node's state is
// linearizable: the node leads, has applied every entry of earlier terms
// (one Barrier per term), and a quorum confirmed its leadership after the
// call began (not needed when it is the only voter). Concurrent callers
// share confirmation rounds. The time it returns is the one the read must
// judge expiry by, through ViewAt (see clock).
func (n *Node) ReadBarrier() (int64, error) {
	if err := n.enterLeading(); err != nil {
		return 0, err
	}
	defer n.leaveLeading()
	if err := n.leaderBarrier(); err != nil {
		return 0, err
	}
	t := n.freshReadTime()
	if n.soleVoter() {
		return t, nil
	}
	return t, n.verify.confirm()
}

// ReadIndex returns, on the leader, an index whose application (see
// WaitApplied) makes a node's state fit for a linearizable read that
// arrived before the call. It stands for the commit index once the term's
// Barrier is done (so it covers every entry committed by earlier leaders),
// read before a quorum confirms the leadership (so no later leader can
// have committed anything it misses). Concurrent callers share
// confirmation rounds. The time it returns, taken before the index, is the
// leader's time that the read must judge expiry by, through ViewAt, on
// whichever node serves it (see clock).
func (n *Node) ReadIndex() (uint64, int64, error) {
	if err := n.enterLeading(); err != nil {
		return 0, 0, err
	}
	defer n.leaveLeading()
	if err := n.leaderBarrier(); err != nil {
		return 0, 0, err
	}
	t := n.freshReadTime()
	index := n.stateIndex(n.raft.CommitIndex())
	if n.soleVoter() {
		return index, t, nil
	}
	if err := n.verify.confirm(); err != nil {
		return 0, 0, err
	}
	return index, t, nil
}

// stateIndex returns the index of the last entry up to commit that reaches
// the state machine: a command or a configuration. No-op and barrier
// entries never reach it (hashicorp/raft keeps them from the FSM), so an
// FSM never reports their indexes as applied, and once it has applied
// stateIndex(commit) its state is the state at commit. Entries this
// node's FSM has applied need no lookup; after an election the log ends
// with a no-op and a barrier, two lookups in the log cache.
func (n *Node) stateIndex(commit uint64) uint64 {
	return n.stateIndexAbove(commit, n.fsm.AppliedIndex())
}

// stateIndexAbove is the index of the last entry in (applied, commit] that
// reaches the state machine, or applied if there is none.
func (n *Node) stateIndexAbove(commit, applied uint64) uint64 {
	for i := commit; i > applied; i-- {
		var l raft.Log
		if err := n.logs.GetLog(i, &l); err != nil || l.Type == raft.LogCommand || l.Type == raft.LogConfiguration {
			return i // an entry it cannot read counts as one that changes state
		}
	}
	return applied
}

// leaderBarrier makes sure this node leads and has run a Barrier in its
// current term, so its state machine holds every committed entry; then
// it starts its clock past every earlier leader's read times (clock.lead).
// Every stamp and read time of a term comes after it.
func (n *Node) leaderBarrier() error {
	if n.raft.State() != raft.Leader {
		return raft.ErrNotLeader
	}
	term := n.raft.CurrentTerm()
	if n.barrierTerm.Load() == term {
		return nil
	}
	n.barrierMu.Lock()
	defer n.barrierMu.Unlock()
	if n.barrierTerm.Load() == term {
		return nil
	}
	if err := n.raft.Barrier(n.cfg.ApplyTimeout).Error(); err != nil {
		return err
	}
	n.clock.lead()
	n.barrierTerm.Store(term)
	return nil
}

// verifier batches VerifyLeader calls: a caller joins the next round that
// has not started yet, so its confirmation always begins after it arrived,
// and one round serves every caller that joined it.
type verifier struct {
	raft    *raft.Raft
	mu      sync.Mutex
	next    *round
	running bool
}

type round struct {
	done chan struct{}
	err  error
}

func (v *verifier) confirm() error {
	v.mu.Lock()
	if v.next == nil {
		v.next = &round{done: make(chan struct{})}
	}
	r := v.next
	if !v.running {
		v.running = true
		go v.run()
	}
	v.mu.Unlock()
	<-r.done
	return r.err
}

func (v *verifier) run() {
	for {
		v.mu.Lock()
		r := v.next
		v.next = nil
		if r == nil {
			v.running = false
			v.mu.Unlock()
			return
		}
		v.mu.Unlock()
		r.err = v.raft.VerifyLeader().Error()
		close(r.done)
	}
}
