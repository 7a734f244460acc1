package scripting

import (
	"bytes"
	"context"
	"time"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"

	"github.com/geetcache/geetcache/protocol"
)

// functionSource is the chunk name of library code, as Redis 7.0 names it.
const functionSource = "user_function"

// loadBudget is how many Lua instructions a library's code may run while
// it loads. Redis stops a FUNCTION LOAD after 500 ms of wall-clock time;
// geetcache loads libraries inside the state machine, where a clock would
// let replicas disagree, so the limit is counted in instructions instead:
// the same on every node. Registering functions takes a few instructions
// each; ten million is far more than any real library needs and stops a
// loop within a fraction of a second.
const loadBudget = 10_000_000

// compileLibrary compiles a library's code (the text after the shebang).
func compileLibrary(body []byte) (*lua.FunctionProto, error) {
	chunk, err := parse.Parse(bytes.NewReader(body), functionSource)
	if err != nil {
		return nil, replyError(protocol.ErrFuncCompile(compileErrorText(err)))
	}
	proto, err := lua.Compile(chunk, functionSource)
	if err != nil {
		return nil, replyError(protocol.ErrFuncCompile(compileErrorText(err)))
	}
	return proto, nil
}

// compileErrorText is a compile error's text.
func compileErrorText(err error) string { return err.Error() }

// loadRun is one run of a library's code in the load sandbox: what it
// registered, and whether register_function is still allowed.
type loadRun struct {
	lib  *Library
	fns  []*Function
	cbs  []*lua.LFunction
	open bool // the library's code is running: register_function may be called
}

// run executes lib's code in L with Redis's library API as its globals
// and returns the globals table the registered callbacks keep (env). Its
// metatable's __index is the library API while the code runs; a caller
// that runs the callbacks points it at the run-time globals. budget > 0
// limits the instructions the code may run.
func (r *loadRun) run(L *lua.LState, budget int64) (env *lua.LTable, err error) {
	env = L.NewTable()
	envMeta := L.NewTable()
	envMeta.RawSetString("__index", r.libraryAPI(L))
	envMeta.RawSetString("__newindex", L.NewFunction(readonlyError))
	L.SetMetatable(env, envMeta)
	fn := L.NewFunctionFromProto(r.lib.proto)
	fn.Env = env
	var ctx *budgetContext
	if budget > 0 {
		ctx = &budgetContext{left: budget}
		L.SetContext(ctx)
		defer L.RemoveContext()
	}
	r.open = true
	L.Push(fn)
	err = L.PCall(0, 0, nil)
	r.open = false
	switch {
	case ctx != nil && ctx.left < 0:
		return nil, replyError(protocol.ErrFuncRegistering(protocol.ErrFuncLoadTimeout))
	case err != nil:
		return nil, replyError(protocol.ErrFuncRegistering(luaErrorText(err)))
	}
	return env, nil
}

// libraryAPI returns the globals library code sees while it loads, as
// Redis 7.0's: only redis.register_function, redis.log, redis.LOG_* and
// redis.REDIS_VERSION[_NUM]; any other name is an error, and neither table
// can be changed.
func (r *loadRun) libraryAPI(L *lua.LState) *lua.LTable {
	redis := L.NewTable()
	redis.RawSetString("register_function", L.NewFunction(r.register))
	redis.RawSetString("log", L.NewFunction(loadLog))
	for i, name := range []string{"LOG_DEBUG", "LOG_VERBOSE", "LOG_NOTICE", "LOG_WARNING"} {
		redis.RawSetString(name, lua.LNumber(i))
	}
	redis.RawSetString("REDIS_VERSION", lua.LString(redisVersion))
	redis.RawSetString("REDIS_VERSION_NUM", lua.LNumber(redisVersionNum))
	globals := L.NewTable()
	globals.RawSetString("redis", readonlyView(L, strictTable(L, redis)))
	return readonlyView(L, strictTable(L, globals))
}

// strictTable makes reading a missing key of t an error, as Redis's
// globals protection does.
func strictTable(L *lua.LState, t *lua.LTable) *lua.LTable {
	meta := L.NewTable()
	meta.RawSetString("__index", L.NewFunction(nonexistentGlobal))
	L.SetMetatable(t, meta)
	return t
}

// readonlyView returns an empty table that reads through to t and refuses
// every write.
func readonlyView(L *lua.LState, t *lua.LTable) *lua.LTable {
	view := L.NewTable()
	meta := L.NewTable()
	meta.RawSetString("__index", t)
	meta.RawSetString("__newindex", L.NewFunction(readonlyError))
	meta.RawSetString("__metatable", lua.LFalse)
	L.SetMetatable(view, meta)
	return view
}

func nonexistentGlobal(L *lua.LState) int {
	L.RaiseError("Script attempted to access nonexistent global variable '%s'", L.ToString(2))
	return 0
}

func readonlyError(L *lua.LState) int {
	L.RaiseError("Attempt to modify a readonly table")
	return 0
}

// loadLog is redis.log while a library loads: its arguments are checked as
// Redis checks them; the message itself is not kept.
func loadLog(L *lua.LState) int {
	if L.GetTop() < 2 {
		raiseReply(L, "ERR redis.log() requires two arguments or more.")
	}
	lvl, ok := L.Get(1).(lua.LNumber)
	if !ok {
		raiseReply(L, "ERR First argument must be a number (log level).")
	}
	if lvl < 0 || lvl > 3 {
		raiseReply(L, "ERR Invalid debug level.")
	}
	return 0
}

// raiseReply raises a Redis error table {err=msg}: msg is a whole error
// reply, code first.
func raiseReply(L *lua.LState, msg string) {
	t := L.NewTable()
	t.RawSetString("err", lua.LString(msg))
	L.Error(t, 0)
}

// luaErrorText is the text of an error a library's code raised, as Redis's
// luaExtractErrorInformation reads it: a string gets the ERR code, a table
// gives its err field.
func luaErrorText(err error) string {
	apiErr, ok := err.(*lua.ApiError)
	if !ok {
		return "ERR " + err.Error()
	}
	switch v := apiErr.Object.(type) {
	case lua.LString:
		return "ERR " + string(v)
	case lua.LNumber:
		return "ERR " + v.String()
	case *lua.LTable:
		if e, ok := v.RawGetString("err").(lua.LString); ok {
			return string(e)
		}
	}
	return "ERR unknown error"
}

// budgetContext stops a Lua state after a number of instructions:
// gopher-lua asks Done once per instruction.
type budgetContext struct{ left int64 }

var closedDone = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

func (c *budgetContext) Done() <-chan struct{} {
	if c.left--; c.left < 0 {
		return closedDone
	}
	return nil
}

func (c *budgetContext) Err() error {
	if c.left < 0 {
		return replyError(protocol.ErrFuncLoadTimeout)
	}
	return nil
}

func (c *budgetContext) Deadline() (time.Time, bool) { return time.Time{}, false }
func (c *budgetContext) Value(any) any               { return nil }

var _ context.Context = (*budgetContext)(nil)
