package scripting

import (
	"math/rand/v2"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// Run describes one script or function run, for the hooks and for error
// replies.
type Run struct {
	// Name follows "script: " in an error raised by the run: the script's
	// SHA-1, or the function's name.
	Name string
	// ReadOnly refuses write commands: EVAL_RO, FCALL_RO, a no-writes
	// script, or any script run outside the state machine.
	ReadOnly bool
	// Flags are the script's or function's shebang flags.
	Flags ScriptFlags
	// Wrote is set (by the run's goroutine) once a write command ran:
	// from then on the run must not be stopped half-way on one replica
	// only. OnWrite, if set, is called when it becomes true.
	Wrote bool
	// Function is a run of FCALL/FCALL_RO, not of a script.
	Function bool
	// InFSM is set for a run inside the state machine (c.Writing()): it
	// cannot be killed on one node, it has the deterministic budget.
	InFSM bool
	// Args is the command that started the run (EVAL..., FCALL...), for
	// FUNCTION STATS; it aliases the command's arguments.
	Args [][]byte
	// OnWrite and OnCall, if set (by Hooks.Start), are called in the
	// run's goroutine when a write command first runs and at each
	// redis.call or redis.pcall; they must be deterministic inside the
	// state machine.
	OnWrite func()
	OnCall  func()
	// Probe is set when the run is a probe (probe.go): a read that stops
	// at the first write command; probeStopped then.
	Probe        ProbeConn
	probeStopped bool
	// writer is what probe.go remembers a writer by, when not Name: a
	// function's library load and name (functions: function_call.go).
	writer string
}

// runCtx is what the redis.* functions of a Sandbox see during a run.
type runCtx struct {
	c *protocol.Ctx // the EVAL's context: keyspace, time, random source
	// db and dbIndex are the database redis.call runs in: the caller's,
	// until the script SELECTs another (which, as in Redis 7.0, leaves the
	// caller's own selection as it was).
	db      *datatypes.Keyspace
	dbIndex int
	run     *Run
	resp    int             // RESP version of redis.call replies: 2 or 3
	w       protocol.Writer // scratch for a command's reply
	// strBytes counts the bytes the run built by concatenation and
	// string.rep (concat_guard.go).
	strBytes int64
	// nested and nestedDirty are each redis.call's context (bridge.go),
	// set anew for every call: kept here so that a call allocates none.
	nested      protocol.Ctx
	nestedDirty protocol.Dirty
}

// maxKeptReply bounds the scratch reply buffer a sandbox keeps between
// runs; a larger one (a big reply) is dropped.
const maxKeptReply = 64 << 10

// startRun makes sb's run buffer the context of run r of c and returns it.
func (sb *Sandbox) startRun(c *protocol.Ctx, r *Run) *runCtx {
	w := sb.runBuf.w.B[:0]
	if cap(w) > maxKeptReply {
		w = nil
	}
	sb.runBuf = runCtx{c: c, db: c.DB, dbIndex: c.DBIndex, run: r, resp: 2}
	sb.runBuf.w.B = w
	return &sb.runBuf
}

// endRun ends the run: nothing of it stays reachable from the sandbox
// but the scratch buffer.
func (sb *Sandbox) endRun() {
	w := sb.runBuf.w.B
	sb.runBuf = runCtx{}
	sb.runBuf.w.B = w
	sb.run = nil
}

// RunScript runs a compiled script with KEYS and ARGV and writes its
// result, or its error, to c.Out. Inside the state machine (c.Writing())
// its commands may write, unless readOnly; outside, they may only read.
func (e *Engine) RunScript(c *protocol.Ctx, s *Script, keys, argv [][]byte, readOnly bool) {
	sb := e.get()
	defer e.put(sb)
	L := sb.L
	sb.shadow.RawSetString("KEYS", stringsTable(L, keys))
	sb.shadow.RawSetString("ARGV", stringsTable(L, argv))
	fn := L.NewFunctionFromProto(s.Proto)
	fn.Env = sb.globals
	r := &Run{Name: s.SHA, ReadOnly: readOnly || !c.Writing() || s.Flags&FlagNoWrites != 0, Flags: s.Flags, Args: c.Args}
	e.Call(c, sb, r, fn)
}

// Call runs fn(args...) in sb as one run r: redis.call reaches c's
// keyspace; the result or error is written to c.Out. The RESP version of
// redis.call replies starts at 2; math.random starts from a seed drawn
// from c.Rand (seeded from the log entry, so every replica draws the same
// numbers) or, outside the state machine, from the node's own source.
func (e *Engine) Call(c *protocol.Ctx, sb *Sandbox, r *Run, fn *lua.LFunction, args ...lua.LValue) {
	L := sb.L
	sb.rand.seed(runSeed(c))
	r.InFSM = c.Writing()
	r.Probe = probeOf(c) // busy: a write script tried as a read first (probe.go)
	sb.run = sb.startRun(c, r)
	defer sb.endRun()
	if e.Hooks.Start != nil {
		if end := e.Hooks.Start(L, r); end != nil {
			defer end()
		}
	}
	L.Push(fn)
	for _, a := range args {
		L.Push(a)
	}
	if err := L.PCall(len(args), 1, sb.errHandler); err != nil {
		if probeAnswered(L, r) { // busy: the probe reached a write, the log runs it
			return
		}
		if ae, ok := err.(*lua.ApiError); ok {
			e.countPassedError(c, ae.Object)
		}
		writeRunError(c.Out, r.Name, err)
		return
	}
	v := L.Get(-1)
	L.Pop(1)
	e.countPassedError(c, v)
	luaToResp(c.Out, v, sb.run.resp, 0)
}

// runSeed is the seed of a run's math.random: Redis 7.0 no longer
// restarts the sequence for each script, so two runs differ.
func runSeed(c *protocol.Ctx) int32 {
	if c.Rand != nil {
		return int32(c.Rand.Int64N(1<<32) - 1<<31)
	}
	return rand.Int32()
}

func stringsTable(L *lua.LState, vals [][]byte) *lua.LTable {
	t := L.CreateTable(len(vals), 0)
	for i, v := range vals {
		t.RawSetInt(i+1, lua.LString(v))
	}
	return t
}

// errorHandler is Redis's __redis__err__handler: it turns any error into
// a table {err=..., source=..., line=...} naming where it was raised.
func (sb *Sandbox) errorHandler(L *lua.LState) int {
	errv := L.Get(1)
	if sb.run != nil && sb.run.run.probeStopped { // busy: nobody reads it (probe.go)
		L.Push(errv)
		return 1
	}
	t, ok := errv.(*lua.LTable)
	if !ok {
		msg := errv.String()
		if s, isStr := errv.(lua.LString); isStr {
			msg = luaVMError(string(s))
			if strings.HasSuffix(msg, callNilText) {
				if name := failedCallName(L); name != "" {
					msg = strings.TrimSuffix(msg, callNilText) + "attempt to call " + name + " (a nil value)"
				}
			}
		}
		t = L.NewTable()
		t.RawSetString("err", lua.LString("ERR "+msg))
	}
	if st, ok := L.Context().(interface{ Stopped() (string, bool) }); ok {
		if msg, stopped := st.Stopped(); stopped {
			t = L.NewTable()
			t.RawSetString("err", lua.LString("ERR "+msg))
		}
	}
	if src, line, ok := luaCaller(L); ok && t.RawGetString("source") == lua.LNil {
		t.RawSetString("source", lua.LString(src))
		t.RawSetString("line", lua.LNumber(line))
	}
	L.Push(t)
	return 1
}

// luaCaller returns the source ("@user_script") and line of the innermost
// Lua function on the stack.
func luaCaller(L *lua.LState) (string, int, bool) {
	for level := 1; ; level++ {
		dbg, ok := L.GetStack(level)
		if !ok {
			return "", 0, false
		}
		if _, err := L.GetInfo("Sl", dbg, lua.LNil); err != nil || dbg.What == "G" || dbg.CurrentLine <= 0 {
			continue
		}
		src := dbg.Source
		if !strings.HasPrefix(src, "@") && !strings.HasPrefix(src, "=") {
			src = "@" + src
		}
		return src, dbg.CurrentLine, true
	}
}

// writeRunError writes the reply to a script that raised an error, as
// Redis 7.0: "<err> script: <name>, on <source>:<line>." for an error
// table that knows where it was raised.
func writeRunError(w *protocol.Writer, name string, err error) {
	var obj lua.LValue = lua.LString(err.Error())
	if ae, ok := err.(*lua.ApiError); ok {
		obj = ae.Object
	}
	t, ok := obj.(*lua.LTable)
	if !ok {
		w.Error(sanitizeError("ERR Error running script (call to " + name + "): " + lua.LVAsString(obj)))
		return
	}
	msg := lua.LVAsString(t.RawGetString("err"))
	if msg == "" {
		msg = "ERR unknown error"
	}
	src, line := t.RawGetString("source"), t.RawGetString("line")
	if src != lua.LNil && line != lua.LNil {
		msg += " script: " + name + ", on " + lua.LVAsString(src) + ":" + strconv.Itoa(int(lua.LVAsNumber(line))) + "."
	}
	w.Error(sanitizeError(msg))
}

// sanitizeError makes msg one line, as Redis's addReplyError does.
func sanitizeError(msg string) string {
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, msg)
}
