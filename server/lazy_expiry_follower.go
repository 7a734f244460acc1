package server

import (
	"strconv"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// A follower's lazy expiry: its reads' requests go to the leader as
// `RAFT EXPIRE db key [key ...]` over a link of the follower's own, one at
// a time; the leader answers once the deletion is applied there, so the
// connection's next read, whose read index the leader gives after that,
// sees the keys gone.

// lazyAskQueue bounds the requests waiting to be sent; past it they are
// dropped.
const lazyAskQueue = 64

// lazyAsk is one read's request, done closed when the leader answered (or
// could not be reached).
type lazyAsk struct {
	db   int
	keys []string
	done chan struct{}
}

// lazyAsks is the follower's queue of requests for the leader.
type lazyAsks struct {
	ch   chan lazyAsk
	link *upstream // the loop's own, RESP2
}

// askLeader queues a request for the leader's deletion of keys of database
// db and returns the channel closed once it is answered; nil when the
// queue is full. It never waits.
func (s *Server) askLeader(db int, keys []string) <-chan struct{} {
	if len(keys) == 0 {
		return nil
	}
	ask := lazyAsk{db: db, keys: keys, done: make(chan struct{})}
	select {
	case s.lazyAsks.ch <- ask:
		return ask.done
	default:
		return nil
	}
}

// lazyAskLoop sends the queued requests to the leader until stop.
func (s *Server) lazyAskLoop(stop <-chan struct{}) {
	defer s.wg.Done()
	for {
		select {
		case <-stop:
			s.lazyAsks.link.close()
			return
		case ask := <-s.lazyAsks.ch:
			if index, ok := s.sendAsk(ask); ok {
				s.linear.WaitApplied(index, s.cfg.ElectionWait) // the deletion, here too
			}
			close(ask.done)
		}
	}
}

// sendAsk sends one request and returns the leader's applied index once
// it answered; a request that fails is dropped (the leader's active expiry
// deletes the keys anyway).
func (s *Server) sendAsk(ask lazyAsk) (index uint64, ok bool) {
	a := &s.lazyAsks
	addr, ok := s.router.LeaderClientAddr()
	if !ok {
		return 0, false
	}
	deadline := time.Now().Add(s.cfg.ElectionWait + forwardDial)
	args := [][]byte{[]byte("RAFT"), []byte("EXPIRE"), strconv.AppendInt(nil, int64(ask.db), 10)}
	for _, k := range ask.keys {
		args = append(args, []byte(k))
	}
	reply, msg := s.leaderCall(&a.link, addr, forwardDial, deadline, appendCommand(nil, args))
	if msg != "" {
		return 0, false
	}
	return indexReply(reply)
}

// indexReply reads the leader's answer to a follower's request that it
// ends with the index it has applied (RAFT EXPIRE, RAFT MAKEROOM): a RESP
// integer.
func indexReply(reply []byte) (uint64, bool) {
	if len(reply) < 3 || reply[0] != ':' {
		return 0, false
	}
	index, err := strconv.ParseUint(string(reply[1:len(reply)-2]), 10, 64)
	return index, err == nil
}

// RAFT EXPIRE db key [key ...]: a follower's read found these keys of
// database db expired but held; delete them through the log as this
// node's own reads do, and answer, once that is applied (at most the
// election wait; at once when this node does not lead), with the index
// this node has applied: the follower applies it before its reader goes
// on (internal).
func (s *Server) raftExpire(c *protocol.Ctx) {
	db, ok := protocol.ParseInt(c.Args[2])
	if !ok || db < 0 || db > 1<<16 {
		c.Out.Error(protocol.ErrDBIndex)
		return
	}
	keys := make([]string, 0, len(c.Args)-3)
	for _, k := range c.Args[3:] {
		keys = append(keys, string(k))
	}
	if le, ok := s.admin.(lazyExpirer); ok {
		if done := le.ExpireKeys(int(db), keys); done != nil {
			t := time.NewTimer(s.cfg.ElectionWait)
			defer t.Stop()
			select {
			case <-done:
			case <-t.C:
			}
		}
	}
	c.Out.Int(int64(s.linear.AppliedIndex()))
}
