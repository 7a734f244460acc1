package cluster

import (
	"github.com/hashicorp/raft"
)

// Membership is what the latest Raft configuration says of this node.
type Membership string

const (
	MemberVoter    Membership = "voter"
	MemberNonvoter Membership = "nonvoter"
	// MemberNone: no configuration yet; the node waits to be added.
	MemberNone Membership = "none"
	// MemberRemoved: the configuration no longer holds this node. No
	// member talks to it any more, so it will never have a leader again
	// until it is added back (RAFT ADDVOTER on the leader).
	MemberRemoved Membership = "removed"
)

// membership reads the latest configuration (see soleVoter for what
// "latest" means).
func (n *Node) membership() Membership {
	servers := n.raft.GetConfiguration().Configuration().Servers
	if len(servers) == 0 {
		return MemberNone
	}
	for _, s := range servers {
		if s.ID == raft.ServerID(n.cfg.NodeID) {
			if s.Suffrage == raft.Voter {
				return MemberVoter
			}
			return MemberNonvoter
		}
	}
	return MemberRemoved
}

// watchRemoval logs, once each time it happens, that the cluster removed
// this node, with what to do about it; ErrorReply says so from then on.
func (n *Node) watchRemoval() {
	removed := n.membership() == MemberRemoved
	if n.removed.Swap(removed) || !removed {
		return
	}
	n.cfg.Logger.Error("this node was removed from the Raft cluster: it has no leader and answers "+
		"every command that needs one with CLUSTERDOWN; to add it back, run RAFT ADDVOTER "+
		n.cfg.NodeID+" "+n.cfg.RaftAddr+" on the leader", "node_id", n.cfg.NodeID)
}
