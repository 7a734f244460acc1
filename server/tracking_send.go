package server

import (
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/geetcache/geetcache/pubsub"
)

// Invalidations reach a connection at any time, from the state machine's
// goroutine, so they go out through its push queue (pubsub_out.go), which
// the connection enters at the first one. While the connection runs
// commands they wait in its mailbox and follow the replies of the
// pipeline (Redis sends the invalidations a command causes after its
// reply); while it is idle they go to the queue at once. A connection not
// yet in push mode that is idle in a read is woken (its read deadline
// set to now) to enter it.

// mailCap bounds a mailbox (and the push queue of a connection of a class
// without an output limit) for invalidations: past it, the connection is
// closed as over its output buffer limit, never buffered without bound.
const mailCap = 64 << 20

// errWoken is the reader's answer when a wake-up, not the client, ended a
// read.
var errWoken = errors.New("woken for pushes")

// mailbox holds a connection's invalidations while it runs commands.
type mailbox struct {
	mu     sync.Mutex
	buf    []byte
	direct bool // idle in push mode: push at once
	wake   bool // a wake-up is pending
}

// trackHandle is a connection as the tracking table sees it.
type trackHandle struct {
	s *Server
	c *client
}

var _ pubsub.TrackingClient = (*trackHandle)(nil)

// Send sends an invalidation of keys (nil: everything) as Redis's
// sendTrackingMessage: to the redirection's connection when there is one
// (in RESP2 only when it is subscribed: on __redis__:invalidate), else to
// the connection itself in RESP3; a redirection to a connection that is
// gone is reported to a RESP3 connection instead (tracking-redir-broken).
func (h *trackHandle) Send(keys []string) {
	c := h.c
	c.trk.mu.Lock()
	redirect := c.trk.redirect
	c.trk.mu.Unlock()
	proto := c.protoNow()
	target := c
	if redirect != 0 {
		if target = h.s.clientByID(redirect); target == nil {
			h.redirBroken(redirect, proto)
			return
		}
	}
	var frame []byte
	switch tp := target.protoNow(); {
	case tp == 3:
		frame = pubsub.AppendPushHeader(nil, 3, 2)
		frame = pubsub.AppendBulk(frame, []byte("invalidate"))
	case target != c && target.subscribed.Load():
		frame = pubsub.AppendPushHeader(nil, 2, 3)
		frame = pubsub.AppendBulk(frame, []byte("message"))
		frame = pubsub.AppendBulk(frame, []byte("__redis__:invalidate"))
	default:
		return // RESP2 without a subscribed redirection: nowhere to send
	}
	target.mail(appendInvalidated(frame, keys, proto))
}

// appendInvalidated appends the keys part of an invalidation: an array of
// keys, or the null of the tracking connection's protocol for a flush.
func appendInvalidated(b []byte, keys []string, proto int) []byte {
	if keys == nil {
		return append(b, ifElse(proto == 3, "_\r\n", "$-1\r\n")...)
	}
	b = strconv.AppendInt(append(b, '*'), int64(len(keys)), 10)
	b = append(b, '\r', '\n')
	for _, k := range keys {
		b = pubsub.AppendBulk(b, []byte(k))
	}
	return b
}

func (h *trackHandle) redirBroken(redirect int64, proto int) {
	c := h.c
	c.trk.mu.Lock()
	c.trk.broken = true
	c.trk.mu.Unlock()
	if proto != 3 {
		return
	}
	frame := pubsub.AppendPushHeader(nil, 3, 2)
	frame = pubsub.AppendBulk(frame, []byte("tracking-redir-broken"))
	frame = strconv.AppendInt(append(frame, ':'), redirect, 10)
	c.mail(append(frame, '\r', '\n'))
}

// protoNow is the connection's RESP version, from any goroutine.
func (c *client) protoNow() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.proto
}

// mail delivers frame to c: into its push queue when c is idle in push
// mode, else into its mailbox (waking c if it is not in push mode yet).
func (c *client) mail(frame []byte) {
	m := &c.mailbox
	m.mu.Lock()
	defer m.mu.Unlock()
	if p := c.pushView.Load(); m.direct && p != nil {
		if p.queued.Load() > mailCap && p.s.settings.outputLimit(c.typeOf()).none() {
			p.Kill(errOutputLimit)
			return
		}
		p.Push(frame)
		return
	}
	if len(m.buf)+len(frame) > mailCap {
		m.buf = nil
		c.nc.Close() // the serving goroutine ends on its next read or write
		return
	}
	m.buf = append(m.buf, frame...)
	if c.pushView.Load() == nil && !m.wake {
		m.wake = true
		c.nc.SetReadDeadline(time.Now())
	}
}

// holdMail makes invalidations wait in the mailbox while c runs commands.
func (c *client) holdMail() {
	c.mailbox.mu.Lock()
	c.mailbox.direct = false
	c.mailbox.mu.Unlock()
}

// hasMail reports whether invalidations wait for c.
func (c *client) hasMail() bool {
	c.mailbox.mu.Lock()
	defer c.mailbox.mu.Unlock()
	return len(c.mailbox.buf) > 0
}

// takeMail returns the invalidations waiting in c's mailbox and empties
// it, for a caller that sends them before the reply it is making.
func (c *client) takeMail() []byte {
	c.mailbox.mu.Lock()
	defer c.mailbox.mu.Unlock()
	buf := c.mailbox.buf
	c.mailbox.buf = nil
	return buf
}

// releaseMail, once c's replies are in its push queue, queues what waits
// in the mailbox after them; invalidations then go to the queue at once
// until c runs commands again.
func (c *client) releaseMail() {
	m := &c.mailbox
	m.mu.Lock()
	defer m.mu.Unlock()
	if c.push == nil {
		return
	}
	if len(m.buf) > 0 {
		c.push.Push(m.buf)
		m.buf = nil
	}
	m.direct = true
}

// woken reports whether a read that timed out was woken for
// invalidations rather than ended by the server closing; it then clears
// the read deadline.
func (s *Server) woken(c *client) bool {
	if s.closing.Load() {
		return false
	}
	c.mailbox.mu.Lock()
	c.mailbox.wake = false
	c.mailbox.mu.Unlock()
	s.clearReadDeadline(c.nc)
	return true
}

// deliverMail, at the end of a pipeline (flush), moves c into push mode
// when invalidations wait for it.
func (s *Server) deliverMail(c *client) bool {
	if c.push == nil && c.hasMail() {
		return s.startPush(c)
	}
	return true
}

// Kill closes the connection as over a limit.
func (p *pushOut) Kill(err error) {
	p.mu.Lock()
	p.dieLocked(err)
	p.mu.Unlock()
}
