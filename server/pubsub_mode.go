package server

import (
	"github.com/geetcache/geetcache/protocol"
)

// subscribedAllowed are the commands a RESP2 connection may run while it
// has a subscription (Redis 7.0's processCommand). RESP3 has no such limit.
var subscribedAllowed = map[string]bool{
	"ping": true, "subscribe": true, "ssubscribe": true, "psubscribe": true, "unsubscribe": true,
	"sunsubscribe": true, "punsubscribe": true, "quit": true, "reset": true,
}

// subscribedRejection is the error for a call a RESP2 subscribed
// connection may not run, or "" when it may. It names the subcommand,
// as Redis names the command it found ('client|info').
func subscribedRejection(c *client, cl *call) string {
	if !cl.ok || !c.restricted() || subscribedAllowed[cl.cmd.Name] {
		return ""
	}
	name := cl.cmd.Name
	if len(cl.args) > 1 {
		if sub := protocol.SubcommandOf(cl.cmd, cl.args[1]); sub != nil {
			name = sub.Name
		}
	}
	return "ERR Can't execute '" + name + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"
}

// publishReply is a follower's reply to a PUBLISH or SPUBLISH the leader
// applied: the count of this node's subscribers it reaches (the node the
// client asked, as a Redis Cluster node answers with its own), in place of
// the leader's count. Errors are relayed as they are.
func (s *Server) publishReply(args [][]byte, leader []byte) []byte {
	if len(leader) == 0 || leader[0] != ':' {
		return leader
	}
	shard := protocol.EqualFold(args[0], "spublish")
	n := s.broker.Receivers(args[1], shard)
	w := protocol.Writer{}
	w.Int(int64(n))
	return w.B
}

// isPublish reports whether cmd is PUBLISH or SPUBLISH.
func isPublish(cmd *protocol.Command) bool { return cmd.Name == "publish" || cmd.Name == "spublish" }
