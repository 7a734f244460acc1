//go:build linux

package main

import (
	"net"
	"os"
	"runtime"
	"syscall"
)

// loop is one thread serving every connection from an epoll set, as Redis
// does: each round reads every readable socket, runs its commands, then
// syncs the round's SETs once and writes the replies that waited for it.
// With a writer, the sync is a goroutine's, and the loop goes on reading
// while one batch syncs; the batch's replies are written when the writer
// wakes the loop through a pipe.
type loop struct {
	st     *store
	ep     int
	lfd    int
	ln     *os.File // keeps lfd open
	conns  map[int32]*loopConn
	writer *loopWriter // nil: the loop syncs itself

	logBytes []byte      // this round's SETs, for the next sync
	open     []*loopConn // connections whose replies wait for that sync
	syncing  bool        // a batch is with the writer
	cmds     [][][]byte
}

// loopConn is one connection's buffers. Replies are kept in out until
// written; base is the count of reply bytes ever queued before out[0].
type loopConn struct {
	fd     int
	buf    []byte
	have   int
	out    []byte
	base   int
	inOpen bool
}

// pending reports whether c has replies not yet written (its next ones
// must wait behind them).
func (c *loopConn) pending() bool { return len(c.out) > 0 }

// serveLoop serves ln from one thread's loop; writer is "" (the loop
// syncs), "goroutine" or "thread" (loopWriter).
func serveLoop(ln net.Listener, st *store, writer string) error {
	f, err := ln.(*net.TCPListener).File()
	if err != nil {
		return err
	}
	l := &loop{st: st, lfd: int(f.Fd()), ln: f, conns: map[int32]*loopConn{}}
	if err := syscall.SetNonblock(l.lfd, true); err != nil {
		return err
	}
	if l.ep, err = syscall.EpollCreate1(syscall.EPOLL_CLOEXEC); err != nil {
		return err
	}
	if err := l.watch(l.lfd); err != nil {
		return err
	}
	if writer != "" {
		if l.writer, err = newLoopWriter(st, writer == "thread"); err != nil {
			return err
		}
		if err := l.watch(l.writer.wake[0]); err != nil {
			return err
		}
	}
	runtime.LockOSThread()
	return l.run()
}

func (l *loop) watch(fd int) error {
	ev := syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(fd)}
	return syscall.EpollCtl(l.ep, syscall.EPOLL_CTL_ADD, fd, &ev)
}

func (l *loop) run() error {
	evs := make([]syscall.EpollEvent, 256)
	for {
		n, err := syscall.EpollWait(l.ep, evs, -1)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		for _, ev := range evs[:n] {
			switch {
			case int(ev.Fd) == l.lfd:
				l.accept()
			case l.writer != nil && int(ev.Fd) == l.writer.wake[0]:
				l.synced(l.writer.done())
			default:
				if c := l.conns[ev.Fd]; c != nil {
					l.serve(c)
				}
			}
		}
		l.endRound()
	}
}

func (l *loop) accept() {
	for {
		fd, _, err := syscall.Accept4(l.lfd, syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC)
		if err != nil {
			return
		}
		syscall.SetsockoptInt(fd, syscall.IPPROTO_TCP, syscall.TCP_NODELAY, 1)
		if l.watch(fd) != nil {
			syscall.Close(fd)
			continue
		}
		l.conns[int32(fd)] = &loopConn{fd: fd, buf: make([]byte, readSize)}
	}
}

// serve reads c once and runs what it holds. Replies that follow a SET of
// this round, or replies still waiting, wait for the next sync; others are
// written at once.
func (l *loop) serve(c *loopConn) {
	n, err := syscall.Read(c.fd, c.buf[c.have:])
	if err == syscall.EAGAIN {
		return
	}
	if n <= 0 {
		l.drop(c)
		return
	}
	c.have += n
	var used int
	l.cmds, used, err = parse(c.buf[:c.have], l.cmds[:0])
	if err != nil || (used == 0 && c.have == len(c.buf)) {
		l.drop(c)
		return
	}
	waits := c.pending()
	for _, args := range l.cmds {
		if isSet(args) {
			l.logBytes = logged(l.logBytes, args)
			waits = true
		}
		c.out = l.st.exec(args, c.out)
	}
	c.have = copy(c.buf, c.buf[used:c.have])
	switch {
	case waits && !c.inOpen:
		c.inOpen = true
		l.open = append(l.open, c)
	case !waits:
		l.write(c, c.base+len(c.out))
	}
}

// endRound syncs this round's batch, or hands it to the writer when it is
// free, and writes the replies that are then on disk.
func (l *loop) endRound() {
	if len(l.open) == 0 || l.syncing {
		return
	}
	b := loopBatch{log: l.logBytes}
	for _, c := range l.open {
		b.conns = append(b.conns, batchConn{c, c.base + len(c.out)})
		c.inOpen = false
	}
	l.open, l.logBytes = l.open[:0], nil
	if l.writer == nil {
		if len(b.log) > 0 {
			l.st.sync(b.log)
		}
		l.synced(b)
		return
	}
	l.syncing = true
	l.writer.send(b)
}

// synced writes the replies of batch b, now on disk.
func (l *loop) synced(b loopBatch) {
	l.syncing = false
	for _, bc := range b.conns {
		if l.conns[int32(bc.c.fd)] == bc.c {
			l.write(bc.c, bc.upto)
		}
	}
}

// write writes c's replies up to reply byte upto (counted as base is).
func (l *loop) write(c *loopConn, upto int) {
	end := upto - c.base
	if end <= 0 {
		return
	}
	if n, err := syscall.Write(c.fd, c.out[:end]); err != nil || n != end {
		l.drop(c) // a probe: a client that does not read its replies is dropped
		return
	}
	c.out = c.out[:copy(c.out, c.out[end:])]
	c.base = upto
}

func (l *loop) drop(c *loopConn) {
	delete(l.conns, int32(c.fd))
	syscall.Close(c.fd)
	c.out = c.out[:0]
}

// loopBatch is one sync's bytes and, for each connection in it, how far
// its replies may be written once they are on disk.
type loopBatch struct {
	log   []byte
	conns []batchConn
}

type batchConn struct {
	c    *loopConn
	upto int
}

// loopWriter syncs the loop's batches one at a time on a goroutine of its
// own and wakes the loop through a pipe when one is on disk. With thread,
// the goroutine has an OS thread of its own, blocked in a read of a second
// pipe until the loop writes to it: the hand-off is then the kernel's
// alone, with no goroutine made runnable.
type loopWriter struct {
	todo chan loopBatch
	fin  chan loopBatch
	wake [2]int // the loop reads wake[0]
	kick [2]int // with thread: the writer reads kick[0]
}

func newLoopWriter(st *store, thread bool) (*loopWriter, error) {
	w := &loopWriter{todo: make(chan loopBatch, 1), fin: make(chan loopBatch, 1)}
	if err := syscall.Pipe2(w.wake[:], syscall.O_NONBLOCK|syscall.O_CLOEXEC); err != nil {
		return nil, err
	}
	if thread {
		if err := syscall.Pipe2(w.kick[:], syscall.O_CLOEXEC); err != nil {
			return nil, err
		}
	}
	go w.run(st, thread)
	return w, nil
}

func (w *loopWriter) run(st *store, thread bool) {
	var one [1]byte
	if thread {
		runtime.LockOSThread()
	}
	for {
		if thread {
			syscall.Read(w.kick[0], one[:])
		}
		b := <-w.todo
		if len(b.log) > 0 {
			st.sync(b.log)
		}
		w.fin <- b
		syscall.Write(w.wake[1], one[:])
	}
}

// send hands b to the writer (the loop has no other batch with it).
func (w *loopWriter) send(b loopBatch) {
	w.todo <- b
	if w.kick[1] != 0 {
		syscall.Write(w.kick[1], []byte{1})
	}
}

// done takes the batch the writer finished (the loop was woken for it).
func (w *loopWriter) done() loopBatch {
	var one [8]byte
	syscall.Read(w.wake[0], one[:])
	return <-w.fin
}
