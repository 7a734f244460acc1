package server

import (
	"strconv"
	"time"

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
// and writes the leader's answer; false when target is not blocked there
// or its link ID stays unknown (the caller answers 0).
//
// This node counts target blocked from the moment its command is written
// to the leader, before the leader's CLIENT ID reply is read and before
// the leader has tried the command once and blocked it (its CLIENT
// UNBLOCK answers 0 until then): so while target stays blocked here, a 0
// or an unknown ID is tried again, for at most unblockWait.
func (s *Server) unblockAtLeader(c *protocol.Ctx, target *client) bool {
	deadline := time.Now().Add(unblockWait)
	for {
		if !target.blockedAtLeader.Load() {
			return false
		}
		id := target.idAtLeader.Load()
		var reply []byte
		if id != 0 {
			args := [][]byte{c.Args[0], c.Args[1], strconv.AppendInt(nil, id, 10)}
			reply = s.forwardReply(conn(c), append(args, c.Args[3:]...), false)
		}
		if (id == 0 || string(reply) == ":0\r\n") && time.Now().Before(deadline) {
			time.Sleep(2 * time.Millisecond)
			continue
		}
		if reply == nil {
			return false
		}
		c.Out.Raw(reply)
		return true
	}
}

// unblockWait bounds unblockAtLeader's tries.
const unblockWait = 500 * time.Millisecond
