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
// registered.
type loadRun struct {
	lib *Library
	fns []*Function
	cbs []*lua.LFunction
}

// run executes lib's code in L with Redis's library API as its globals
// and returns the globals table the registered callbacks keep (env). Its
// metatable's __index is the library API while the code runs; a caller
// that runs the callbacks points it at the run-time globals. budget > 0
// limits the instructions the code may run.
func (r *loadRun) run(L *lua.LState, budget int64) (env *lua.LTable, err error) {
	api := libraryAPIOf(L)
	env = L.CreateTable(0, 0)
	envMeta := L.CreateTable(0, 2)
	envMeta.RawSetString("__index", api.globals)
	envMeta.RawSetString("__newindex", api.readonly)
	L.SetMetatable(env, envMeta)
	fn := L.NewFunctionFromProto(r.lib.proto)
	fn.Env = env
	var ctx *budgetContext
	if budget > 0 {
		ctx = &budgetContext{left: budget}
		L.SetContext(ctx)
		defer L.RemoveContext()
	}
	api.current = r
	L.Push(fn)
	err = L.PCall(0, 0, nil)
	api.current = nil
	switch {
	case ctx != nil && ctx.left < 0:
		return nil, replyError(protocol.ErrFuncRegistering(protocol.ErrFuncLoadTimeout))
	case err != nil:
		return nil, replyError(protocol.ErrFuncRegistering(luaErrorText(err)))
	}
	return env, nil
}

// libraryAPI is the globals library code sees while it loads, built once
// per Lua state (kept in its registry) and never changed after: Redis
// 7.0's library API, only redis.register_function, redis.log, redis.LOG_*
// and redis.REDIS_VERSION[_NUM]; any other name is an error, and no table
// can be changed (not even by rawset).
type libraryAPI struct {
	globals  *lua.LTable
	readonly *lua.LFunction
	// current is the load in progress, which register_function adds to;
	// nil between loads, when register_function is an error.
	current *loadRun
}

// libraryAPIKey is where a Lua state's registry keeps its libraryAPI.
const libraryAPIKey = "geetcache.functions.api"

// libraryAPIOf returns L's library API, building it the first time.
func libraryAPIOf(L *lua.LState) *libraryAPI {
	if ud, ok := L.G.Registry.RawGetString(libraryAPIKey).(*lua.LUserData); ok {
		return ud.Value.(*libraryAPI)
	}
	api := &libraryAPI{readonly: L.NewFunction(luaReadonly)}
	redis := L.CreateTable(0, 8)
	redis.RawSetString("register_function", L.NewFunction(func(L *lua.LState) int { return api.register(L) }))
	redis.RawSetString("log", L.NewFunction(luaLog))
	for i, name := range []string{"LOG_DEBUG", "LOG_VERBOSE", "LOG_NOTICE", "LOG_WARNING"} {
		redis.RawSetString(name, lua.LNumber(i))
	}
	redis.RawSetString("REDIS_VERSION", lua.LString(redisVersion))
	redis.RawSetString("REDIS_VERSION_NUM", lua.LNumber(redisVersionNum))
	globals := L.CreateTable(0, 1)
	globals.RawSetString("redis", api.view(L, strictTable(L, redis)))
	api.globals = api.view(L, strictTable(L, globals))
	ud := L.NewUserData()
	ud.Value = api
	L.G.Registry.RawSetString(libraryAPIKey, ud)
	return api
}

// view returns an empty table that reads through to t and refuses every
// write. Its metatable names t as __shadow, as the sandbox's own
// read-only proxies do, so the sandbox's rawset refuses it too and next,
// pairs and rawget read t.
func (api *libraryAPI) view(L *lua.LState, t *lua.LTable) *lua.LTable {
	view := L.CreateTable(0, 0)
	meta := L.CreateTable(0, 4)
	meta.RawSetString("__index", t)
	meta.RawSetString("__newindex", api.readonly)
	meta.RawSetString("__metatable", lua.LFalse)
	meta.RawSetString("__shadow", t)
	L.SetMetatable(view, meta)
	return view
}

// strictTable makes reading a missing key of t an error, as Redis's
// globals protection does.
func strictTable(L *lua.LState, t *lua.LTable) *lua.LTable {
	meta := L.CreateTable(0, 1)
	meta.RawSetString("__index", L.NewFunction(luaNoGlobal))
	L.SetMetatable(t, meta)
	return t
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
