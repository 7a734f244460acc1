package scripting

import (
	lua "github.com/yuin/gopher-lua"

	"github.com/geetcache/geetcache/protocol"
)

// Attach makes m watch e's runs (Hooks.Start): each run is recorded while
// it lasts (BUSY, FUNCTION STATS), runs under its Budget (the step budget
// inside the state machine, SCRIPT KILL outside), and reports its writes
// and calls. It also installs SCRIPT KILL and FUNCTION KILL, and gives
// FUNCTION STATS its running_script. Call it before serving.
func (m *Monitor) Attach(e *Engine) {
	e.busy = m
	e.Hooks.Start = m.start
	e.SetKill(m.KillHandler(KindEval))
}

// start is Hooks.Start.
func (m *Monitor) start(L *lua.LState, r *Run) (end func()) {
	kind := KindEval
	if r.Function {
		kind = KindFunction
	}
	run := m.Begin(RunInfo{Kind: kind, Name: r.Name, Args: r.Args, InFSM: r.InFSM})
	r.OnWrite = run.NoteWrite
	r.OnCall = run.Charge
	L.SetContext(run.Budget())
	return func() {
		L.RemoveContext()
		m.End(run)
	}
}

// KillHandler is SCRIPT KILL (KindEval) or FUNCTION KILL (KindFunction):
// OK when it stopped a script, else Redis's NOTBUSY, UNKILLABLE or BUSY
// (see Kill); NOTBUSY goes to the kill forward first (SetKillForward).
func (m *Monitor) KillHandler(k Kind) protocol.Handler {
	return protocol.HandlerFunc(func(c *protocol.Ctx) {
		msg := m.Kill(k)
		if msg == ErrNotBusy && m.forward != nil && m.forward(c) {
			return
		}
		if msg != "" {
			c.Out.Error(msg)
			return
		}
		c.Out.OK()
	})
}

// writeRunning writes FUNCTION STATS' running_script for the run that
// started first (name, command, duration_ms), or returns false when no
// script runs.
func (m *Monitor) writeRunning(w *protocol.Writer) bool {
	r, ok := m.Current()
	if !ok {
		return false
	}
	w.Map(3)
	w.BulkString("name")
	w.BulkString(r.info.Name)
	w.BulkString("command")
	w.Array(len(r.info.Args))
	for _, a := range r.info.Args {
		w.Bulk(a)
	}
	w.BulkString("duration_ms")
	w.Int(r.Elapsed().Milliseconds())
	return true
}

// statsRefusal is FUNCTION STATS' reply while an EVAL runs (Redis answers
// BUSY then), else "".
func (m *Monitor) statsRefusal() string {
	if r, ok := m.Current(); ok && r.info.Kind == KindEval {
		return ErrBusyEval
	}
	return ""
}
