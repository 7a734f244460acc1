package server

import (
	"time"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/protocol"
)

// resendPause is how long a unit that was not applied waits before it is
// sent again while leadership settles.
const resendPause = 20 * time.Millisecond

// resend sends again a unit that this node took as leader but did not
// apply: to the new leader once this node follows, or to this node's log
// while it still leads (a leadership transfer that was under way may have
// ended), until the election wait runs out. reply is the last answer.
func (s *Server) resend(c *client, u *protocol.Unit, reply []byte) []byte {
	deadline := time.Now().Add(s.cfg.ElectionWait)
	for {
		if !s.router.IsLeader() {
			if u.Multi {
				return s.forwardBlock(c, u)
			}
			return s.forwardReply(c, u.Cmds[0], false)
		}
		if !time.Now().Before(deadline) {
			return reply
		}
		time.Sleep(resendPause)
		if reply = s.proposer.Submit(*u).Reply(); !notApplied(reply) {
			return reply
		}
	}
}

// noneApplied reports whether every one of ps was refused unapplied.
func noneApplied(ps []*cluster.Pending) bool {
	for _, p := range ps {
		if p.Unit().Cmds != nil && !notApplied(p.Reply()) { // an Answered one (a queued WAIT) applied nothing
			return false
		}
	}
	return true
}
