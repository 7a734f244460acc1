package scripting

import (
	lua "github.com/yuin/gopher-lua"

	"github.com/geetcache/geetcache/scripting/lualib"
)

// Redis 7.0's texts for the protected globals.
const (
	errReadonlyTable = "Attempt to modify a readonly table"
	errNoGlobalFmt   = "Script attempted to access nonexistent global variable '%s'"
)

// Sandbox is one Lua state built as Redis 7.0 builds its scripting state,
// with the per-run context its Go functions read. Every Sandbox is built
// the same way and a script cannot change what the next run sees: the
// globals and every library table are read-only proxies (protect.go), so a
// pooled Sandbox is as clean as a new one once run resets the per-run
// fields.
type Sandbox struct {
	L       *lua.LState
	globals *lua.LTable // the proxy scripts see as _G
	shadow  *lua.LTable // what the proxy reads: where KEYS and ARGV go
	rand    rand48
	run     *runCtx // the run in progress (&runBuf); nil between runs
	runBuf  runCtx  // a pooled sandbox serves one run at a time: no allocation per run
	proxies map[*lua.LTable]*lua.LTable
	frozen  *lua.LTable // getmetatable of a read-only table
	// stringMeta is what getmetatable('') shows: a read-only {__index=string}.
	stringMeta *lua.LTable
	// dirty is set when a run changed state a later run would see
	// (cjson's settings): the sandbox is then dropped, not pooled.
	dirty bool
	// errHandler is Redis's __redis__err__handler (run.go).
	errHandler *lua.LFunction
}

// newSandbox builds a state: base (without dofile, loadfile, print,
// getfenv, setfenv, module, require, newproxy), table, string, math (with
// Redis's random generator), coroutine, the library modules, the redis
// table, then makes everything read-only.
func (e *Engine) newSandbox() *Sandbox {
	L := lua.NewState(lua.Options{SkipOpenLibs: true, CallStackSize: 200, RegistrySize: 1024 * 4, RegistryMaxSize: 1024 * 1024,
		RegistryGrowStep: registryGrowStep})
	sb := &Sandbox{L: L, proxies: map[*lua.LTable]*lua.LTable{}}
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{{lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable}, {lua.StringLibName, lua.OpenString},
		{lua.MathLibName, lua.OpenMath}, {lua.CoroutineLibName, lua.OpenCoroutine}} {
		L.Push(L.NewFunction(lib.open))
		L.Push(lua.LString(lib.name))
		L.Call(1, 0)
	}
	BudgetCoroutines(L) // busy: a coroutine's instructions count against its run's budget
	g := L.G.Global
	for _, name := range []string{"dofile", "loadfile", "print", "getfenv", "setfenv", "module", "require", "newproxy", "_printregs", "_GOPHER_LUA_VERSION"} {
		g.RawSetString(name, lua.LNil)
	}
	sb.openMath()
	sb.openBaseOverrides()
	lualib.Open(L)
	sb.openRedis(e)
	sb.errHandler = L.NewFunction(sb.errorHandler)
	g.RawSetString("__redis__err__handler", sb.errHandler)
	sb.protectAll()
	return sb
}

// registryGrowStep is how many slots the Lua registry (gopher-lua's value
// stack) grows by when full. gopher-lua's default, 32, makes every call that
// pushes many values (table.concat, unpack of tens of thousands of items)
// grow it tens of thousands of times: table.concat of 65536 strings took
// 4-10 s, long enough to make the node answer BUSY; with 16384, 0.05-0.1 s.
const registryGrowStep = 1024 * 16
