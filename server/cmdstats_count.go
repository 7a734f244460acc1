package server

import (
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// Where calls are counted (cmdstats.go): dispatch sets c.stat to the
// counters of the call it routes; a call refused before it runs is counted
// by reject; one that runs is counted when its reply is made (a local or
// server command, a read, a forwarded or blocking command) or arrives (a
// write, in settle), and its reply says whether it failed. A transaction's
// commands are counted from EXEC's array, one element each.

// pendingNote is what settle needs to count a proposed write once its
// reply came: the counters, for EXEC the queued commands its array
// answers, and the reply.
type pendingNote struct {
	stat  *cmdStat
	cmd   *protocol.Command // the call (EXEC itself for a transaction, whose calls are items)
	args  [][]byte
	items []queued
	reply []byte
	// remember is the keys a tracking transaction read after writing
	// them, remembered once its reply is in (tracking_multi.go).
	remember [][]byte
	// answered: a queued WAIT (queueWait), which took no time of its own.
	answered bool
}

// callStat sets c.stat to the counters of cl and reports whether the call
// is refused before it runs although well-formed (a subcommand's arity).
func (s *Server) callStat(c *client, cl *call) bool {
	st, refused := s.cmdStats.of(cl.cmd, cl.args)
	c.stat, c.cur = st, cl
	return refused
}

// countReply counts a call that ran for d and answered reply (at least its
// first line): an error reply makes it failed and is counted by its code.
// A nil st is an unknown subcommand, refused: only its error counts.
func (s *Server) countReply(st *cmdStat, d time.Duration, reply []byte) {
	failed := isErrorReply(reply)
	if failed {
		s.countErrorOf(st, reply)
	}
	if st != nil {
		st.ran(d, failed)
		s.stats.commands.Add(1)
		if d > 0 && s.settings.latency.on.Load() { // a call without a time of its own is not timed
			st.recordLatencyN(d, 1)
		}
	}
}

// countErrorOf counts the error reply of a call of st: by its code,
// unless it is the error a script's call already counted
// (cmdstats_scripts.go).
func (s *Server) countErrorOf(st *cmdStat, reply []byte) {
	if st != nil && st.script && s.errors.takeCredit(reply) {
		return
	}
	s.errors.add(reply, s.log)
}

// countSince counts c's current call, which started at start and whose
// reply begins at c.out.B[mark] (nothing is known of a reply already
// written out), and gives it to the slow log.
func (s *Server) countSince(c *client, start time.Time, mark int) {
	var reply []byte
	if mark >= 0 && mark < len(c.out.B) {
		reply = c.out.B[mark:]
	}
	d := time.Since(start)
	s.countReply(c.stat, d, reply)
	s.noteCur(c, d)
}

// countRefusal counts a call refused before it ran with the error msg.
func (s *Server) countRefusal(st *cmdStat, msg string) {
	st.refused()
	s.errors.add(append([]byte{'-'}, msg...), s.log)
}

// countBlocked counts c's current call, a blocking command that started
// at start (commandstats' time includes the wait, as it always has here)
// and gives the slow log and latency monitor only ran, the time its
// attempts took, as Redis leaves a blocked client's wait out of both.
func (s *Server) countBlocked(c *client, start time.Time, mark int, ran time.Duration) {
	var reply []byte
	if mark >= 0 && mark < len(c.out.B) {
		reply = c.out.B[mark:]
	}
	s.countReply(c.stat, time.Since(start), reply)
	s.noteCur(c, ran)
}

// countPending counts the proposed writes (and EXECs) whose replies
// settle has just appended. Each is timed from when the first of them was
// proposed to now (the writes of a pipeline are committed together): two
// clock reads per pipeline, not two per write.
func (s *Server) countPending(c *client, b *batch) {
	if len(b.notes) == 0 {
		return
	}
	d := time.Since(b.since)
	for i := range b.notes {
		n := &b.notes[i]
		if n.items != nil {
			s.countExec(c, n.stat, d, n.reply, n.items, n.args)
		} else if n.answered {
			s.countReply(n.stat, 0, n.reply)
			s.noteCall(c, n.cmd, n.args, 0)
		} else {
			s.countReply(n.stat, d, n.reply)
			s.noteCall(c, n.cmd, n.args, d)
		}
	}
	clear(b.notes)
	b.notes = b.notes[:0]
}

// countExec counts EXEC, which ran for d and answered reply, and, when
// reply is the transaction's array, each queued command by its element:
// their time is EXEC's (the transaction runs as one step), so they add
// none of their own. The slow log, which leaves EXEC out, gets each
// queued command with an even share of EXEC's time.
func (s *Server) countExec(c *client, st *cmdStat, d time.Duration, reply []byte, items []queued, exec [][]byte) {
	s.countReply(st, d, reply)
	if len(items) > 0 && len(reply) > 0 && reply[0] == '*' {
		elems := splitArray(reply, len(items))
		logged := lastSlowlogReset(items, elems)
		for i, e := range elems {
			ist, _ := s.cmdStats.of(items[i].cmd, items[i].args)
			s.countReply(ist, 0, e)
			if i >= logged {
				s.noteCall(c, items[i].cmd, items[i].args, d/time.Duration(len(elems)))
			}
		}
	}
	if s.monitors.n.Load() > 0 {
		s.feedMonitors(c, s.execCmd(), exec)
	}
}

// lastSlowlogReset is the index of the last of a transaction's commands
// that reset the slow log (a SLOWLOG RESET that did not fail), or 0: Redis
// logs each command as it runs, so the reset removed those before it,
// which are logged here only after EXEC.
func lastSlowlogReset(items []queued, elems [][]byte) int {
	for i := len(elems) - 1; i > 0; i-- {
		args := items[i].args
		if len(args) > 1 && protocol.EqualFold(args[0], "slowlog") && protocol.EqualFold(args[1], "reset") && !isErrorReply(elems[i]) {
			return i
		}
	}
	return 0
}

// execCmd is EXEC's command.
func (s *Server) execCmd() *protocol.Command { return s.table.Lookup([]byte("exec")) }

// submit proposes u for c's current call, counted when its reply comes.
func (s *Server) submit(c *client, b *batch, u protocol.Unit, items []queued) {
	if len(b.pending) == 0 {
		b.since = time.Now()
	}
	s.blocker.arriving.awaitEarlier(c, localArrival(c)) // block_arriving.go
	b.pending = append(b.pending, s.proposer.Submit(u))
	b.users = b.users || changesUsers(u.Cmds)
	note := pendingNote{stat: c.stat, items: items}
	if c.cur != nil {
		note.cmd, note.args = c.cur.cmd, c.cur.args
	}
	b.notes = append(b.notes, note)
}

// fail answers msg as the reply of c's current call, which ran and failed
// (Redis's MULTI inside MULTI, WATCH inside MULTI, EXEC of a discarded
// transaction).
func (s *Server) fail(c *client, b *batch, msg string) {
	s.settle(c, b)
	c.out.Error(msg)
	s.countRefusalAsFailure(c.stat, msg)
}

func (s *Server) countRefusalAsFailure(st *cmdStat, msg string) {
	s.errors.add(append([]byte{'-'}, msg...), s.log)
	st.ran(0, true)
	s.stats.commands.Add(1)
}

// resetCmdStats zeroes commandstats and errorstats (CONFIG RESETSTAT).
func (s *Server) resetCmdStats() {
	s.cmdStats.reset()
	s.cmdStats.resetLatency()
	s.errors.reset()
}

// countRelayed counts a forwarded call whose reply came from the leader;
// its time runs from when the pipeline was sent. A script's try
// (c.probing) is counted by dispatch, once.
func (s *Server) countRelayed(c *client, cl *call, start time.Time, reply []byte) {
	if c.probing {
		return
	}
	st, _ := s.cmdStats.of(cl.cmd, cl.args)
	d := time.Since(start)
	s.countReply(st, d, reply)
	s.noteCall(c, cl.cmd, cl.args, d)
}

// relayErrors answers msg to each forwarded call and counts them.
func (s *Server) relayErrors(c *client, cmds []call, start time.Time, msg string) {
	for i := range cmds {
		mark := len(c.out.B)
		c.out.Error(msg)
		s.countRelayed(c, &cmds[i], start, c.out.B[mark:])
	}
}

// countLocal counts a connection or server command run here; refused is
// a subcommand whose arity did not fit (the container answered it).
func (s *Server) countLocal(c *client, refused bool, start time.Time, mark int) {
	if !refused {
		s.countSince(c, start, mark)
		return
	}
	if mark < len(c.out.B) {
		c.stat.refused()
		s.errors.add(c.out.B[mark:], s.log)
	}
}

// countReads counts the reads calls, run one after the other from start
// under one read lock, whose replies begin at the marks: they share the
// time evenly (one clock read per group of reads, not one per read), and a
// run of calls of one command is added to its counters at once (a
// pipeline of GETs: a few atomic additions per pipeline, not per GET). A
// script's try (c.probing) is counted by dispatch, once.
func (s *Server) countReads(c *client, calls []call, start time.Time, marks []int) {
	if c.probing || len(calls) == 0 {
		return
	}
	d := time.Since(start) / time.Duration(len(calls))
	var last *protocol.Command // the command st counts, unless a container
	var st *cmdStat
	var run readRun
	for i := range calls {
		cl := &calls[i]
		if cl.cmd != last {
			st, _ = s.cmdStats.of(cl.cmd, cl.args)
			last = ifElse(isContainer(cl.cmd), nil, cl.cmd)
		}
		if st != run.stat {
			s.countRun(&run, d)
			run.stat = st
		}
		run.calls++
		s.noteCall(c, cl.cmd, cl.args, d)
		if reply := c.out.B[marks[i]:]; isErrorReply(reply) {
			s.countErrorOf(st, reply)
			run.failed++
		}
	}
	s.countRun(&run, d)
}

// readRun is consecutive reads of one command, each taking d.
type readRun struct {
	stat          *cmdStat
	calls, failed int64
}

// countRun adds a run of reads to its command's counters and empties it.
func (s *Server) countRun(r *readRun, d time.Duration) {
	if st := r.stat; st != nil && r.calls > 0 {
		st.calls.Add(r.calls)
		st.nanos.Add(r.calls * int64(d))
		if r.failed > 0 {
			st.failed.Add(r.failed)
		}
		s.stats.commands.Add(r.calls)
		if d > 0 && s.settings.latency.on.Load() {
			st.recordLatencyN(d, r.calls)
		}
	}
	*r = readRun{}
}

func isContainer(cmd *protocol.Command) bool {
	_, ok := cmd.Handler.(protocol.Subcommander)
	return ok
}

// probeCounted is probe for c's current call, counted when the try
// answered it.
func (s *Server) probeCounted(c *client, b *batch, one []call) bool {
	start := time.Now()
	if !s.probe(c, b, one) {
		forgetTryCalls(c)
		return false
	}
	s.keepTryCalls(c)
	s.countSince(c, start, c.replyMark)
	return true
}

// countedExec runs EXEC (exec) and counts it and the transaction's
// commands, unless it proposed them: settle counts them then.
func (s *Server) countedExec(c *client, b *batch, m *multiState) {
	defer s.blocker.inExec()() // exec_gate.go
	start := time.Now()
	s.exec(c, b, m)
	if c.replyMark < 0 || c.replyMark > len(c.out.B) {
		return
	}
	var exec [][]byte
	if c.cur != nil {
		exec = c.cur.args
	}
	s.countExec(c, c.stat, time.Since(start), c.out.B[c.replyMark:], m.items, exec)
}
