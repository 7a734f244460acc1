package server

import (
	"errors"
	"time"
)

// Replies are written as they are made. A pipeline's replies gather in the
// client's reply buffer (c.out) and go out in one write when the pipeline
// is done; past replyChunk bytes they are written before the next command
// runs, so memory is bounded by the output buffer limit, not by the
// pipeline. The reply buffer only ever holds replies that come before every
// write still pending in the batch (settle appends those in order), so
// writing it early keeps the order.
//
// A write to a client that does not read blocks; it is cut into slices of
// writeSlice so that it notices the server closing (it gives up
// shutdownGrace after Close) and the client going over its output buffer
// limit. A client of a class with limits is not blocked while under them:
// it is written what the socket takes at once and its commands go on, as
// Redis buffers replies, until it passes the hard limit or stays above the
// soft one too long, and is closed (with only a soft limit, it blocks once
// over it). A client without limits (the normal class's default) blocks
// instead of buffering: Redis would buffer without bound.

// replyChunk is how many reply bytes wait, at most, while a pipeline runs.
const replyChunk = 64 << 10

// writeSlice bounds one blocking write of a client that does not read.
const writeSlice = 250 * time.Millisecond

// tryWrite is how long a client under its limits is waited for mid-pipeline.
const tryWrite = time.Millisecond

// shutdownGrace is how long after Close clients still get to read replies.
const shutdownGrace = 2 * time.Second

var (
	errOutputLimit = errors.New("client closed for overcoming of output buffer limits")
	errShutdown    = errors.New("server closing: reply not read in time")
)

// pendingOut is the reply bytes made and not yet written.
func (c *client) pendingOut() int { return len(c.out.B) - c.sent }

// gone reports whether the connection is closing: QUIT, a kill of its own,
// or a failed write. Its remaining commands are not run.
func (c *client) gone() bool { return c.quit || c.werr != nil }

// wantWrite reports whether replies should be written before the next
// command: replyChunk bytes more are waiting than at the last try.
func (c *client) wantWrite() bool { return c.pendingOut()-c.tried >= replyChunk }

// writeAsYouGo writes the replies made so far when wantWrite says so. It
// reports whether the connection goes on.
func (s *Server) writeAsYouGo(c *client) bool {
	if c.werr != nil || !c.wantWrite() {
		return c.werr == nil
	}
	if c.push != nil {
		return s.handoff(c, true)
	}
	lim := s.settings.outputLimit(c.typeOf())
	if lim.none() {
		return s.writeOut(c, 0)
	}
	now := time.Now()
	s.writeUntil(c, now, now.Add(tryWrite))
	c.tried = c.pendingOut()
	s.checkOutputLimit(c, lim, 0)
	if c.werr == nil && lim.hard == 0 && uint64(c.pendingOut()) >= lim.soft {
		// No hard limit to stop at: stop making replies. Redis would go on
		// and stay above the soft limit, so the client counts as above it
		// until it has read everything.
		return s.writeOut(c, lim.soft)
	}
	return c.werr == nil
}

// flush writes every pending reply at the end of a pipeline; it reports
// whether the connection goes on.
func (s *Server) flush(c *client) bool {
	if c.werr != nil {
		return false
	}
	if !s.deliverMail(c) {
		return false
	}
	if c.push != nil {
		ok := s.handoff(c, true)
		c.releaseMail()
		return ok
	}
	ok := c.pendingOut() == 0 || s.writeOut(c, 0)
	if c.pendingOut() == 0 && cap(c.out.B) > 1<<20 {
		c.out.B = nil // do not pin a huge reply buffer to an idle client
	}
	return ok
}

// writeOut writes every pending reply, a slice at a time, until done, the
// connection fails, the client is over its output limit (counting at
// least held bytes pending while any are) or the server's shutdown grace is
// over. It reports whether the connection goes on.
func (s *Server) writeOut(c *client, held uint64) bool {
	busy := c.busy.Load()
	c.busy.Store(false) // waiting for the client to read is idleness
	defer c.busy.Store(busy)
	for c.werr == nil && c.pendingOut() > 0 {
		now := time.Now()
		s.writeUntil(c, now, s.sliceEnd(c, now))
		if c.pendingOut() == 0 {
			break
		}
		s.checkOutputLimit(c, s.settings.outputLimit(c.typeOf()), held)
		if c.werr == nil && s.closing.Load() && !time.Now().Before(s.closeBy()) {
			c.werr = errShutdown
		}
	}
	c.resetOut()
	return c.werr == nil
}

// sliceEnd is the write deadline for the next slice: the one already set
// while it is more than half a slice away (no timer reset per write), never
// past the end of the shutdown grace.
func (s *Server) sliceEnd(c *client, now time.Time) time.Time {
	end := c.writeDeadline
	if end.Sub(now) < writeSlice/2 {
		end = now.Add(writeSlice)
	}
	if s.closing.Load() {
		if by := s.closeBy(); by.Before(end) {
			end = by
		}
	}
	return end
}

// sliceEndAt is the end of a write slice starting at now, never past the
// end of the shutdown grace.
func (s *Server) sliceEndAt(now time.Time) time.Time {
	end := now.Add(writeSlice)
	if s.closing.Load() {
		if by := s.closeBy(); by.Before(end) {
			end = by
		}
	}
	return end
}

// writeUntil writes pending replies until they are all written, the
// deadline passes, or the connection fails (recorded in c.werr). now is
// when it starts: the last I/O time if any byte goes out.
func (s *Server) writeUntil(c *client, now, deadline time.Time) {
	if !deadline.Equal(c.writeDeadline) {
		c.nc.SetWriteDeadline(deadline)
		c.writeDeadline = deadline
	}
	n, err := c.nc.Write(c.out.B[c.sent:])
	c.sent += n
	s.stats.netOut.Add(int64(n))
	if n > 0 {
		c.lastIO.Store(now.UnixNano())
	}
	if err != nil && !isTimeout(err) {
		c.werr = err
	}
	if c.pendingOut() == 0 {
		c.resetOut()
	}
}

// resetOut empties a fully written reply buffer (keeping its memory for
// the rest of the pipeline), or drops written bytes from a partly written
// one once they are most of it.
func (c *client) resetOut() {
	switch {
	case c.pendingOut() == 0:
		c.out.B = c.out.B[:0]
	case c.sent > len(c.out.B)/2:
		c.out.B = c.out.B[:copy(c.out.B, c.out.B[c.sent:])]
		c.sent = 0 // pendingOut, hence c.tried, is unchanged
		return
	default:
		return
	}
	c.sent, c.tried = 0, 0
}

// checkOutputLimit closes a client over its class's output buffer limit,
// as Redis does: with a warning, without writing what is pending.
func (s *Server) checkOutputLimit(c *client, lim outputLimit, held uint64) {
	if c.werr != nil || !lim.overLimit(max(uint64(c.pendingOut()), held), &c.softSince, time.Now()) {
		return
	}
	s.warnOutputLimit(c)
	c.werr = errOutputLimit
}

// warnOutputLimit logs Redis's warning for a client closed for its output
// buffer limit.
func (s *Server) warnOutputLimit(c *client) {
	line := c.snapshot(time.Now(), nil).appendLine(nil)
	s.log.Warn("Client "+string(line[:len(line)-1])+" scheduled to be closed ASAP for overcoming of output buffer limits.",
		"client", c.id)
}

// closeBy is when the shutdown grace ends; zero before Close.
func (s *Server) closeBy() time.Time { return time.Unix(0, s.closeAt.Load()) }
