package cluster

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/raft"
)

// announceEvery is how often the node checks that the replicated state
// holds its client address.
const announceEvery = 250 * time.Millisecond

// soleVoter reports whether this node is the only voter of the latest
// Raft configuration, as Raft itself sees it: hashicorp/raft publishes
// each configuration (appended, not yet committed, included) before it
// acts on it, so a voter added a moment ago is counted by the next read.
// A sole voter needs no quorum to confirm its leadership: no other node
// can be elected without its vote, and it steps down before it grants
// one. Configuration changes add or remove one server at a time, so the
// old and the new majorities always overlap.
//
// A leader keeps the answer for its term (soleVoterCache): reads ask once
// per pipeline, and Raft's GetConfiguration allocates a future each time
// (3.7% of a node's CPU under redis-benchmark GET, docs/benchmarks.md).
func (n *Node) soleVoter() bool {
	if sole, ok := n.voters.lookup(n); ok {
		return sole
	}
	term, gen := n.raft.CurrentTerm(), n.voters.gen.Load()
	sole := n.soleVoterNow()
	n.voters.remember(n, term, gen, sole)
	return sole
}

// soleVoterNow is soleVoter from Raft's latest configuration.
func (n *Node) soleVoterNow() bool {
	servers := n.raft.GetConfiguration().Configuration().Servers
	voters := 0
	self := false
	for _, s := range servers {
		if s.Suffrage == raft.Voter {
			voters++
			self = self || s.ID == raft.ServerID(n.cfg.NodeID)
		}
	}
	return voters == 1 && self
}

// soleVoterCache is a leader's soleVoter answer for its term. A leader's
// configuration changes only through entries it appends itself, and this
// node asks Raft for them only through changeVoters, which counts gen up
// before it asks and again once Raft is done, one change at a time. So an
// answer found in this term and gen, while this node leads, is the answer
// now, with one exception: an answer found just before Raft published the
// change that changeVoters is waiting for is used until that change is
// done. That change adds or removes one server, whose old and new
// majorities overlap (see soleVoter), and the next one cannot begin before
// gen moves on.
type soleVoterCache struct {
	mu     sync.Mutex // one changeVoters at a time
	gen    atomic.Uint64
	answer atomic.Pointer[soleAnswer]
}

type soleAnswer struct {
	term, gen uint64
	sole      bool
}

// lookup returns the answer kept, if it still holds.
func (c *soleVoterCache) lookup(n *Node) (sole, ok bool) {
	a := c.answer.Load()
	if a == nil || a.gen != c.gen.Load() || a.term != n.raft.CurrentTerm() || n.raft.State() != raft.Leader {
		return false, false
	}
	return a.sole, true
}

// remember keeps sole, found in term at gen, if this node still leads in
// that term and no change began since.
func (c *soleVoterCache) remember(n *Node, term, gen uint64, sole bool) {
	if n.raft.State() == raft.Leader && n.raft.CurrentTerm() == term && c.gen.Load() == gen {
		c.answer.Store(&soleAnswer{term: term, gen: gen, sole: sole})
	}
}

// changeVoters runs change, which asks Raft for a configuration change
// and waits for its end, as soleVoterCache requires. Every change of
// this node's goes through it.
func (n *Node) changeVoters(change func() error) error {
	n.voters.mu.Lock()
	defer n.voters.mu.Unlock()
	n.voters.gen.Add(1)
	defer n.voters.gen.Add(1)
	return change()
}

// announceLoop, on the leader, records its client address and, on a
// follower, asks the leader to record it; it also notices when this node
// was removed from the configuration (see watchRemoval).
func (n *Node) announceLoop() {
	defer n.done.Done()
	tick := time.NewTicker(announceEvery)
	defer tick.Stop()
	for {
		n.announce()
		n.seedSettings()
		n.watchRemoval()
		select {
		case <-n.stop:
			return
		case <-tick.C:
		}
	}
}
