package cluster

import (
	"time"

	"github.com/hashicorp/raft"
)

// announceEvery is how often the node checks that the replicated state
// holds its client address.
const announceEvery = 250 * time.Millisecond

// soleVoter reports whether this node is the only voter of the latest
// Raft configuration, as Raft itself sees it at the moment of the call:
// hashicorp/raft publishes each configuration (appended, not yet
// committed, included) before it acts on it, so a voter added a moment
// ago is counted by the next read. A sole voter needs no quorum to confirm
// its leadership: no other node can be elected without its vote, and it
// steps down before it grants one. Configuration changes add or remove one
// server at a time, so the old and the new majorities always overlap.
func (n *Node) soleVoter() bool {
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
