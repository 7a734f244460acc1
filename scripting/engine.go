package scripting

import (
	"strings"
	"sync"
	"sync/atomic"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"

	"github.com/geetcache/geetcache/protocol"
)

// Engine runs scripts for one node. The state machine runs write scripts
// through it (inside Apply, one at a time); the server runs read-only ones
// (under the state machine's read lock, possibly several at once). It is
// safe for concurrent use.
type Engine struct {
	table *protocol.Table // what redis.call reaches
	state *State          // replicated: script cache, function libraries
	pool  sync.Pool       // of *Sandbox, all built alike
	// compiled caches each body's compiled form by SHA-1; node-local,
	// derived from bodies, so it never changes a result.
	compiled sync.Map // sha -> *Script
	// bodies is the same cache by body, so an EVAL of a body compiled
	// before costs a map lookup, not a SHA-1 (11% of a node's CPU under
	// redis-benchmark's EVAL at -P 16, for three SHA-1s per EVAL).
	bodies sync.Map // body -> *Script
	ncomp  int      // entries in compiled, under compMu
	compMu sync.Mutex
	// Hooks are told of every run (see Hooks); set before serving.
	Hooks Hooks
	kill  protocol.Handler // SCRIPT KILL; nil until SetKill
	// busy is set by Monitor.Attach: FUNCTION KILL and FUNCTION STATS
	// ask it about the scripts running on this node.
	busy *Monitor
	// calls counts the commands scripts call (call_stats.go); nil: none.
	calls atomic.Pointer[CallCounter]
	// server is the node's whole command table (server_table.go).
	server atomic.Pointer[func(name []byte) *protocol.Command]
}

// Hooks let other parts of the node watch script runs.
type Hooks struct {
	// Start, if set, is called before a script or function runs, with its
	// Lua state (it may call L.SetContext to bound or kill the run) and
	// what is running; the function it returns, if not nil, is called
	// when the run ends.
	Start func(L *lua.LState, r *Run) (end func())
}

// NewEngine returns an engine whose redis.call runs commands from table.
// Register its commands (Commands) into the tables that route and apply
// them.
func NewEngine(table *protocol.Table) *Engine {
	e := &Engine{table: table, state: NewState()}
	e.pool.New = func() any { return e.newSandbox() }
	return e
}

// State returns the replicated state the state machine snapshots.
func (e *Engine) State() *State { return e.state }

// Table returns the command table redis.call reaches.
func (e *Engine) Table() *protocol.Table { return e.table }

// Script is a compiled script body.
type Script struct {
	SHA   string
	Body  string
	Flags ScriptFlags
	Proto *lua.FunctionProto
	// oomSafe: a script without a shebang that calls no denyoom command
	// (Engine.oomSafe); it may run while memory is above maxmemory.
	oomSafe bool
}

// maxCompiled bounds the node-local compiled cache; past it, the cache is
// emptied (bodies stay in State and are compiled again when run).
const maxCompiled = 4096

// Compile returns the compiled script for body, from the cache when the
// same body was compiled before. err is the Redis error reply text.
func (e *Engine) Compile(body string) (*Script, string) {
	if s, ok := e.bodies.Load(body); ok {
		return s.(*Script), ""
	}
	sha := SHA1Hex([]byte(body))
	if s, ok := e.compiled.Load(sha); ok {
		return s.(*Script), ""
	}
	flags, src, errMsg := parseShebang(body)
	if errMsg != "" {
		return nil, errMsg
	}
	proto, err := compileLua(src, "user_script")
	if err != nil {
		return nil, "ERR Error compiling script (new function): " + err.Error()
	}
	s := &Script{SHA: sha, Body: body, Flags: flags, Proto: proto}
	s.oomSafe = flags&FlagEvalCompat != 0 && e.oomSafe(body)
	e.remember(sha, s)
	return s, ""
}

// compileBytes is Compile of a body given as bytes: a body compiled before
// is found without copying it (the common case, EVAL of the same script);
// only a first compile copies it.
func (e *Engine) compileBytes(body []byte) (*Script, string) {
	if s, ok := e.bodies.Load(protocol.View(body)); ok {
		return s.(*Script), ""
	}
	return e.Compile(string(body))
}

func (e *Engine) remember(sha string, s *Script) {
	e.compMu.Lock()
	defer e.compMu.Unlock()
	if e.ncomp >= maxCompiled {
		e.compiled.Clear()
		e.bodies.Clear()
		e.ncomp = 0
	}
	if _, loaded := e.compiled.LoadOrStore(sha, s); !loaded {
		e.ncomp++
	}
	e.bodies.Store(s.Body, s)
}

// forgetCompiled empties the compiled cache (SCRIPT FLUSH).
func (e *Engine) forgetCompiled() {
	e.compMu.Lock()
	defer e.compMu.Unlock()
	e.compiled.Clear()
	e.bodies.Clear()
	e.ncomp = 0
}

// compileLua compiles src as a chunk named name; errors read as Lua 5.1's
// ("user_script:1: ...") where gopher-lua's differ (compile_errors.go).
func compileLua(src, name string) (*lua.FunctionProto, error) {
	chunk, err := parse.Parse(strings.NewReader(src), name)
	if err != nil {
		return nil, luaSyntaxError(err, name, src)
	}
	guardConcat(chunk)
	proto, err := lua.Compile(chunk, name)
	if err != nil {
		return nil, err
	}
	// A main chunk gets no 'arg' table in Lua 5.1 (only vararg functions
	// do, under LUA_COMPAT_VARARG); gopher-lua would build one per run.
	proto.IsVarArg &^= lua.VarArgNeedsArg
	return proto, nil
}

// get takes a Sandbox from the pool; put returns it.
func (e *Engine) get() *Sandbox { return e.pool.Get().(*Sandbox) }
func (e *Engine) put(sb *Sandbox) {
	sb.run = nil
	sb.L.SetTop(0)
	if sb.dirty {
		sb.L.Close()
		return
	}
	e.pool.Put(sb)
}
