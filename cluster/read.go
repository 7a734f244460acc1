package cluster

import (
	"sync"

	"github.com/hashicorp/raft"
)

// ReadBarrier returns nil once a read served from this node's state is
// linearizable: the node leads, has applied every entry of earlier terms
// (one Barrier per term), and a quorum confirmed its leadership after the
// call began (not needed when it is the only voter). Concurrent callers
// share confirmation rounds.
func (n *Node) ReadBarrier() error {
	if err := n.leaderBarrier(); err != nil {
		return err
	}
	if n.voters.Load() == 1 {
		return nil
	}
	return n.verify.confirm()
}

// leaderBarrier makes sure this node leads and has run a Barrier in its
// current term, so its state machine holds every committed entry.
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
