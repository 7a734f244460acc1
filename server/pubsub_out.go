package server

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/geetcache/geetcache/pubsub"
)

// pushOut is the reply side of a connection that has subscribed: messages
// arrive from the broker at any time (from the state machine's goroutine,
// as entries are applied), so from its first SUBSCRIBE on, a connection's
// bytes go out through this queue and its own writer goroutine, never
// straight from the serving goroutine: replies (handed off at the end of
// each pipeline and before each (un)subscription) and pushes are queued in
// the order they were made, and the broker never waits for a socket.
//
// The queue is bounded by the connection's class's output buffer limit
// (pubsub while subscribed): past the hard limit, or above the soft one for
// longer than its seconds, the connection is closed, as Redis closes it.
// The hard limit is checked as bytes are queued (no clock: the broker may
// be inside the state machine), the soft one by the writer as it waits on
// the socket.
type pushOut struct {
	s     *Server
	c     *client
	proto atomic.Int32

	mu      sync.Mutex
	cond    sync.Cond // broadcast when buf, writing or dead change
	buf     []byte    // queued, not yet taken by the writer
	spare   []byte    // the writer's last buffer, reused
	writing int       // bytes the writer holds, not yet written
	dead    bool      // closed: over a limit, a failed write, shutdown
	err     error     // why dead
	closing bool      // the connection ends: write what is queued, stop
	// holding is set while EXEC builds a reply that subscribes: pushes
	// wait in held until the reply is handed off, then follow it.
	holding  bool
	held     []byte
	finished chan struct{}
	// queued is pendingLocked's value, for CLIENT LIST's omem without
	// the lock (the output limit's warning prints it while holding mu).
	queued atomic.Int64
	// exempt is how many of the bytes at the head of the queue (buf, then
	// writing) the output limits do not count: a replica's RDB payload
	// (replication.go), which Redis does not count either.
	exempt int
}

var _ pubsub.Receiver = (*pushOut)(nil)

// startPush puts c in push mode (once) and hands off its pending replies.
// It reports whether the connection goes on. Inside EXEC, the reply being
// built is not handed off: the queue holds pushes until it is (holdPush).
func (s *Server) startPush(c *client) bool {
	s.newPush(c)
	if c.execing {
		c.push.mu.Lock()
		c.push.holding = true
		c.push.mu.Unlock()
		return true
	}
	return s.handoff(c, false)
}

// newPush gives c its push queue and writer, once.
func (s *Server) newPush(c *client) {
	if c.push == nil {
		p := &pushOut{s: s, c: c, finished: make(chan struct{})}
		p.cond.L = &p.mu
		p.proto.Store(int32(c.out.Proto))
		c.push = p
		c.pushView.Store(p)
		go p.run()
	}
}

// Proto is the connection's RESP version.
func (p *pushOut) Proto() int { return int(p.proto.Load()) }

// pushExempt queues b, which the output limits do not count (exempt).
func (p *pushOut) pushExempt(b []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dead {
		return
	}
	p.exempt += len(b)
	p.queueLocked(b)
}

// Push queues a frame (pubsub.Receiver); frame is copied.
func (p *pushOut) Push(frame []byte) {
	p.mu.Lock()
	p.queueLocked(frame)
	p.mu.Unlock()
}

// queueLocked appends b to the queue unless the connection is dead, and
// closes it when that puts it past its hard limit.
func (p *pushOut) queueLocked(b []byte) {
	if p.dead || len(b) == 0 {
		return
	}
	if p.holding {
		p.held = append(p.held, b...)
	} else {
		p.buf = append(p.buf, b...)
	}
	p.queued.Store(int64(p.pendingLocked()))
	lim := p.s.settings.outputLimit(p.c.typeOf())
	if lim.hard == 0 && p.c.monitoring.Load() {
		lim.hard = monitorHardLimit // monitor.go
	}
	if lim.hard > 0 && uint64(len(p.buf)+p.writing-p.exempt) >= lim.hard {
		p.dieLocked(errOutputLimit)
	}
	p.cond.Broadcast()
}

// dieLocked marks the connection dead and closes its socket, which ends
// its serving goroutine's read.
func (p *pushOut) dieLocked(err error) {
	if p.dead {
		return
	}
	p.dead, p.err, p.buf, p.held = true, err, nil, nil
	p.queued.Store(int64(p.writing))
	if err == errOutputLimit {
		p.s.warnOutputLimit(p.c)
	}
	p.c.nc.Close()
	p.cond.Broadcast()
}

// pending is the bytes queued and not yet written.
func (p *pushOut) pendingLocked() int { return len(p.buf) + len(p.held) + p.writing }

// run is the writer: it writes what is queued until the connection ends.
func (p *pushOut) run() {
	defer close(p.finished)
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		for len(p.buf) == 0 && !p.dead && !p.closing {
			p.cond.Wait()
		}
		if p.dead || len(p.buf) == 0 {
			return
		}
		out := p.buf
		p.buf, p.writing = p.spare[:0], len(out)
		p.mu.Unlock()
		err := p.write(out)
		p.mu.Lock()
		p.spare, p.writing = out[:0], 0
		p.exempt = max(0, p.exempt-len(out))
		p.queued.Store(int64(len(p.buf)))
		if err != nil {
			p.dieLocked(err)
		}
		p.cond.Broadcast()
	}
}

// write writes out a slice of time at a time, checking the soft limit and
// the server's shutdown grace between slices.
func (p *pushOut) write(out []byte) error {
	var softSince time.Time
	for sent := 0; sent < len(out); {
		now := time.Now()
		p.c.nc.SetWriteDeadline(p.s.sliceEndAt(now))
		n, err := p.c.nc.Write(out[sent:])
		sent += n
		p.s.stats.netOut.Add(int64(n))
		if n > 0 {
			p.c.lastIO.Store(now.UnixNano())
		}
		if err != nil && !isTimeout(err) {
			return err
		}
		if sent == len(out) {
			return nil
		}
		p.mu.Lock()
		pending := uint64(max(0, len(p.buf)+len(out)-sent-p.exempt))
		p.mu.Unlock()
		if p.s.settings.outputLimit(p.c.typeOf()).overLimit(pending, &softSince, time.Now()) {
			return errOutputLimit
		}
		if p.s.closing.Load() && !time.Now().Before(p.s.closeBy()) {
			return errShutdown
		}
	}
	return nil
}

// handoff moves c's pending replies to the queue. Unless c's class has
// limits (a subscriber), it then waits while more than replyChunk bytes
// are queued, as a client without limits waits for its replies to be
// read. It reports whether the connection goes on.
func (s *Server) handoff(c *client, wait bool) bool {
	p := c.push
	p.mu.Lock()
	defer p.mu.Unlock()
	holding := p.holding
	p.holding = false
	p.queueLocked(c.out.B[c.sent:])
	c.out.B, c.sent, c.tried = c.out.B[:0], 0, 0
	c.handoffs++
	if holding { // EXEC's reply is out: the pushes held meanwhile follow it
		p.queueLocked(p.held)
		p.held = nil
	}
	if wait && s.settings.outputLimit(c.typeOf()).none() {
		busy := c.busy.Swap(false) // waiting for the client to read is idleness (as writeOut)
		for !p.dead && p.pendingLocked() > replyChunk {
			p.cond.Wait()
		}
		c.busy.Store(busy)
	}
	if p.dead {
		c.werr = p.err
		return false
	}
	return true
}

// endPush, when the connection ends, unsubscribes it from everything and
// gives its writer shutdownGrace to write what is queued (QUIT's +OK).
func (s *Server) endPush(c *client) {
	if c.push == nil {
		return
	}
	s.unsubscribeAll(c)
	p := c.push
	p.mu.Lock()
	p.closing = true
	p.cond.Broadcast()
	p.mu.Unlock()
	select {
	case <-p.finished:
	case <-time.After(shutdownGrace):
		p.c.nc.Close()
		<-p.finished
	}
}
