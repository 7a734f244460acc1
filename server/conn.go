package server

import (
	"errors"
	"runtime/debug"
	"time"

	"github.com/tidwall/redcon"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/protocol"
)

// serve runs one connection: read every command the client has pipelined,
// run them in order, write all replies with one write (or, for many bytes
// of replies, as they are made: see reply_write.go), repeat.
func (s *Server) serve(c *client) {
	defer s.removeClient(c)
	defer func() { // after the other deferred calls but removeClient: nothing reads the commands any more
		if c.rd != nil {
			c.rd.giveBack()
		}
	}()
	defer c.nc.Close()
	defer s.endPush(c)     // before the close: the queue's last bytes (QUIT's +OK)
	defer s.stopMonitor(c) // before endPush: no line is queued once its writer is gone
	defer s.stopReplica(c) // likewise for the replication stream
	defer s.dropUpstream(c)
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic while serving a connection; closing it",
				"client", c.id, "panic", r, "stack", string(debug.Stack()))
		}
	}()
	if !s.handshake(c) {
		return
	}
	c.rd = newReader(c.nc, s.cfg.Limits)
	c.rd.maxQuery = &s.settings.maxQuery
	c.rd.size = &c.readBuf
	c.readBuf.Store(int64(len(c.rd.buf)))
	c.rd.wake = func() bool { return s.woken(c) }
	c.rd.unauth = func() bool { return !c.acl.authed }
	var flushed int64 // when the last replies were written, with cluster.PathTimes
	for {
		cmds, err := c.rd.ReadCommands()
		if cluster.PathTimes {
			pathRequestRead(c, flushed)
		}
		s.stats.netIn.Add(c.rd.takeNetIn())
		if err == errWoken { // invalidations wait (tracking_send.go), or an idle buffer goes (readbuf.go)
			if c.releaseRead.Swap(false) {
				c.rd.release()
			}
			if !s.flush(c) {
				return
			}
			continue
		}
		if err != nil {
			s.readFailed(c, err)
			return
		}
		if c.push == nil && c.hasMail() && !s.flush(c) { // what came before these commands goes first
			return
		}
		c.holdMail()
		c.inBatch.Store(true) // until the replies are out: watchUsers leaves the connection to us
		s.runBatch(c, cmds)
		c.rd.pendingAuth = 0 // the batch's AUTHs ran
		c.forwarded = arrival{}
		if c.quit {
			s.leave(c)
		}
		ok := s.flush(c)
		if cluster.PathTimes {
			flushed = pathRepliesWritten(c)
		}
		c.inBatch.Store(false)
		if !ok || c.quit {
			return
		}
		if s.cfg.ACL != nil && (c.recheckUser.Swap(false) || s.usersChanged(c)) && s.userGone(c) {
			return // its user was deleted (by this batch, say): Redis closes it after the reply
		}
	}
}

// leave takes a connection that closes after this batch's replies (QUIT,
// CLIENT KILL of itself...) out of the client list before they are
// written, as Redis frees such a client before it reads anyone's next
// command: a client that has read QUIT's +OK can count on the node having
// forgotten the other connection (a tracking redirection to it is broken,
// CLIENT KILL ID finds nobody). removeClient forgets it again, harmlessly.
func (s *Server) leave(c *client) {
	s.mu.Lock()
	s.forgetClient(c)
	s.mu.Unlock()
}

// readFailed answers a protocol error as Redis does, then the caller closes.
func (s *Server) readFailed(c *client, err error) {
	var pe *protocolError
	if errors.As(err, &pe) {
		s.log.Info("closing client after protocol error", "client", c.id, "err", err)
		c.out.Error(protocol.ErrProtocol(pe.msg))
		s.flush(c)
	}
}

// batch holds a pipeline's writes that were proposed but not yet answered.
// Their replies must go out before any later reply, so every non-write
// command first waits for them.
type batch struct {
	pending  []*cluster.Pending
	reads    bool          // a read barrier was passed for this batch
	readsAt  uint64        // the client's forwards then: one sent since needs another
	readTime int64         // the leader's time the barrier vouched for (unix ms)
	values   int           // pending writes that may reply with values (makeRoom)
	notes    []pendingNote // one per pending: how to count it (cmdstats_count.go)
	since    time.Time     // when the first of the pending writes was proposed
	users    bool          // a pending write may change the user table (ACL)
}

// runBatch runs a pipeline in order. Consecutive writes enter the log
// together (one group commit); a read waits for the writes before it, and
// one read barrier serves every read in the pipeline, since all of them
// arrived before it began.
//
// Each command is looked up in the table and arity-checked once (resolve);
// route.go describes the route from there.
func (s *Server) runBatch(c *client, cmds []redcon.Command) {
	b := c.nextBatch()
	defer b.keep()
	follower := !s.router.IsLeader() // a leader never looks for commands to forward
	c.busy.Store(true)
	defer c.busy.Store(false)
	calls := s.resolve(c, cmds)
	defer c.forgetCalls()
	s.openXReadWindow(c, calls)
	if hasPop(calls) || (follower && hasBlocking(calls)) { // block_arriving.go
		s.blocker.arriving.enter(c, localArrival(c))
		defer s.blocker.arriving.leave(c)
	}
	if !follower {
		s.openStreamWindow(c, calls)
	}
	noGroup := false // calls[i] ended a group of reads: dispatched alone
	for i := 0; i < len(calls) && !c.gone(); {
		if !s.writeAsYouGo(c) {
			break
		}
		if b.users { // the calls that follow are checked against the changed user table
			s.settle(c, b)
		}
		s.awaitExpiry(c) // a read's lazy expiry comes before what follows it
		s.evictFirst(c, b)
		if c.reply != replyOn {
			s.dispatchQuiet(c, b, calls[i:i+1])
			i++
			continue
		}
		// A transaction's commands are queued one by one; a restricted
		// user's are checked one by one (dispatch), and so is every call
		// while clients are paused (pause_hold.go) or the node is a stale
		// replica (replica_stale.go).
		if c.multi == nil && !c.restricted() && s.aclFree(c) && !s.pause.on.Load() && !noGroup && !s.staleReplica() {
			if n := s.leadingForwards(c, calls[i:], follower); n > 1 {
				s.settle(c, b)
				for _, cl := range calls[i : i+n] { // before the leader reads them
					c.startCall(cl.cmd)
					s.rememberRead(c, cl.cmd, cl.args)
				}
				s.forwardPipeline(c, calls[i:i+n])
				i += n
				continue
			}
			if n := s.leadingReads(c, b, calls[i:]); n > 0 {
				c.startCall(calls[i].cmd) // readSome starts the others
				ran := s.readGroup(c, b, calls[i:i+n])
				i, noGroup = i+ran, ran < n
				continue
			}
		}
		noGroup = false
		s.dispatch(c, b, calls[i:i+1])
		i++
	}
	s.settle(c, b)
	if c.cmdName != "" {
		c.touch(c.cmdName) // once per pipeline: CLIENT LIST's cmd and idle
	}
}

// settle waits for the pending writes and appends their replies in order.
//
// A write this node took as leader but could not apply (CLUSTERDOWN: it was
// stepping down or handing leadership over) is sent again, to the new
// leader or to this node if it still leads, unless a later write of the
// pipeline was applied: resending it then would change their order.
func (s *Server) settle(c *client, b *batch) {
	if len(b.pending) > 0 {
		defer s.blocker.awaitServed() // before the replies are flushed (blocking_served.go)
	}
	for i, f := range b.pending {
		reply := f.Reply()
		if cluster.PathTimes {
			pathReplyTaken(c, f)
		}
		if notApplied(reply) && noneApplied(b.pending[i+1:]) {
			reply = s.resend(c, f.Unit(), reply)
		}
		c.out.Raw(reply)
		b.notes[i].reply = reply
		s.rememberAfter(c, b.notes[i].remember)
		s.writeAsYouGo(c)
	}
	s.countPending(c, b)
	clear(b.pending) // let the answered writes go
	b.pending, b.values, b.users = b.pending[:0], 0, false
}

// nextBatch returns c's batch for the next pipeline, empty, with the last
// one's arrays (keep): a pipeline of writes then grows none of them again,
// and no batch is allocated per pipeline.
func (c *client) nextBatch() *batch {
	c.batch = batch{pending: c.batch.pending[:0], notes: c.batch.notes[:0]}
	return &c.batch
}

// maxKeptBatch bounds the writes a kept array may hold; a larger one (a
// long pipeline) is dropped.
const maxKeptBatch = 1024

// keep keeps b's arrays for the next pipeline, unless they grew past
// maxKeptBatch. b is settled (its pending writes answered).
func (b *batch) keep() {
	if cap(b.pending) > maxKeptBatch || cap(b.notes) > maxKeptBatch {
		b.pending, b.notes = nil, nil
	}
}
