package main

import (
	"net"
	"sync"
)

// serveDirect serves each connection on a goroutine of its own, as
// serveGoroutines, but the group-commit goroutine writes a synced batch's
// replies itself: the connection's goroutine goes back to reading at once
// instead of waiting to be woken for the write. A connection's next batch
// waits for the previous batch's reply to be written, so replies keep their
// order.
func serveDirect(ln net.Listener, st *store) error {
	gc := newDirectCommit(st)
	go gc.run()
	for {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		go serveConnDirect(c, st, gc)
	}
}

// serveConnDirect reads and runs c's commands; a batch without SETs is
// answered here, one with SETs by the group commit once it is on disk.
func serveConnDirect(c net.Conn, st *store, gc *directCommit) {
	defer c.Close()
	buf := make([]byte, readSize)
	var have int
	var logBytes []byte
	var cmds [][][]byte
	var pending chan error
	out := make([]byte, 0, 512)
	for {
		n, err := c.Read(buf[have:])
		if err != nil {
			return
		}
		have += n
		var used int
		cmds, used, err = parse(buf[:have], cmds[:0])
		if err != nil || (used == 0 && have == len(buf)) {
			return
		}
		if pending != nil {
			if <-pending != nil {
				return
			}
			pending = nil
		}
		out, logBytes = out[:0], logBytes[:0]
		for _, args := range cmds {
			if isSet(args) {
				logBytes = logged(logBytes, args)
			}
			out = st.exec(args, out)
		}
		have = copy(buf, buf[used:have])
		if len(logBytes) > 0 {
			pending = gc.add(c, logBytes, out)
			out = make([]byte, 0, 512) // the commit owns the old one
			continue
		}
		if _, err := c.Write(out); err != nil {
			return
		}
	}
}

// directReply is one connection's batch waiting for its sync.
type directReply struct {
	c    net.Conn
	out  []byte
	done chan error
}

// directCommit syncs the log for every batch waiting, then writes each
// batch's replies to its connection.
type directCommit struct {
	st      *store
	mu      sync.Mutex
	buf     []byte
	replies []directReply
	kick    chan struct{}
}

func newDirectCommit(st *store) *directCommit {
	return &directCommit{st: st, kick: make(chan struct{}, 1)}
}

// add queues b for the next sync and out for c once it is on disk; the
// channel returned gets the write's error.
func (g *directCommit) add(c net.Conn, b, out []byte) chan error {
	done := make(chan error, 1)
	g.mu.Lock()
	g.buf = append(g.buf, b...)
	g.replies = append(g.replies, directReply{c, out, done})
	g.mu.Unlock()
	select {
	case g.kick <- struct{}{}:
	default:
	}
	return done
}

func (g *directCommit) run() {
	var buf []byte
	var replies []directReply
	for range g.kick {
		for {
			g.mu.Lock()
			buf, g.buf = g.buf, buf[:0]
			replies, g.replies = g.replies, replies[:0]
			g.mu.Unlock()
			if len(replies) == 0 {
				break
			}
			g.st.sync(buf)
			for _, r := range replies {
				_, err := r.c.Write(r.out)
				r.done <- err
			}
		}
	}
}
