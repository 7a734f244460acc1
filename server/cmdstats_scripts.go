package server

import (
	"sync"

	"github.com/geetcache/geetcache/protocol"
	"github.com/geetcache/geetcache/scripting"
)

// The commands a script calls count as calls of their own, as in Redis
// (the scripting engine reports them: scripting.CallCounter). Which node
// counts them: a script run on this node outside the state machine (a
// read-only script, a script tried as a read) counts here; a script run
// inside the state machine runs on every node, and only the leader, which
// served the connection that sent it (a client, or a follower's link),
// counts its commands. Their time is not measured (the state machine reads
// no clock); the script's own call has it.

var _ scripting.CallCounter = (*Server)(nil)

// scriptCall is one counted command of a script tried as a read, kept
// until the try's answer is final (probe.go runs it again, or sends the
// script to the log, whose run counts it).
type scriptCall struct {
	stat    *cmdStat
	cmd     *protocol.Command
	argv    [][]byte // a copy, for MONITOR, while one listens
	refused bool
	reply   []byte // the error reply; nil when none
	passed  bool   // a ScriptPassedError, not a call
}

// ScriptCall implements scripting.CallCounter.
func (s *Server) ScriptCall(c *protocol.Ctx, argv [][]byte, refused bool, reply []byte) {
	var st *cmdStat
	cmd := s.table.Lookup(argv[0])
	if cmd != nil {
		var sub bool
		st, sub = s.cmdStats.of(cmd, argv)
		refused = refused || sub
	}
	sc := scriptCall{stat: st, refused: refused, cmd: cmd}
	if s.monitors.n.Load() > 0 && !refused {
		sc.argv = make([][]byte, len(argv))
		for i, a := range argv {
			sc.argv[i] = append([]byte(nil), a...)
		}
	}
	if isErrorReply(reply) {
		sc.reply = reply
	}
	s.scriptCounted(c, sc)
}

// ScriptPassedError implements scripting.CallCounter.
func (s *Server) ScriptPassedError(c *protocol.Ctx, errText string) {
	s.scriptCounted(c, scriptCall{passed: true, reply: append([]byte{'-'}, errText...)})
}

// scriptCounted counts sc now, keeps it while the connection's script is
// a try, or, on a node that does not lead (the state machine's run of a
// script the leader was sent), only shows it to MONITOR: a follower's
// MONITOR shows the calls of every write script it applies, whichever
// node's client sent it, as the leader's does (a Redis replica's MONITOR
// shows none of its master's stream: docs/compatibility.md, "monitor");
// its stats stay the leader's.
func (s *Server) scriptCounted(c *protocol.Ctx, sc scriptCall) {
	cl, local := c.Conn.(*client)
	switch {
	case local && cl.probing:
		if sc.reply != nil {
			sc.reply = append([]byte(nil), sc.reply...)
		}
		cl.scriptCalls = append(cl.scriptCalls, sc)
	case local || (s.router != nil && s.router.IsLeader()):
		s.countScriptCall(sc)
	case sc.argv != nil && !sc.refused && !sc.passed:
		s.feedMonitors(nil, sc.cmd, sc.argv)
	}
}

// countScriptCall counts one command of a script, or records a passed
// error: the script's error reply then does not count again.
func (s *Server) countScriptCall(sc scriptCall) {
	switch {
	case sc.passed:
		s.errors.credit(sc.reply)
	case sc.refused:
		sc.stat.refused()
		if sc.reply != nil {
			s.errors.add(sc.reply, s.log)
		}
	default:
		if sc.argv != nil {
			s.feedMonitors(nil, sc.cmd, sc.argv)
		}
		if sc.reply != nil {
			s.errors.add(sc.reply, s.log)
		}
		if sc.stat != nil {
			sc.stat.ran(0, sc.reply != nil)
			s.stats.commands.Add(1)
		}
	}
}

// keepTryCalls counts the commands of c's last try of a script, whose
// answer was final; forgetTryCalls drops them (the try is run again, or
// the script goes to the log).
func (s *Server) keepTryCalls(c *client) {
	for _, sc := range c.scriptCalls {
		s.countScriptCall(sc)
	}
	forgetTryCalls(c)
}

func forgetTryCalls(c *client) {
	clear(c.scriptCalls)
	c.scriptCalls = c.scriptCalls[:0]
}

// scriptCalls are the commands that run a script or function: a
// tracking client remembers their declared keys when the script called a
// read-only command (ScriptRead), never for the command itself (Redis
// leaves out EVAL_RO, EVALSHA_RO and FCALL_RO, which are flagged
// readonly); their error reply may be an error a script's call already
// counted (ScriptPassedError); MONITOR shows them before they run.
var scriptCalls = map[string]bool{
	"eval": true, "evalsha": true, "eval_ro": true, "evalsha_ro": true, "fcall": true, "fcall_ro": true,
}

// passedErrors holds, per error code, the script errors counted at their
// call whose EVAL or FCALL reply is still to be counted: that reply is
// then counted as a failed call, not again as an error. It is bounded: a
// reply never counted (its connection gone) must not hide errors forever.
type passedErrors struct {
	mu    sync.Mutex
	codes map[string]int
}

const maxPassedErrors = 1024

func (es *errorStats) credit(reply []byte) {
	p := &es.passed
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.codes == nil {
		p.codes = map[string]int{}
	}
	if code := errorCode(reply); p.codes[string(code)] < maxPassedErrors {
		p.codes[string(code)]++
	}
}

// takeCredit reports whether reply is a passed error, and forgets it.
func (es *errorStats) takeCredit(reply []byte) bool {
	p := &es.passed
	p.mu.Lock()
	defer p.mu.Unlock()
	code := errorCode(reply)
	if p.codes[string(code)] == 0 {
		return false
	}
	p.codes[string(code)]--
	return true
}
