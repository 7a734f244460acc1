package server

import (
	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/protocol"
)

// roomVerdict is what the eviction before the current command found, as
// Redis keeps performEvictions' result for the command's OOM judgement.
type roomVerdict uint8

const (
	roomUnknown roomVerdict = iota // not evicted for this command: ask MakeRoom when judging
	roomMade                       // at or below maxmemory, or still evicting (let it through)
	roomNone                       // above maxmemory with nothing more to evict
)

// evictionDue says whether a command must wait for evictions first:
// memory above maxmemory under an evicting policy, no script busy and
// clients not paused (as in Redis, nothing is evicted meanwhile), and not
// a replica that leaves eviction to its master.
func (s *Server) evictionDue() bool {
	return s.evict != nil && s.overMaxMemory() && s.eviction().Policy != cluster.NoEviction && s.scripts.Busy() == "" &&
		!s.pause.on.Load() && !s.replicaIgnoresMaxMemory()
}

// evictFirst, on the leader, evicts by the policy before a command runs
// while evictionDue, reads included, as Redis's processCommand calls
// performEvictions before every command; the verdict is the command's
// (roomFor, scriptOOM). The pipeline's pending writes are answered first.
func (s *Server) evictFirst(c *client, b *batch) {
	c.room = roomUnknown
	if !s.evictionDue() || !s.router.IsLeader() {
		return
	}
	s.settle(c, b)
	c.room = s.evictNow()
	s.mailFirst(c)
}

// evictNow evicts by the policy while memory is above maxmemory and
// returns the verdict for the command about to run. While clients are
// paused it evicts nothing and lets the command through, as Redis's
// performEvictions does.
func (s *Server) evictNow() roomVerdict {
	if s.pause.on.Load() || s.evict.MakeRoom() {
		return roomMade
	}
	return roomNone
}

// followerEvictFirst is evictFirst on a follower, once its reads' barrier
// is passed (its state is then the leader's as of their arrival): while
// evictionDue on that state, it asks the leader to evict (RAFT MAKEROOM,
// over a link of its own) and applies what the leader did. Only the leader
// decides what goes; a follower that cannot reach it reads on.
func (s *Server) followerEvictFirst(c *client) {
	if s.admin == nil || s.router.IsLeader() || !s.evictionDue() {
		return
	}
	if index, ok := s.askMakeRoom(); ok {
		s.linear.WaitApplied(index, s.cfg.ElectionWait)
	}
	s.mailFirst(c)
}

// mailFirst sends c the invalidations its evictions made (client-side
// caching) before the reply it is making, as Redis's
// trackingHandlePendingKeyInvalidations does after performEvictions. With
// replies off they wait in the mailbox for the next reply sent.
func (s *Server) mailFirst(c *client) {
	if c.reply == replyOn {
		c.out.Raw(c.takeMail())
	}
}

// raftMakeRoomRequest is the request a follower sends.
var raftMakeRoomRequest = appendCommand(nil, [][]byte{[]byte("RAFT"), []byte("MAKEROOM")})

// askMakeRoom asks the leader to evict and returns the index it had
// applied after; ok is false when it could not say. Waits at most the
// election wait (after the one for a known leader).
func (s *Server) askMakeRoom() (index uint64, ok bool) {
	reply, ok := s.askOn(&s.evictAsks, raftMakeRoomRequest)
	if !ok {
		return 0, false
	}
	return indexReply(reply)
}

// RAFT MAKEROOM: on the leader, evict by the policy while evictionDue (as
// before a command), then answer with the index this node
// has applied, which the asking follower applies before it reads; the
// not-leader error elsewhere (internal).
func (s *Server) raftMakeRoom(c *protocol.Ctx) {
	if s.admin == nil || !s.router.IsLeader() {
		c.Out.Error(protocol.ErrReplyNoLeader)
		return
	}
	if s.evictionDue() {
		s.evict.MakeRoom()
	}
	c.Out.Int(int64(s.linear.AppliedIndex()))
}
