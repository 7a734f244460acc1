package scripting

import (
	"strconv"

	lua "github.com/yuin/gopher-lua"

	"github.com/geetcache/geetcache/protocol"
)

// FCALL function numkeys [key ...] [arg ...]
// FCALL_RO function numkeys [key ...] [arg ...]
//
// Inside the state machine (c.Writing()) the function may write, unless it
// is flagged no-writes or called by FCALL_RO; elsewhere (routed as a read)
// its commands may only read.
func (e *Engine) fcall(readOnly bool) protocol.HandlerFunc {
	return func(c *protocol.Ctx) {
		e.state.RLock()
		f := e.functions().Function(c.Args[1])
		e.state.RUnlock()
		if f == nil {
			c.Out.Error(protocol.ErrFuncNotFound)
			return
		}
		nkeys, errMsg := fcallNumKeys(c.Args)
		if errMsg != "" {
			c.Out.Error(errMsg)
			return
		}
		if readOnly && f.Flags&FlagNoWrites == 0 {
			c.Out.Error(errWriteFlagWithRO)
			return
		}
		e.callFunction(c, f, c.Args[3:3+nkeys], c.Args[3+nkeys:], readOnly)
	}
}

// fcallNumKeys checks FCALL's numkeys against the arguments that follow.
func fcallNumKeys(args [][]byte) (int, string) {
	n, err := strconv.ParseInt(string(args[2]), 10, 64)
	switch {
	case err != nil:
		return 0, protocol.ErrFuncBadNumKeys
	case n > int64(len(args)-3):
		return 0, protocol.ErrFuncTooManyKeys
	case n < 0:
		return 0, protocol.ErrFuncNegativeKeys
	}
	return int(n), ""
}

// fcallFlags routes one FCALL: a function flagged no-writes is a read (no
// log entry); any other, and an unknown function (answered in the log, as
// the libraries are there), is a write, refused while memory is above
// maxmemory (denyoom) unless the function is flagged allow-oom.
func (e *Engine) fcallFlags(args [][]byte) protocol.Flags {
	if len(args) < 2 {
		return protocol.Write
	}
	e.state.RLock()
	f := e.functions().Function(args[1])
	e.state.RUnlock()
	switch {
	case f == nil:
		return protocol.Write
	case f.Flags&FlagNoWrites != 0:
		return protocol.Readonly
	case f.Flags&FlagAllowOOM != 0:
		return protocol.Write
	}
	return protocol.Write | protocol.DenyOOM
}

// callFunction runs f with keys and argv and writes its result. The
// library's code runs again first, in the pooled Sandbox, with the library
// API as its globals, to make f's callback; then the globals become the
// Sandbox's, and the callback is called with KEYS and ARGV as arguments.
// So every call starts from the library as FUNCTION LOAD left it: what a
// call leaves in the library's local variables is not seen by the next
// (Redis keeps it until a restart, on the master only), and every replica
// runs a write call from the same state.
func (e *Engine) callFunction(c *protocol.Ctx, f *Function, keys, argv [][]byte, readOnly bool) {
	writer := f.Lib.sum + ":" + f.Name       // a replaced library's function is another one
	if e.probeKnownWriter(c, true, writer) { // busy: probe.go
		return
	}
	sb := e.get()
	defer e.put(sb)
	L := sb.L
	sb.shadow.RawSetString("KEYS", lua.LNil)
	sb.shadow.RawSetString("ARGV", lua.LNil)
	r := &loadRun{lib: f.Lib}
	env, err := r.run(L, 0)
	if err != nil { // the code loaded before: it cannot fail now
		c.Out.Error(errorReply(err))
		return
	}
	env.Metatable.(*lua.LTable).RawSetString("__index", sb.globals)
	run := &Run{Name: f.Name, ReadOnly: readOnly || !c.Writing() || f.Flags&FlagNoWrites != 0, Flags: f.Flags,
		Function: true, Args: c.Args, writer: writer}
	e.Call(c, sb, run, r.cbs[f.index], stringsTable(L, keys), stringsTable(L, argv))
}

// runningFunction writes FUNCTION STATS' running_script (see busy.go);
// false when no script runs on this node.
func (e *Engine) runningFunction(w *protocol.Writer) bool {
	return e.busy != nil && e.busy.writeRunning(w)
}

// functionKill returns FUNCTION KILL's handler, or nil until the
// busy-script part provides it.
func (e *Engine) functionKill() protocol.Handler {
	if e.busy == nil {
		return nil
	}
	return e.busy.KillHandler(KindFunction)
}
