package server

import (
	"sync"
	"time"
)

// An idle connection gives its read buffer back, as Redis frees an idle
// client's query buffer (clientsCronResizeQueryBuffer): a client that has
// moved no bytes for idleReadRelease is woken between commands by the idle
// loop (releaseIdleReads), drops its buffer and waits for its next bytes
// holding none (readWaiter); the buffer is made again when they come. Only
// a plain TCP socket can wait so; a TLS connection keeps its buffer.
// CLIENT LIST's qbuf-free shows the buffer's size (0 while given back),
// with a big bulk's slice kept for the next (readbuf_spare.go).

// idleReadRelease is how long a client moves no bytes before its read
// buffer is given back (Redis: 2 seconds).
const idleReadRelease = 2 * time.Second

// readWaiter is a socket that can wait until it is readable without a
// buffer (ioConn on a plain TCP socket).
type readWaiter interface {
	canWaitReadable() bool
	waitReadable() error
}

// waiterOf returns src as a readWaiter when it can wait so, else nil.
func waiterOf(src any) readWaiter {
	if w, ok := src.(readWaiter); ok && w.canWaitReadable() {
		return w
	}
	return nil
}

// setBuf makes buf the read buffer and publishes its size.
func (r *reader) setBuf(buf []byte) {
	r.buf = buf
	r.publishSize()
}

// release drops the read buffer when nothing read waits in it, no
// command is in progress and no parsed command waits to be handed out, if
// the socket can wait without one.
func (r *reader) release() {
	if r.buf == nil || r.waiter == nil || r.st != atCommand || r.rd != r.wr || r.given < len(r.cmds) {
		return // (commands parsed while a batch was held still point into it)
	}
	r.rd, r.wr, r.scan = 0, 0, 0
	r.spare = nil // a kept big bulk's slice too (readbuf_spare.go)
	r.giveBack()
	r.publishSize()
}

// remake waits until the socket is readable, then makes the read buffer
// again (after release).
func (r *reader) remake() error {
	if err := r.waiter.waitReadable(); err != nil {
		return err
	}
	r.setBuf(newReadBuf())
	return nil
}

// readBufs keeps read buffers of readSize for the next connections and
// the next wake of an idle one: a client that connects, sends a command
// and leaves (a PHP page's) allocates and clears none. A buffer's old
// bytes are never read: only what the connection itself receives is
// parsed.
var readBufs = sync.Pool{New: func() any { return new([readSize]byte) }}

// newReadBuf returns a read buffer of readSize.
func newReadBuf() []byte { return readBufs.Get().(*[readSize]byte)[:] }

// giveBack drops r's buffer, into readBufs when it has the usual size.
// Nothing may point into it any more: the connection ended, or it is idle
// between commands with nothing unparsed (release). A buffer left behind
// while a batch still held its arguments (makeRoom) is never given back.
func (r *reader) giveBack() {
	if len(r.buf) == readSize && cap(r.buf) == readSize {
		readBufs.Put((*[readSize]byte)(r.buf))
	}
	r.buf = nil
}

// releaseIdleReads wakes, between commands, each client whose read buffer
// is held and that moved no bytes for idleReadRelease, to give it back.
// Clients running a command (blocked ones too) are left alone.
func (s *Server) releaseIdleReads(now time.Time) {
	for _, c := range s.clientsByID() {
		if c.readBuf.Load() == 0 || c.busy.Load() || now.Sub(time.Unix(0, c.lastIO.Load())) < idleReadRelease {
			continue
		}
		if c.typeOf() == typeReplica || waiterOf(c.nc) == nil { // c's reader could not give it back
			continue
		}
		c.releaseRead.Store(true)
		c.nc.SetReadDeadline(time.Now()) // woken (tracking_send.go) clears it
	}
}
