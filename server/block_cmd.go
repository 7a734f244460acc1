package server

import (
	"bytes"
	"errors"
	"net"
	"time"

	"github.com/tidwall/redcon"

	"github.com/geetcache/geetcache/protocol"
)

// block runs a blocking command (BLPOP, BLMOVE, BZPOPMIN...). The command
// goes through the log as its non-blocking form; a null reply means there
// was nothing to take, so the connection waits for a write to one of its
// keys (or the timeout, or the client leaving) and tries again. Every pop
// that serves a blocked client is a log entry like any write. It returns
// ran, the time its attempts took (the waits left out: the slow log's).
func (s *Server) block(c *client, cmd *protocol.Command, args [][]byte) (ran time.Duration) {
	keys, _ := keyPositions(cmd, args)
	keyArgs := make([][]byte, len(keys))
	for i, at := range keys {
		keyArgs[i] = args[at]
	}
	w := s.blocker.add(c.db, keyArgs, arrivalOf(c))
	win := c.takeStreamWindow() // once queued: stream_gone.go
	if w == nil {
		c.quit = true
		return 0
	}
	defer s.blocker.remove(w)
	defer w.answered(0, true)
	s.confirmQueued(c)
	unit := protocol.Unit{Proto: uint8(c.out.Proto), Cmds: [][][]byte{args}, DB: c.db}
	var deadline time.Time
	for attempt := 0; ; attempt++ {
		if attempt == 0 && s.waitTurn(c, cmd, args, w) { // block_turn.go
			s.blocker.arriving.leave(c)
			deadline = blockDeadline(cmd, args)
			defer s.blocker.blockClient(c, w)()
			if reply := s.await(c, w, deadline); reply != nil {
				c.out.Raw(reply)
				return ran
			}
			continue
		}
		unit.Retry = attempt > 0
		wakes := w.wakesSoFar()
		tried := time.Now()
		pending := s.proposer.Submit(unit)
		s.blocker.arriving.leave(c) // the writes after it may go (block_arriving.go)
		reply := pending.Reply()
		ran += time.Since(tried)
		w.answered(wakes, false)
		if attempt == 0 && goneMeanwhile(cmd, reply) && s.streamsAsOf(c.db, keyArgs, win.from) &&
			(w.gone.Load() > 0 || // since queued
				s.blocker.changes.changedWithin(c.db, keyArgs, win.from, win.to)) {
			continue // see goneMeanwhile; stream_gone.go
		}
		// A source that became another type while we waited keeps us
		// blocked, as in Redis: the retried command counts it as missing
		// (protocol.Unit.Retry), so any other reply answers the client.
		if !isNull(reply) {
			c.out.Raw(reply)
			return ran
		}
		if attempt == 0 {
			deadline = blockDeadline(cmd, args)
			defer s.blocker.blockClient(c, w)()
		}
		if reply := s.await(c, w, deadline); reply != nil {
			c.out.Raw(reply)
			return ran
		}
	}
}

// blockDeadline is when the command times out; zero means never. The state
// machine has already validated the timeout.
func blockDeadline(cmd *protocol.Command, args [][]byte) time.Time {
	arg := args[len(args)-1]
	if cmd.KeyCount > 0 {
		arg = args[1] // BLMPOP timeout numkeys key... / BZMPOP likewise
	}
	ms, _ := protocol.ParseTimeout(arg)
	if cmd.Keys != nil {
		ms = protocol.StreamBlockMs(args) // XREADGROUP ... BLOCK ms ... STREAMS ...
	}
	if ms == 0 {
		return time.Time{}
	}
	return time.Now().Add(time.Duration(ms) * time.Millisecond)
}

// goneMeanwhile reports whether a first XREADGROUP attempt found its
// stream or group missing (NOGROUP) or of another type. When a write
// left one of its keys without a stream (or changed its groups) after the
// call was queued (waiter.gone), the change and the call were
// concurrent: the call is taken as having come
// first and blocked, and is retried as a woken call is, answering as Redis
// answers a client whose stream went away (-UNBLOCKED ...) instead of the
// error of a call made after the change. Such a change after the call
// arrived and before it was queued counts too (stream_gone.go).
func goneMeanwhile(cmd *protocol.Command, reply []byte) bool {
	return cmd.Keys != nil && cmd.Flags&protocol.Write != 0 &&
		(bytes.HasPrefix(reply, []byte("-NOGROUP")) || bytes.HasPrefix(reply, []byte("-WRONGTYPE")))
}

func nullArray(proto int) []byte {
	w := protocol.Writer{Proto: proto}
	w.NullArray()
	return w.B
}

func isNull(reply []byte) bool {
	return bytes.Equal(reply, []byte("*-1\r\n")) || bytes.Equal(reply, []byte("$-1\r\n")) ||
		bytes.Equal(reply, []byte("_\r\n"))
}

// await waits for a wake-up, the deadline, CLIENT UNBLOCK, the client
// leaving or the server closing. It returns nil to try again, else the
// reply that ends the wait: a null array, as for a timed-out blocking
// command, or, for CLIENT UNBLOCK ... ERROR, Redis's UNBLOCKED error.
func (s *Server) await(c *client, w *waiter, deadline time.Time) []byte {
	var timeout <-chan time.Time
	if !deadline.IsZero() {
		t := time.NewTimer(time.Until(deadline))
		defer t.Stop()
		timeout = t.C
	}
	gone, stop := s.watchClient(c)
	defer stop()
	select {
	case <-w.wake:
		s.blocker.afterExecs() // a transaction that woke it ends first
		if !s.blocker.isClosed() {
			return nil
		}
		c.quit = true
	case <-timeout:
	case mode := <-w.unblock:
		if mode == unblockError {
			return redcon.AppendError(nil, protocol.ErrUnblockedByClient)
		}
	case <-gone:
		c.quit = true
	}
	return nullArray(c.out.Proto)
}

// watchClient reads from a blocked client's socket to notice it leaving.
// What it reads (commands pipelined after the blocking one) goes through
// the connection's reader, which parses it for later under the client's
// limits, so nothing is lost and memory stays bounded: like Redis, a client
// that sends more than client-query-buffer-limit bytes while blocked is
// closed without a reply. stop ends the watch.
func (s *Server) watchClient(c *client) (gone <-chan struct{}, stop func()) {
	ch := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		scratch := make([]byte, 4096)
		for {
			err := c.rd.readHeld(scratch)
			if err == nil {
				continue
			}
			if errors.Is(err, errQueryBufferFull) {
				s.log.Warn("closing client that reached max query buffer length while blocked",
					"client", c.id, "limit", s.settings.maxQuery.Load())
				c.nc.Close() // no reply, as in Redis
			}
			if !isTimeout(err) {
				close(ch)
			}
			return
		}
	}()
	return ch, func() {
		c.nc.SetReadDeadline(time.Now())
		<-done
		s.clearReadDeadline(c.nc)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
