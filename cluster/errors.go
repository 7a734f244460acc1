package cluster

import (
	"errors"
	"strings"

	"github.com/hashicorp/raft"
)

// Error replies for Raft failures. CLUSTERDOWN means the command was not
// applied and may be retried; UNCERTAIN means it may or may not have been
// applied (see docs/consistency.md).
const (
	ErrReplyNoLeader = "CLUSTERDOWN no Raft leader is available; the command was not applied"
	ErrReplyShutdown = "UNCERTAIN the node shut down while the write was in flight; it may or may not have been applied"
	ErrReplyLost     = "UNCERTAIN leadership was lost while the write was being committed; it may or may not have been applied"
	ErrReplyTimeout  = "CLUSTERDOWN timed out waiting for the Raft log; the command was not applied"
	// ErrReplyNotLeaderPrefix starts the reply to a command that needs the
	// leader, sent to a follower that knows the leader's client address,
	// which ends the reply.
	ErrReplyNotLeaderPrefix = "CLUSTERDOWN this node is not the Raft leader; the command was not applied; the leader is at "
	// ErrReplyApplyWait answers a read on a follower that did not apply
	// the log up to the leader's read index in time.
	ErrReplyApplyWait = "CLUSTERDOWN timed out waiting for this node to apply the Raft log up to the leader's read index; the command was not run"
	// ErrReplyRemovedPrefix starts every CLUSTERDOWN reply of a node the
	// cluster removed; the command to add it back ends the reply.
	ErrReplyRemovedPrefix = "CLUSTERDOWN this node was removed from the Raft cluster; the command was not applied; to add it back run on the leader: "
)

// ErrNoLeader says that no leader is known (none was elected in time, or
// it cannot be reached).
var ErrNoLeader = errors.New("cluster: no Raft leader is known")

// ErrApplyWait is WaitApplied's error when the index was not applied in time.
var ErrApplyWait = errors.New("cluster: timed out waiting for the state machine to apply the read index")

// ErrorReply is like the package's ErrorReply, but a not-leader error
// names the leader's client address when this node knows it.
// A write the log store failed to take, or that the disk guard refused,
// gets the guard's MISCONF reply (such a write was not applied).
func (n *Node) ErrorReply(err error) string {
	reply := ErrorReply(err)
	if d := n.disk.failure(); d != nil && reply == uncertainPrefix+err.Error() {
		return d.Reply() // not a Raft error: the log store's own failure
	}
	if n.removed.Load() && strings.HasPrefix(reply, "CLUSTERDOWN ") {
		return ErrReplyRemovedPrefix + "RAFT ADDVOTER " + n.cfg.NodeID + " " + n.cfg.RaftAddr
	}
	if errors.Is(err, raft.ErrNotLeader) {
		if addr, ok := n.LeaderClientAddr(); ok {
			return ErrReplyNotLeaderPrefix + addr
		}
	}
	return reply
}

// ErrorReply turns an error from Raft into a Redis-style error reply. It is
// the one place where that translation happens.
func ErrorReply(err error) string {
	switch {
	case errors.Is(err, raft.ErrNotLeader), errors.Is(err, raft.ErrLeadershipTransferInProgress), errors.Is(err, ErrNoLeader):
		return ErrReplyNoLeader
	case errors.Is(err, raft.ErrEnqueueTimeout):
		return ErrReplyTimeout
	case errors.Is(err, raft.ErrLeadershipLost), errors.Is(err, raft.ErrAbortedByRestore):
		return ErrReplyLost
	case errors.Is(err, raft.ErrRaftShutdown):
		return ErrReplyShutdown
	case errors.Is(err, ErrApplyWait):
		return ErrReplyApplyWait
	}
	var refusal *RefusedError
	if errors.As(err, &refusal) {
		return "ERR " + refusal.Error()
	}
	var d *DiskError
	if errors.As(err, &d) {
		return d.Reply()
	}
	return uncertainPrefix + err.Error()
}

// uncertainPrefix starts the reply to an error ErrorReply does not know.
const uncertainPrefix = "UNCERTAIN "
