package cluster

import (
	"log/slog"
	"time"
)

// joinRetry spaces attempts to join.
const joinRetry = 500 * time.Millisecond

// Join asks a running cluster, through the client port of any member
// (target), to add this node as a voter: it sends RAFT ADDVOTER, follows a
// follower's answer naming the leader, and retries until the leader says
// OK or stop is closed. Adding a member that is already there is a no-op,
// so a node may call it on every start. pass, if not empty, is sent with
// AUTH first (the cluster's default user may need it: --requirepass).
// dial connects to the members' client ports (nil: plain TCP).
func Join(target, id, raftAddr, pass string, dial DialFunc, log *slog.Logger, stop <-chan struct{}) {
	addr := target
	for {
		reply, err := adminCall(dial, addr, pass, "RAFT", "ADDVOTER", id, raftAddr)
		switch {
		case err == nil && reply == "+OK":
			log.Info("joined the cluster", "via", addr)
			return
		case err == nil && leaderIn(reply) != "":
			addr = leaderIn(reply)
			continue
		case err != nil:
			log.Warn("failed to reach a cluster member; retrying", "addr", addr, "err", err)
		default:
			log.Warn("the cluster did not add this node yet; retrying", "addr", addr, "reply", reply)
		}
		addr = target
		select {
		case <-stop:
			return
		case <-time.After(joinRetry):
		}
	}
}
