package cluster

import (
	"errors"

	"github.com/hashicorp/raft"

	"github.com/geetcache/geetcache/protocol"
)

// ErrNoLeader says that no leader is known (none was elected in time, or
// it cannot be reached).
var ErrNoLeader = errors.New("cluster: no Raft leader is known")

// ErrApplyWait is WaitApplied's error when the index was not applied in time.
var ErrApplyWait = errors.New("cluster: timed out waiting for the state machine to apply the read index")

// ErrorReply turns an error from Raft (or from this package's own checks)
// into a Redis-style error reply, one of protocol's cluster errors. It is
// the one place where that translation happens. A not-leader error names
// the leader's client address when this node knows it; a write the log
// store failed to take, or that the disk guard refused, gets the guard's
// MISCONF reply (such a write was not applied); every CLUSTERDOWN of a node
// the cluster removed says how to add it back.
func (n *Node) ErrorReply(err error) string {
	reply := raftErrorReply(err)
	if errors.Is(err, errNotDurable) {
		return reply // UNCERTAIN: its followers may still commit it
	}
	if d := n.disk.failure(); d != nil && reply == protocol.ErrReplyUncertainPrefix+err.Error() {
		return d.Reply() // not a Raft error: the log store's own failure
	}
	if n.removed.Load() && protocol.IsClusterDown(reply) {
		return protocol.ErrReplyRemovedPrefix + "RAFT ADDVOTER " + n.cfg.NodeID + " " + n.cfg.RaftAddr
	}
	if errors.Is(err, raft.ErrNotLeader) {
		if addr, ok := n.LeaderClientAddr(); ok {
			return protocol.ErrReplyNotLeaderPrefix + addr
		}
	}
	return reply
}

// raftErrorReply is ErrorReply's table: the reply for err that needs
// nothing from the node.
func raftErrorReply(err error) string {
	switch {
	case errors.Is(err, raft.ErrNotLeader), errors.Is(err, raft.ErrLeadershipTransferInProgress), errors.Is(err, ErrNoLeader):
		return protocol.ErrReplyNoLeader
	case errors.Is(err, raft.ErrEnqueueTimeout):
		return protocol.ErrReplyTimeout
	case errors.Is(err, raft.ErrLeadershipLost), errors.Is(err, raft.ErrAbortedByRestore):
		return protocol.ErrReplyLost
	case errors.Is(err, raft.ErrRaftShutdown):
		return protocol.ErrReplyShutdown
	case errors.Is(err, ErrApplyWait):
		return protocol.ErrReplyApplyWait
	}
	var refusal *RefusedError
	if errors.As(err, &refusal) {
		return "ERR " + refusal.Error()
	}
	var d *DiskError
	if errors.As(err, &d) {
		return d.Reply()
	}
	return protocol.ErrReplyUncertainPrefix + err.Error()
}
