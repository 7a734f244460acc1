package server

import (
	"strconv"

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
// nil when unknown.
func (s *Server) arrivedPrefix(c *client) []byte {
	a := arrivalOf(c)
	if a.origin == "" {
		a.origin = s.nodeID()
	}
	if a.at == 0 || a.origin == "" {
		return nil
	}
	return appendCommand(nil, [][]byte{[]byte("RAFT"), []byte("ARRIVED"), []byte(a.origin),
		strconv.AppendInt(nil, a.at, 10)})
}

// RAFT ARRIVED node stamp: the next blocking command of this connection (a
// follower's link) arrived at node at stamp (unix ns by its clock). It
// holds until the batch ends.
func raftArrived(c *protocol.Ctx) {
	at, err := strconv.ParseInt(string(c.Args[3]), 10, 64)
	if err != nil || len(c.Args[2]) == 0 {
		c.Out.Error(protocol.ErrSyntax)
		return
	}
	conn(c).forwarded = arrival{origin: string(c.Args[2]), at: at}
	c.Out.OK()
}
