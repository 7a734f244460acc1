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
func serveGoroutines(ln net.Listener, st *store) error {
	gc := newGroupCommit(st)
	go gc.run()
	for {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		go serveConn(c, st, gc)
	}
}

// serveConn reads, runs and answers c's commands, a read's worth at a time.
func serveConn(c net.Conn, st *store, gc *groupCommit) {
	defer c.Close()
	buf := make([]byte, readSize)
	var have int
	var out, logBytes []byte
	var cmds [][][]byte
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
		out, logBytes = out[:0], logBytes[:0]
		for _, args := range cmds {
			if isSet(args) {
				logBytes = logged(logBytes, args)
			}
			out = st.exec(args, out)
		}
		have = copy(buf, buf[used:have])
		if len(logBytes) > 0 {
			<-gc.add(logBytes)
		}
		if _, err := c.Write(out); err != nil {
			return
		}
	}
}

// groupCommit syncs the log for every connection waiting: the bytes
// added while one sync runs go into the next.
type groupCommit struct {
	st    *store
	mu    sync.Mutex
	buf   []byte
	waits []chan struct{}
	kick  chan struct{}
}

func newGroupCommit(st *store) *groupCommit {
	return &groupCommit{st: st, kick: make(chan struct{}, 1)}
}

// add queues b for the next sync and returns a channel closed once it is
// on disk.
func (g *groupCommit) add(b []byte) <-chan struct{} {
	done := make(chan struct{})
	g.mu.Lock()
	g.buf = append(g.buf, b...)
	g.waits = append(g.waits, done)
	g.mu.Unlock()
	select {
	case g.kick <- struct{}{}:
	default:
	}
	return done
}

func (g *groupCommit) run() {
	var buf []byte
	for range g.kick {
		for {
			g.mu.Lock()
			buf, g.buf = g.buf, buf[:0]
			waits := g.waits
			g.waits = nil
			g.mu.Unlock()
			if len(waits) == 0 {
				break
			}
			g.st.sync(buf)
			for _, w := range waits {
				close(w)
			}
		}
	}
}
