package server

import (
	"sync"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// A follower judges min-replicas-to-write itself for the calls Redis flags
// write that it tries or answers on its own state: a script or function it
// tries as a read first (probe.go), a read such as SORT or EVAL_RO. At the
// call's start it asks the leader, over a link of its own, whether the
// leader lacks good replicas (RAFT REPLICAS), and refuses the call with
// Redis's NOREPLICAS when it does; else the call runs here as it would
// without the setting, so a script running here answers BUSY and is
// stopped by SCRIPT KILL or FUNCTION KILL sent here. A script that then
// reaches a write goes into the log, where the leader judges it again.
// When the leader cannot say (unreachable, or an older binary without RAFT
// REPLICAS), the call goes to the leader, which judges it (leaderMustJudge).

// leaderAsks is a follower's link for one kind of request to the leader
// (RAFT REPLICAS, RAFT MAKEROOM): one request at a time, in the asking
// connection's goroutine.
type leaderAsks struct {
	mu   sync.Mutex
	link *upstream // RESP2, logged in as the default link user
}

// askOn sends req to the leader over a's link and returns its reply;
// ok is false when no leader answered. Waits at most the election wait
// (after the one for a known leader).
func (s *Server) askOn(a *leaderAsks, req []byte) (reply []byte, ok bool) {
	addr, found := s.waitLeader()
	if !found {
		return nil, false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	reply, errMsg := s.leaderCall(&a.link, addr, forwardDial, time.Now().Add(s.cfg.ElectionWait), req)
	return reply, errMsg == ""
}

// raftReplicasRequest is the request a follower sends.
var raftReplicasRequest = appendCommand(nil, [][]byte{[]byte("RAFT"), []byte("REPLICAS")})

// judgedHere reports whether this follower judges min-replicas-to-write
// for cl itself: cl is a script or function tried here as a read first, or
// a call answered from this node's state (c outside a transaction; the
// leader judges a transaction at EXEC).
func (s *Server) judgedHere(c *client, cl *call) bool {
	if c.multi != nil || s.router == nil || s.router.IsLeader() || s.admin == nil || s.alone() {
		return false
	}
	if probeable[cl.cmd.Name] {
		return true
	}
	flags := cl.cmd.RouteFlags(cl.args)
	return flags&(protocol.Write|protocol.Blocking) == 0 && flags&protocol.Readonly != 0 && !s.mustForward(c, flags)
}

// askReplicas asks the leader whether it lacks good replicas and returns
// its NOREPLICAS error, or "" when it has them; ok is false when the
// leader could not say (the call then goes to the leader). Waits at most
// the election wait (after the one for a known leader).
func (s *Server) askReplicas() (msg string, ok bool) {
	reply, ok := s.askOn(&s.replicaAsks, raftReplicasRequest)
	switch {
	case !ok:
		return "", false
	case string(reply) == "+OK\r\n":
		return "", true
	case string(reply) == "-"+protocol.ErrNoReplicas+"\r\n":
		return protocol.ErrNoReplicas, true
	}
	return "", false
}

// RAFT REPLICAS: OK while this node leads (or is alone) and has the good
// replicas min-replicas-to-write asks for, Redis's NOREPLICAS error while
// it lacks them, the not-leader error on a follower (internal: a
// follower's judgement of a call it answers itself, before it runs).
func (s *Server) raftReplicas(c *protocol.Ctx) {
	if s.admin == nil || !(s.router.IsLeader() || s.alone()) {
		c.Out.Error(protocol.ErrReplyNoLeader)
		return
	}
	if msg := s.lackingReplicas(); msg != "" {
		c.Out.Error(msg)
		return
	}
	c.Out.OK()
}
