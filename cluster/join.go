package cluster

import (
	"bufio"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/tidwall/redcon"

	"github.com/geetcache/geetcache/protocol"
)

// joinTimeout bounds one attempt to reach a member; joinRetry spaces them.
const (
	joinTimeout = 5 * time.Second
	joinRetry   = 500 * time.Millisecond
)

// Join asks a running cluster, through the client port of any member
// (target), to add this node as a voter: it sends RAFT ADDVOTER, follows a
// follower's answer naming the leader, and retries until the leader says
// OK or stop is closed. Adding a member that is already there is a no-op,
// so a node may call it on every start.
func Join(target, id, raftAddr string, log *slog.Logger, stop <-chan struct{}) {
	addr := target
	for {
		reply, err := adminCall(addr, "RAFT", "ADDVOTER", id, raftAddr)
		switch {
		case err == nil && reply == "+OK":
			log.Info("joined the cluster", "via", addr)
			return
		case err == nil && strings.Contains(reply, protocol.ErrReplyNotLeaderPrefix):
			addr = reply[strings.Index(reply, protocol.ErrReplyNotLeaderPrefix)+len(protocol.ErrReplyNotLeaderPrefix):]
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

// adminCall sends one command to a member's client port and returns the
// first line of the reply.
func adminCall(addr string, args ...string) (string, error) {
	nc, err := net.DialTimeout("tcp", addr, joinTimeout)
	if err != nil {
		return "", err
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(joinTimeout))
	cmd := redcon.AppendArray(nil, len(args))
	for _, a := range args {
		cmd = redcon.AppendBulkString(cmd, a)
	}
	if _, err := nc.Write(cmd); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(nc).ReadString('\n')
	return strings.TrimRight(line, "\r\n"), err
}
