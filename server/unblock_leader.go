package server

import (
	"strconv"

	"github.com/geetcache/geetcache/protocol"
)

// CLIENT UNBLOCK of a client whose blocking command this follower sent to
// the leader (forwardOnce): the client waits on the leader, as the
// leader's client of its link, so the follower sends CLIENT UNBLOCK with
// that link's ID to the leader, over the caller's own link (the caller's
// user decides there too), and relays the answer. The link's ID is asked
// once, with CLIENT ID sent just before the link's first blocking command
// (no round trip of its own); a user that may not call it leaves it
// unknown, and CLIENT UNBLOCK then answers 0 as for a client not blocked.

var clientIDArgs = [][]byte{[]byte("CLIENT"), []byte("ID")}

// linkID is CLIENT ID's reply as a number, 0 for any other reply.
func linkID(reply []byte) int64 {
	if len(reply) < 4 || reply[0] != ':' {
		return 0
	}
	n, err := strconv.ParseInt(string(reply[1:len(reply)-2]), 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// unblockAtLeader sends CLIENT UNBLOCK for target, blocked on the leader,
// and writes the leader's answer; false when target's link ID is unknown
// (the caller answers 0).
func (s *Server) unblockAtLeader(c *protocol.Ctx, target *client) bool {
	id := target.idAtLeader.Load()
	if id == 0 || !target.blockedAtLeader.Load() {
		return false
	}
	args := [][]byte{c.Args[0], c.Args[1], strconv.AppendInt(nil, id, 10)}
	args = append(args, c.Args[3:]...)
	c.Out.Raw(s.forwardReply(conn(c), args, false))
	return true
}
