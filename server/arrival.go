package server

import (
	"strconv"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// Blocked clients are served in the order their commands arrived, as
// Redis serves them in the order it read them: each command is stamped
// with when its bytes arrived, the kernel's receive time where the socket
// gives it (SO_TIMESTAMPNS on Linux, arrival_linux.go), else the time the
// read returned; a blocking command's waiter goes into each key's queue
// before the waiters that arrived after it (blocker.addWaiter), not behind
// whoever reached the queue first. Two commands sent back to back on two
// connections (Redis's unit/type/list "BRPOPLPUSH with multiple blocked
// clients") reach their goroutines in any order on a busy machine; their
// stamps keep the order the client sent them in.
//
// Through a follower, a blocking command goes to the leader over its
// client's own link, after RAFT ARRIVED <node> <stamp>: the leader orders
// the waiters that one follower sent by that follower's stamps (stamps of
// different nodes are not compared: their clocks differ).
//
// What stamps do not order: a command that reaches its queue only after a
// later one was already served (its goroutine ran that much later).
// Blocking queues are each node's own, not state of the log.

// arrival is when a command arrived: at (unix ns) by the clock of node
// origin, "" for this node; a zero at is unknown.
type arrival struct {
	origin string
	at     int64
}

// before reports whether a is known to have arrived before b.
func (a arrival) before(b arrival) bool {
	return a.origin == b.origin && a.at != 0 && b.at != 0 && a.at < b.at
}

// arrivalSource is a socket that tells when the bytes of its last read
// arrived (ioConn).
type arrivalSource interface{ lastArrival() int64 }

// arrivalOf returns when c's current batch arrived: at the follower that
// forwarded it (RAFT ARRIVED), else here. It is read once per blocking
// command, before the command waits.
func arrivalOf(c *client) arrival {
	if c.forwarded.origin != "" {
		return c.forwarded
	}
	if c.rd == nil {
		return arrival{}
	}
	return arrival{at: c.rd.arrived}
}

// arrivedPrefix is the RAFT ARRIVED a node sends before a blocking
// command of c it forwards: when the command arrived here, or, on a link
// of a follower (a leader that stepped down since), at that follower;
// nil when unknown. A command that arrived here and begins its client's
// pipeline also says when its window opened and when it is sent
// (stream_gone_forward.go).
func (s *Server) arrivedPrefix(c *client) []byte {
	a := arrivalOf(c)
	local := a.origin == ""
	if local {
		a.origin = s.nodeID()
	}
	if a.at == 0 || a.origin == "" {
		return nil
	}
	args := [][]byte{[]byte("RAFT"), []byte("ARRIVED"), []byte(a.origin), strconv.AppendInt(nil, a.at, 10)}
	if opened := forwardedWindow(c); local && opened != 0 {
		args = append(args, strconv.AppendInt(nil, opened, 10), strconv.AppendInt(nil, time.Now().UnixNano(), 10))
	}
	return appendCommand(nil, args)
}

// RAFT ARRIVED node stamp [opened sent]: the next blocking command of this
// connection (a follower's link) arrived at node at stamp (unix ns by its
// clock); its window (stream_gone_forward.go) opened at opened, and node
// sent it at sent, by the same clock. It holds until the batch ends. (A
// leader from before opened and sent answers six arguments with an arity
// error: the follower's command is then queued by its arrival at the
// leader.)
func (s *Server) raftArrived(c *protocol.Ctx) {
	if len(c.Args) == 5 || len(c.Args) > 6 || len(c.Args[2]) == 0 {
		c.Out.Error(protocol.ErrSyntax)
		return
	}
	var stamps [3]int64 // stamp, opened, sent
	for i := 3; i < len(c.Args); i++ {
		n, err := strconv.ParseInt(string(c.Args[i]), 10, 64)
		if err != nil || (i > 3 && n <= 0) {
			c.Out.Error(protocol.ErrSyntax)
			return
		}
		stamps[i-3] = n
	}
	cl := conn(c)
	node := string(c.Args[2])
	cl.forwarded = arrival{origin: node, at: stamps[0]}
	if opened, sent := stamps[1], stamps[2]; opened != 0 {
		s.openForwardedStreamWindow(cl, node, opened, sent)
	}
	c.Out.OK()
}
