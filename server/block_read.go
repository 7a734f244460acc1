package server

import (
	"time"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// blockRead serves a read that may block (XREAD BLOCK). It runs like any
// read, behind the read barrier or read index; when it finds nothing, the
// client waits for a write applied on this node to one of its keys, and the
// read runs again on the local state with the arguments the command's
// Reblock gave (XREAD's "$" resolved at the first run). Nothing goes
// through the log: the wake-up comes from this node applying the write,
// on a follower as on the leader.
func (s *Server) blockRead(c *client, b *batch, one []call) {
	cl := &one[0]
	s.settle(c, b)
	t, ok := s.blockReadTime(c, cl)
	if !ok {
		return
	}
	w := s.blocker.addReader(c.db, keyArgsOf(cl.cmd, cl.args), arrivalOf(c))
	if w == nil {
		c.quit = true
		return
	}
	defer s.blocker.remove(w)
	s.confirmQueued(c)
	reply, retry, timeoutMs := s.firstRead(c, t, cl.cmd, cl.args)
	s.blocker.arriving.leave(c) // the writes after it may go (block_arriving.go)
	if !isNull(reply) || retry == nil {
		c.out.Raw(reply)
		return
	}
	defer s.blocker.blockClient(c, w)()
	deadline := msDeadline(timeoutMs)
	for {
		if reply := s.await(c, w, deadline); reply != nil {
			c.out.Raw(reply)
			return
		}
		// A key that became another type keeps the client blocked, as in
		// Redis: the run again counts it as missing (protocol.Ctx.Retry),
		// and the other keys may still serve it.
		reply = s.readAgainOnce(c, t, cl.cmd, retry)
		if !isNull(reply) {
			c.out.Raw(reply)
			return
		}
	}
}

// blockReadGrace is how long a follower waits to apply the leader's read
// index for a blocking read before it sends the read to the leader: longer
// than a plain read's grace, because a write sent just after the read may
// be on its way there (xread_retyped.go judges the read here, by this
// node's arrival stamps), and a read that may block can wait a little.
const blockReadGrace = 100 * time.Millisecond

// blockReadTime readies the local state for a blocking read as for any
// linearizable read and returns the time it judges expiry by; ok is false
// when it answered the call itself: with an error, or, on a follower
// behind the leader's read index, by sending it to the leader to block
// there.
func (s *Server) blockReadTime(c *client, cl *call) (t int64, ok bool) {
	if c.readonly {
		return s.view.LocalTime(), s.readonlyReady(c, []call{*cl})
	}
	t, errMsg, behind := s.linearizeWithin(blockReadGrace)
	switch {
	case behind:
		s.forward(c, cl.args, true)
		return 0, false
	case errMsg != "":
		c.out.Error(errMsg)
		return 0, false
	}
	return t, true
}

// blockRun is which run of a blocking read serveRead makes.
type blockRun uint8

const (
	readFirst      blockRun = iota // the call's first run: its lookups count
	readConcurrent                 // the first run again, a key of another type counting as missing (xread_retyped.go)
	readAgain                      // a woken call's run
)

// firstRead runs a blocking read's first run under the read lock, as of
// its arrival where concurrent writes changed its keys (xread_retyped.go).
func (s *Server) firstRead(c *client, t int64, cmd *protocol.Command, args [][]byte) (reply []byte, retry [][]byte, timeoutMs int64) {
	s.view.ViewAt(t, func(dbs *datatypes.DBs, now int64) {
		args, streams := s.xreadAsOf(c, cmd, args)
		reply, retry, timeoutMs = s.serveRead(c, dbs, now, cmd, args, readFirst)
		if s.retypedMeanwhile(c, dbs, now, cmd, args, streams, reply) {
			reply, retry, timeoutMs = s.serveRead(c, dbs, now, cmd, args, readConcurrent)
		}
	})
	return reply, retry, timeoutMs
}

// readAgainOnce runs a woken blocking read under the read lock.
func (s *Server) readAgainOnce(c *client, t int64, cmd *protocol.Command, args [][]byte) (reply []byte) {
	s.view.ViewAt(t, func(dbs *datatypes.DBs, now int64) {
		reply, _, _ = s.serveRead(c, dbs, now, cmd, args, readAgain)
	})
	return reply
}

// serveRead runs a read into a reply of its own; on a first run that
// finds nothing it asks the command how to run again. The caller holds
// the read lock.
func (s *Server) serveRead(c *client, dbs *datatypes.DBs, now int64, cmd *protocol.Command, args [][]byte, run blockRun) (reply []byte, retry [][]byte, timeoutMs int64) {
	w := protocol.Writer{Proto: c.out.Proto}
	var stats *protocol.KeyStats // a woken read's lookups count nothing, as Redis's (LOOKUP_NOSTATS)
	if run == readFirst {
		stats = &c.keyStats
	}
	ctx := protocol.Ctx{Args: args, DB: dbs.DB(c.db), DBs: dbs, DBIndex: c.db, Now: now, Out: &w, Conn: c, Retry: run != readFirst, Stats: stats, Access: s.readAccess(), Clock: time.Now().UnixMilli()}
	cmd.Handler.ServeRESP(&ctx)
	if run != readAgain && isNull(w.B) {
		ctx.Stats = nil // its lookups are no client's
		retry, timeoutMs = cmd.Reblock(&ctx)
	}
	return w.B, retry, timeoutMs
}

// maxBlockMs is the longest wait taken literally (about 34 years); a
// longer one waits forever, as Redis's wrapping deadline does.
const maxBlockMs = 1 << 40

// msDeadline is when a wait of ms milliseconds ends; zero means never.
func msDeadline(ms int64) time.Time {
	if ms <= 0 || ms > maxBlockMs {
		return time.Time{}
	}
	return time.Now().Add(time.Duration(ms) * time.Millisecond)
}

// keyArgsOf returns the key arguments of a call.
func keyArgsOf(cmd *protocol.Command, args [][]byte) [][]byte {
	keys, _ := keyPositions(cmd, args)
	keyArgs := make([][]byte, len(keys))
	for i, at := range keys {
		keyArgs[i] = args[at]
	}
	return keyArgs
}
