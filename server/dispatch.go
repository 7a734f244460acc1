package server

import (
	"time"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// dispatch routes one call, one[0] (a one-call slice of the pipeline, so
// that a read runs as a group of one). Unknown commands and wrong arity are
// answered here, once, for every command, in a transaction too.
func (s *Server) dispatch(c *client, b *batch, one []call) {
	cl := &one[0]
	cmd, args := cl.cmd, cl.args
	c.startCall(cmd)
	refused := s.callStat(c, cl)
	if !s.admitted(c, b, cl) {
		return
	}
	for s.heldByPause(c, b, cl) { // judged again after the pause, as Redis does
		if c.gone() {
			return
		}
		s.evictFirst(c, b)
		if !s.admitted(c, b, cl) {
			return
		}
	}
	if cl.ok && c.multi != nil {
		s.dispatchInMulti(c, b, cmd, args)
		return
	}
	if cl.ok {
		s.feedScript(c, cl) // before the commands it calls, as Redis shows it
	}
	route := s.routeOf(c, cl)
	for route == routeBusy { // a script went over the threshold since notBusy
		if !s.notBusy(c, b, cl) {
			return
		}
		route = s.routeOf(c, cl)
	}
	if msg := s.checkAtDoor(c, b, cl, route); msg != "" {
		s.reject(c, b, msg)
		return
	}
	switch route {
	case routeReject:
		if c.multi != nil {
			c.multi.dirty = true // EXEC answers EXECABORT
		}
		s.reject(c, b, cl.rejection())
	case routeForward:
		c.cmdName = cmd.Name
		s.settle(c, b)
		start, mark := time.Now(), len(c.out.B)
		if probeable[cmd.Name] && !s.leaderMustJudge(c, cl) && s.probeCounted(c, b, one) { // tried as a read here first
			return
		}
		if isPublish(cmd) {
			c.out.Raw(s.publishReply(args, s.forwardReply(c, args, false)))
			return
		}
		if cachedRead(cl) { // it may store what it computed: tracked after, past its own change
			after := s.readKeys(c, cmd, args)
			s.forward(c, args, false)
			s.rememberAfter(c, after)
		} else {
			s.rememberRead(c, cmd, args) // before the leader reads: no change can slip between
			s.forward(c, args, cmd.FlagsFor(args)&protocol.Blocking != 0)
		}
		s.countSince(c, start, mark)
	case routeBlock:
		c.cmdName = cmd.Name
		if cmd.Reblock != nil {
			s.blockRead(c, b, one)
			return
		}
		s.settle(c, b)
		start, mark := time.Now(), len(c.out.B)
		ran := s.block(c, cmd, args)
		s.countBlocked(c, start, mark, ran)
	case routeWrite:
		c.cmdName = cmd.Name
		if probeable[cmd.Name] && s.probeCounted(c, b, one) {
			return
		}
		if cmd.Unchanged != nil && s.unchangedCounted(c, b, one) {
			return
		}
		s.makeRoom(c, b, isValueWrite(cmd, args))
		var user []byte // unitUser, for the one command looked up already
		if scriptCalls[cmd.Name] {
			user = s.scriptUser(c)
		}
		s.submit(c, b, protocol.Unit{Proto: uint8(c.out.Proto), Cmds: [][][]byte{args}, Origin: s.trackingOrigin(c), DB: c.db, User: user}, nil)
		if cachedRead(cl) { // a read that stores what it computed: tracked once its reply is in
			b.notes[len(b.notes)-1].remember = s.readKeys(c, cmd, args)
		}
	case routeRead:
		c.cmdName = cmd.Name
		s.readGroup(c, b, one)
	case routeLocal:
		c.cmdName = cmd.Name
		if s.queueWait(c, b, cl) {
			return
		}
		s.settle(c, b)
		s.catchUpStats(c, cl)
		start, mark := time.Now(), len(c.out.B)
		cmd.Handler.ServeRESP(&protocol.Ctx{Args: args, Now: time.Now().UnixMilli(), Out: &c.out, Conn: c})
		s.countLocal(c, refused, start, mark)
	}
}

// admitted runs the checks a call meets before it runs or is queued, in
// Redis's order (ACL, pub/sub context, busy script, OOM, min-replicas,
// read-only replica, stale replica), and reports whether it passed them;
// if not, it was answered.
func (s *Server) admitted(c *client, b *batch, cl *call) bool {
	if msg := s.protectedRefused(c, cl); msg != "" { // protected_commands.go
		s.denied(c, b, msg)
		return false
	}
	if cl.ok && !s.permitted(c, b, cl) {
		return false
	}
	if cl.ok && cl.cmd.Name == "acl" {
		if msg := s.hidePasswords(c, cl.args); msg != "" {
			s.reject(c, b, msg)
			return false
		}
	}
	if msg := subscribedRejection(c, cl); msg != "" {
		s.reject(c, b, msg)
		return false
	}
	if cl.ok && !s.notBusy(c, b, cl) { // before OOM, as Redis (no eviction while busy)
		return false
	}
	return (s.oomAtFirstWrite(c, cl) || s.roomFor(c, b, cl)) && s.enoughReplicas(c, b, cl) && s.replicaWritable(c, b, cl) &&
		s.servesStale(c, b, cl)
}

// checkAtDoor runs the command's argument check (protocol.Command.Check)
// on a write this node is about to propose (a follower leaves it to the
// leader, which checks the forwarded call). A check that asks whether a
// key exists gets this node's keyspace after the pipeline's earlier
// writes have been applied.
func (s *Server) checkAtDoor(c *client, b *batch, cl *call, route route) string {
	if route != routeWrite || cl.cmd.Check == nil {
		return ""
	}
	return cl.cmd.Check(cl.args, func(key []byte) bool {
		s.settle(c, b)
		return s.existsHere(c.db, key)
	})
}

// existsHere reports whether key is live in database db of this node's
// keyspace now.
func (s *Server) existsHere(db int, key []byte) bool {
	found := false
	s.view.ViewAt(s.view.LocalTime(), func(dbs *datatypes.DBs, now int64) {
		found = dbs.DB(db).Lookup(string(key), now) != nil
	})
	return found
}

// rejectCall refuses cl with msg before it runs, as Redis's rejectCommand
// does in a transaction: an EXEC is answered EXECABORT with the reason and
// its transaction discarded (execCommandAbort), a call queued in MULTI
// makes the EXEC to come answer EXECABORT.
func (s *Server) rejectCall(c *client, b *batch, cl *call, msg string) {
	switch {
	case cl.cmd.Name == "exec":
		c.multi, c.watch = nil, nil
		msg = execAbortBecause(msg)
	case c.multi != nil:
		c.multi.dirty = true
	}
	s.reject(c, b, msg)
}

// reject answers msg to c's current call, refused before it ran.
func (s *Server) reject(c *client, b *batch, msg string) {
	s.settle(c, b)
	c.out.Error(msg)
	s.countRefusal(c.stat, msg)
}

// leadingReads returns how many calls at the start of calls route to the
// local state (routeRead), or are writes a group of b's reads may answer
// (joinsReads), and need no judgement of dispatch's (a read Redis flags
// write, while min-replicas-to-write is set).
func (s *Server) leadingReads(c *client, b *batch, calls []call) int {
	for n := range calls {
		cl := &calls[n]
		route := s.routeOf(c, cl)
		if (route != routeRead && (route != routeWrite || !s.joinsReads(c, b, cl, n == 0))) || s.writeToJudge(cl) {
			return n
		}
	}
	return len(calls)
}

// joinsReads reports whether cl, a write, may be tried in a group of b's
// reads: a read that may store what it computes, after the group's first
// call or once the pipeline is past its barrier (read_cached.go), or a
// write that may change nothing (unchanged_group.go).
func (s *Server) joinsReads(c *client, b *batch, cl *call, first bool) bool {
	if cachedRead(cl) {
		return !first || barrierHeld(c, b)
	}
	return s.unchangedJoins(c, b, cl)
}

// readGroup runs consecutive read-only commands on the local state: after
// the pipeline's earlier writes, behind one read barrier or read index per
// pipeline (linearizeGroup), and under one read lock per replyChunk of
// replies: past that, the replies are written (never under the lock) and
// the rest run under the lock again. The state may have moved on by then;
// each read still sees a state from after it arrived. Expiry is judged by
// the time the leader vouched for with the barrier or index (on a READONLY
// connection, this node's clock), or the last applied entry's if later.
//
// It returns how many of calls it consumed: all of them, unless a read
// that may store what it computes found something to store (cachedRead),
// or a write that may change nothing would change something
// (unchangedWrite): the group ends before it, and the caller dispatches it.
func (s *Server) readGroup(c *client, b *batch, calls []call) int {
	s.settle(c, b)
	if !s.linearizeGroup(c, b, calls) {
		return len(calls)
	}
	s.followerEvictFirst(c)
	t := b.readTime
	if c.readonly {
		t = s.view.LocalTime()
	}
	done := 0
	for done < len(calls) && s.writeAsYouGo(c) {
		ran := s.readSome(c, t, calls[done:])
		if ran == 0 { // a call to dispatch (the caller does)
			if done > 0 {
				c.cmdName = calls[done-1].cmd.Name
			}
			return done
		}
		done += ran
	}
	c.cmdName = calls[len(calls)-1].cmd.Name
	return len(calls)
}

// readSome runs reads under one read lock, at time t (see ViewAt), until
// they are done or their replies want writing, and returns how many it ran
// (at least one). A read that asks for the deletion of expired keys ends
// them: the next reads wait for it (lazy_expiry.go).
func (s *Server) readSome(c *client, t int64, calls []call) int {
	s.awaitExpiry(c)
	p := c.viewPassOf(s)
	p.calls, p.n = calls, 0
	s.view.ViewAt(t, p.reads)
	p.calls = nil
	return p.n
}

// viewPass is a connection's work under the read lock (ViewAt's callback):
// a group of reads (readSome) or the check of a write that may change
// nothing (unchangedAt). It is kept on its client with its callbacks bound
// once, so that ViewAt allocates nothing per call, as a closure over the
// call's variables would.
type viewPass struct {
	s *Server
	c *client
	// readSome's: the calls to run, and how many ran
	calls []call
	n     int
	// unchangedAt's: the call, when it started (zero for a trial), and
	// whether it was answered
	cl       *call
	at       time.Time
	answered bool
	// scratch takes a trial's reply (Command.TryUnchanged)
	scratch protocol.Writer
	// reads and unchanged are serveReads and serveUnchanged, bound once.
	reads, unchanged func(dbs *datatypes.DBs, now int64)
}

// viewPassOf returns c's viewPass.
func (c *client) viewPassOf(s *Server) *viewPass {
	p := &c.pass
	if p.reads == nil {
		p.s, p.c = s, c
		p.reads, p.unchanged = p.serveReads, p.serveUnchanged
	}
	return p
}

// serveReads runs p.calls on dbs at now, as readSome says.
func (p *viewPass) serveReads(dbs *datatypes.DBs, now int64) {
	s, c, calls := p.s, p.c, p.calls
	start, marks := time.Now(), c.marks[:0]
	ctx := s.readCtx(c, dbs, now, start.UnixMilli())
	ks := ctx.DB // the connection's database, whatever a call selects
	n := 0
	for n < len(calls) && (n == 0 || !c.wantWrite() && c.expiring == nil) {
		cl, mark := &calls[n], len(c.out.B)
		if cachedRead(cl) && !cl.cmd.TryUnchanged(ctx, cl.args, &p.scratch) {
			break // it stores what it computes: into the log (read_cached.go)
		}
		ctx.Args = cl.args
		answered := unchangedWrite(cl)
		if answered && !cl.cmd.Unchanged(ctx) {
			c.out.B = c.out.B[:mark]
			break // it would change something: into the log (unchanged_group.go)
		}
		marks = append(marks, mark)
		if n > 0 {
			c.startCall(cl.cmd) // runBatch started the first
		}
		c.scriptRead = false
		s.feedScript(c, cl) // before the commands it calls
		if !answered {
			cl.cmd.Handler.ServeRESP(ctx)
		}
		s.rememberRead(c, cl.cmd, cl.args) // under the read lock: before any later change
		s.expireRead(c, ks, now, cl.cmd, cl.args)
		n++
	}
	s.countReads(c, calls[:n], start, marks)
	c.marks = marks
	p.n = n
}

// readCtx makes c's Ctx for reads of dbs at now, their accesses counted at
// clock (unix ms).
func (s *Server) readCtx(c *client, dbs *datatypes.DBs, now, clock int64) *protocol.Ctx {
	c.ctx = protocol.Ctx{DB: dbs.DB(c.db), DBs: dbs, DBIndex: c.db, Now: now, Out: &c.out, Conn: c,
		Events: s.readEvents(c), Stats: c.lookupStats(), Access: s.readAccess(), LFU: s.lfuTracked(), Clock: clock}
	return &c.ctx
}
