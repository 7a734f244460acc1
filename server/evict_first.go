package server

import (
	"strconv"
	"time"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/protocol"
)

// evictFirst, on the leader, evicts by the policy before a command runs
// while memory is above maxmemory, reads included, as Redis's
// processCommand calls performEvictions before every command (whether the
// command may run then is roomFor's judgement, for denyoom ones). As in
// Redis, nothing is evicted while a script is busy. The pipeline's pending
// writes are answered first; the invalidations the evictions send this
// connection (client-side caching) then go out before the command's
// reply, as Redis's do.
func (s *Server) evictFirst(c *client, b *batch) {
	if s.evict == nil || !s.overMaxMemory() || s.eviction().Policy == cluster.NoEviction ||
		!s.router.IsLeader() || s.scripts.Busy() != "" {
		return
	}
	s.settle(c, b)
	s.evict.MakeRoom()
	if c.reply == replyOn { // else they wait in the mailbox for the next reply sent
		c.out.Raw(c.takeMail())
	}
}

// followerEvictFirst is evictFirst on a follower, once its reads' barrier
// is passed (its state is then the leader's as of their arrival): while
// that state is above maxmemory under an evicting policy, it asks the
// leader to evict (RAFT MAKEROOM, over a link of its own), applies what
// the leader did, and sends this connection the invalidations first. Only
// the leader decides what goes; a follower that cannot reach it reads on.
func (s *Server) followerEvictFirst(c *client) {
	if s.evict == nil || s.admin == nil || s.router.IsLeader() || !s.overMaxMemory() ||
		s.eviction().Policy == cluster.NoEviction || s.scripts.Busy() != "" {
		return
	}
	if index, ok := s.askMakeRoom(); ok {
		s.linear.WaitApplied(index, s.cfg.ElectionWait)
	}
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
	addr, found := s.waitLeader()
	if !found {
		return 0, false
	}
	a := &s.evictAsks
	a.mu.Lock()
	defer a.mu.Unlock()
	reply, errMsg := s.leaderCall(&a.link, addr, forwardDial, time.Now().Add(s.cfg.ElectionWait), raftMakeRoomRequest)
	if errMsg != "" || len(reply) < 3 || reply[0] != ':' {
		return 0, false
	}
	index, err := strconv.ParseUint(string(reply[1:len(reply)-2]), 10, 64)
	return index, err == nil
}

// RAFT MAKEROOM: on the leader, evict by the policy while memory is above
// maxmemory (as before a command), then answer with the index this node
// has applied, which the asking follower applies before it reads; the
// not-leader error elsewhere (internal).
func (s *Server) raftMakeRoom(c *protocol.Ctx) {
	if s.admin == nil || !s.router.IsLeader() {
		c.Out.Error(protocol.ErrReplyNoLeader)
		return
	}
	if s.evict != nil {
		s.evict.MakeRoom()
	}
	c.Out.Int(int64(s.linear.AppliedIndex()))
}
