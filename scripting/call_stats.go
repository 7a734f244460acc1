package scripting

import (
	lua "github.com/yuin/gopher-lua"

	"github.com/geetcache/geetcache/protocol"
)

// CallCounter is told of the commands scripts call, for the node's INFO
// commandstats and errorstats (Redis counts a script's commands as calls
// of their own). It is called in the run's goroutine, inside the state
// machine too (c.Conn is then nil), so it must only count: never change
// anything a reply or the state depends on.
type CallCounter interface {
	// ScriptCall reports a redis.call or redis.pcall of argv: refused
	// before it ran (unknown, not allowed, wrong arity, a write from a
	// read-only script) or run; reply is its reply, or its error as
	// "-<text>".
	ScriptCall(c *protocol.Ctx, argv [][]byte, refused bool, reply []byte)
	// ScriptPassedError reports a run that ends with an error a call
	// already reported (an error table of redis.call or redis.pcall,
	// raised or returned; errText is its err field): Redis counts that
	// error once, at the call, and the script's reply only as a failed
	// call of EVAL or FCALL.
	ScriptPassedError(c *protocol.Ctx, errText string)
}

// CountCalls makes cc the engine's CallCounter; nil stops reporting. Safe
// to call while scripts run.
func (e *Engine) CountCalls(cc CallCounter) {
	if cc == nil {
		e.calls.Store(nil)
		return
	}
	e.calls.Store(&cc)
}

// ignoreStatsField marks an error table made from a command's error, as
// Redis 7.0 marks it (scripts can see the field).
const ignoreStatsField = "ignore_error_stats_update"

// countCall reports a call to the CallCounter, if any.
func (e *Engine) countCall(c *protocol.Ctx, argv [][]byte, reply []byte, errMsg string) {
	cc := e.calls.Load()
	if cc == nil {
		return
	}
	if errMsg != "" {
		(*cc).ScriptCall(c, argv, true, append([]byte{'-'}, errMsg...))
		return
	}
	(*cc).ScriptCall(c, argv, false, reply)
}

// markCounted marks v, the error table of a call, as already counted.
func markCounted(v lua.LValue) {
	if t, ok := v.(*lua.LTable); ok {
		t.RawSetString(ignoreStatsField, lua.LTrue)
	}
}

// countPassedError tells the CallCounter when the run's result (returned
// or raised) is an error table marked by markCounted.
func (e *Engine) countPassedError(c *protocol.Ctx, v lua.LValue) {
	cc := e.calls.Load()
	t, ok := v.(*lua.LTable)
	if cc == nil || !ok || t.RawGetString(ignoreStatsField) != lua.LTrue {
		return
	}
	if s, ok := t.RawGetString("err").(lua.LString); ok {
		(*cc).ScriptPassedError(c, string(s))
	}
}

// raiseCounted is raiseOrReturn for the error of a call the CallCounter
// was told of: the table is marked (markCounted).
func raiseCounted(L *lua.LState, protected bool, msg string) int {
	t := L.NewTable()
	t.RawSetString("err", lua.LString(msg))
	markCounted(t)
	if !protected {
		L.Error(t, 0)
	}
	L.Push(t)
	return 1
}
