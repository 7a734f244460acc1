package main

import (
	"net"
	"sync"
)

// readSize is each connection's read buffer; a command that does not fit
// closes the connection.
const readSize = 16 << 10

// serveGoroutines serves each connection on a goroutine of its own, as
// geetcache's front end does; a batch with SETs waits for a group commit.
// With direct, the group-commit goroutine writes a synced batch's replies
// itself and the connection's goroutine goes back to reading at once; its
// next batch waits for that reply to be written, so replies keep their
// order.
func serveGoroutines(ln net.Listener, st *store, direct bool) error {
	gc := newGroupCommit(st)
	go gc.run()
	for {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		go serveConn(c, st, gc, direct)
	}
}

// serveConn reads, runs and answers c's commands, a read's worth at a time.
func serveConn(c net.Conn, st *store, gc *groupCommit, direct bool) {
	defer c.Close()
	buf := make([]byte, readSize)
	var have int
	var logBytes []byte
	var cmds [][][]byte
	var written chan error // the last batch the group commit answers
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
		if written != nil && <-written != nil {
			return
		}
		written = nil
		out, logBytes = out[:0], logBytes[:0]
		for _, args := range cmds {
			if isSet(args) {
				logBytes = logged(logBytes, args)
			}
			out = st.exec(args, out)
		}
		have = copy(buf, buf[used:have])
		switch {
		case len(logBytes) > 0 && direct:
			written = gc.add(logBytes, c, out)
			out = make([]byte, 0, 512) // the group commit owns the old one
			continue
		case len(logBytes) > 0:
			<-gc.add(logBytes, nil, nil)
		}
		if _, err := c.Write(out); err != nil {
			return
		}
	}
}

// groupCommit syncs the log for every batch waiting: the bytes added while
// one sync runs go into the next.
type groupCommit struct {
	st    *store
	mu    sync.Mutex
	buf   []byte
	waits []commitWait
	kick  chan struct{}
}

// commitWait is one batch waiting for its sync: its channel gets the
// error of writing out to c once it is on disk (nil when c is nil: the
// connection's goroutine writes its replies).
type commitWait struct {
	c    net.Conn
	out  []byte
	done chan error
}

func newGroupCommit(st *store) *groupCommit {
	return &groupCommit{st: st, kick: make(chan struct{}, 1)}
}

// add queues b for the next sync, and out for c when c is set, and
// returns the channel that says the batch is done.
func (g *groupCommit) add(b []byte, c net.Conn, out []byte) chan error {
	done := make(chan error, 1)
	g.mu.Lock()
	g.buf = append(g.buf, b...)
	g.waits = append(g.waits, commitWait{c, out, done})
	g.mu.Unlock()
	select {
	case g.kick <- struct{}{}:
	default:
	}
	return done
}

func (g *groupCommit) run() {
	var buf []byte
	var waits []commitWait
	for range g.kick {
		for {
			g.mu.Lock()
			buf, g.buf = g.buf, buf[:0]
			waits, g.waits = g.waits, waits[:0]
			g.mu.Unlock()
			if len(waits) == 0 {
				break
			}
			g.st.sync(buf)
			for _, w := range waits {
				var err error
				if w.c != nil {
					_, err = w.c.Write(w.out)
				}
				w.done <- err
			}
		}
	}
}
