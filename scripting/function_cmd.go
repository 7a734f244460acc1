package scripting

import (
	"strings"

	"github.com/geetcache/geetcache/protocol"
)

// EnableFunctions installs the function libraries in e's State (before the
// state machine starts) and returns the rows of FUNCTION, FCALL and
// FCALL_RO bound to e, to register beside Commands' in both tables.
// FUNCTION LOAD, DELETE, FLUSH and RESTORE
// change the replicated libraries, so they are writes (log entries); LIST,
// DUMP and STATS read them; KILL and HELP answer on the node. FCALL is a
// write (one log entry that runs the function on every replica) unless its
// function is flagged no-writes; FCALL_RO is always a read.
func (e *Engine) EnableFunctions() []*protocol.Command {
	e.state.SetFunctions(&Libraries{})
	const callFlags = protocol.NoScript | protocol.SkipMonitor | protocol.MayReplicate | protocol.Stale
	return []*protocol.Command{
		{Name: "function", Arity: -2, Group: "scripting", Since: "7.0.0",
			Summary: "A container for function commands", Level: commandLevel,
			Handler: protocol.HandlerFunc(e.function), CallFlags: functionCallFlags},
		{Name: "fcall", Arity: -3, Flags: callFlags, KeyCount: 2, Group: "scripting", Since: "7.0.0",
			Summary: "Invoke a function", Level: commandLevel,
			Handler: e.fcall(false), CallFlags: e.fcallFlags},
		{Name: "fcall_ro", Arity: -3, Flags: callFlags&^protocol.MayReplicate | protocol.Readonly, KeyCount: 2, Group: "scripting", Since: "7.0.0",
			Summary: "Invoke a read-only function", Level: commandLevel,
			Handler: e.fcall(true), CallFlags: func([][]byte) protocol.Flags { return protocol.Readonly }},
	}
}

// functionArity is each FUNCTION subcommand's arity, counting FUNCTION.
var functionArity = map[string]int{"load": -3, "delete": 3, "flush": -2, "restore": -3,
	"list": -2, "dump": 2, "stats": 2, "kill": 2, "help": 2}

// functionCallFlags routes FUNCTION: LOAD, DELETE, FLUSH and RESTORE
// through the log, LIST, DUMP and STATS as reads, the rest here.
func functionCallFlags(args [][]byte) protocol.Flags {
	if len(args) < 2 {
		return 0
	}
	switch strings.ToLower(string(args[1])) {
	case "load", "delete", "flush", "restore":
		return protocol.Write
	case "list", "dump":
		return protocol.Readonly
	}
	return 0
}

// FUNCTION <subcommand> [<arg> ...]
func (e *Engine) function(c *protocol.Ctx) {
	sub := strings.ToLower(string(c.Args[1]))
	arity, known := functionArity[sub]
	switch {
	case !known || (sub == "kill" && e.functionKill() == nil):
		c.Out.Error(protocol.ErrUnknownSubcommand(c.Args[1], "function"))
	case (arity >= 0 && len(c.Args) != arity) || (arity < 0 && len(c.Args) < -arity):
		c.Out.Error(protocol.ErrWrongArity("function|" + sub))
	case sub == "kill":
		e.functionKill().ServeRESP(c)
	default:
		functionSubcommands[sub](e, c)
	}
}

var functionSubcommands = map[string]func(e *Engine, c *protocol.Ctx){
	"load": (*Engine).functionLoad, "delete": (*Engine).functionDelete,
	"flush": (*Engine).functionFlush, "restore": (*Engine).functionRestore,
	"list": (*Engine).functionList, "dump": (*Engine).functionDump,
	"stats": (*Engine).functionStats, "help": functionHelp,
}

// functions returns the replicated libraries; the caller holds e.state's
// lock (a read lock to look, the write lock to change them).
func (e *Engine) functions() *Libraries { return e.state.Functions.(*Libraries) }

// change runs fn on the libraries under the state's write lock, inside the
// state machine only: a FUNCTION write that reaches a node's read path
// (it cannot, it is routed as a write) changes nothing there.
func (e *Engine) change(c *protocol.Ctx, fn func(ls *Libraries) error) error {
	if !c.Writing() {
		return replyError("ERR FUNCTION writes run only in the replicated log")
	}
	e.state.Lock()
	defer e.state.Unlock()
	return fn(e.functions())
}

// FUNCTION LOAD [REPLACE] function-code
func (e *Engine) functionLoad(c *protocol.Ctx) {
	replace := false
	for _, opt := range c.Args[2 : len(c.Args)-1] {
		if !protocol.EqualFold(opt, "replace") {
			c.Out.Error(protocol.ErrFuncUnknownOption(opt))
			return
		}
		replace = true
	}
	var name string
	err := e.change(c, func(ls *Libraries) (err error) {
		name, err = ls.Load(c.Args[len(c.Args)-1], replace)
		return err
	})
	if err != nil {
		c.Out.Error(errorReply(err))
		return
	}
	c.Out.BulkString(name)
}

// FUNCTION DELETE library-name
func (e *Engine) functionDelete(c *protocol.Ctx) {
	e.reply(c, e.change(c, func(ls *Libraries) error { return ls.Delete(c.Args[2]) }))
}

// FUNCTION FLUSH [ASYNC|SYNC]
func (e *Engine) functionFlush(c *protocol.Ctx) {
	switch {
	case len(c.Args) > 3:
		c.Out.Error(protocol.ErrSubcommandSyntax(c.Args[1], "function"))
		return
	case len(c.Args) == 3 && !protocol.EqualFold(c.Args[2], "sync") && !protocol.EqualFold(c.Args[2], "async"):
		c.Out.Error(protocol.ErrFuncFlushMode)
		return
	}
	e.reply(c, e.change(c, func(ls *Libraries) error { ls.Flush(); return nil }))
}

// FUNCTION RESTORE serialized-value [FLUSH|APPEND|REPLACE]
func (e *Engine) functionRestore(c *protocol.Ctx) {
	if len(c.Args) > 4 {
		c.Out.Error(protocol.ErrSubcommandSyntax(c.Args[1], "function"))
		return
	}
	policy := RestoreAppend
	if len(c.Args) == 4 {
		p, ok := ParseRestorePolicy(c.Args[3])
		if !ok {
			c.Out.Error(protocol.ErrFuncRestorePolicy)
			return
		}
		policy = p
	}
	e.reply(c, e.change(c, func(ls *Libraries) error { return ls.Restore(c.Args[2], policy) }))
}

// reply writes OK, or err's reply.
func (e *Engine) reply(c *protocol.Ctx, err error) {
	if err != nil {
		c.Out.Error(errorReply(err))
		return
	}
	c.Out.OK()
}

// FUNCTION LIST [LIBRARYNAME library-name-pattern] [WITHCODE]
func (e *Engine) functionList(c *protocol.Ctx) {
	o, errMsg := parseListOptions(c.Args[2:])
	if errMsg != "" {
		c.Out.Error(errMsg)
		return
	}
	e.state.RLock()
	defer e.state.RUnlock()
	e.functions().writeList(c.Out, o)
}

// FUNCTION DUMP
func (e *Engine) functionDump(c *protocol.Ctx) {
	e.state.RLock()
	defer e.state.RUnlock()
	c.Out.Bulk(e.functions().Dump())
}

// FUNCTION STATS
func (e *Engine) functionStats(c *protocol.Ctx) {
	e.state.RLock()
	defer e.state.RUnlock()
	e.functions().writeStats(c.Out, e.runningFunction)
}

// FUNCTION HELP
func functionHelp(_ *Engine, c *protocol.Ctx) {
	c.Out.Array(len(functionHelpLines))
	for _, l := range functionHelpLines {
		c.Out.Simple(l)
	}
}

// FunctionCount returns how many libraries and functions are loaded.
func (e *Engine) FunctionCount() (libraries, functions int) {
	e.state.RLock()
	defer e.state.RUnlock()
	return e.functions().Len()
}
