package scripting

import (
	"strings"

	"github.com/geetcache/geetcache/protocol"
)

// EnableFunctions installs the function libraries in e's State (before the
// state machine starts) and returns the rows of FUNCTION, FCALL and
// FCALL_RO bound to e, to register beside Commands' in both tables.
//
// FUNCTION LOAD, DELETE, FLUSH and RESTORE change the replicated
// libraries, so they are writes (log entries); LIST and DUMP read them;
// STATS, KILL and HELP answer on the node. FCALL is a write (one log entry
// that runs the function on every replica) unless its function is flagged
// no-writes; FCALL_RO is always a read.
func (e *Engine) EnableFunctions() []*protocol.Command {
	e.state.SetFunctions(&Libraries{})
	const callFlags = protocol.NoScript | protocol.SkipMonitor | protocol.Stale | protocol.NoMandatoryKeys
	return []*protocol.Command{
		{Name: "function", Arity: -2, Group: "scripting", Since: "7.0.0",
			Summary: "A container for function commands", Level: commandLevel,
			Handler: e.functionContainer(), CallFlags: functionCallFlags},
		{Name: "fcall", Arity: -3, Flags: callFlags | protocol.MayReplicate, KeyCount: 2, Group: "scripting", Since: "7.0.0",
			Summary: "Invoke a function", Level: commandLevel,
			Handler: e.fcall(false), CallFlags: e.fcallFlags},
		{Name: "fcall_ro", Arity: -3, Flags: callFlags | protocol.Readonly, KeyCount: 2, Group: "scripting", Since: "7.0.0",
			Summary: "Invoke a read-only function", Level: commandLevel,
			Handler: e.fcall(true), CallFlags: func([][]byte) protocol.Flags { return protocol.Readonly }},
	}
}

// functionCallFlags routes FUNCTION: LOAD, DELETE, FLUSH and RESTORE
// through the log, LIST and DUMP as reads, the rest here. KILL and STATS
// are allow_busy: they answer while a script runs (STATS from this node's
// applied state, without the read barrier, which would wait for the
// script).
func functionCallFlags(args [][]byte) protocol.Flags {
	if len(args) < 2 {
		return 0
	}
	switch strings.ToLower(string(args[1])) {
	case "load", "restore":
		return protocol.Write | protocol.DenyOOM
	case "delete", "flush":
		return protocol.Write
	case "list", "dump":
		return protocol.Readonly
	case "kill", "stats":
		return protocol.AllowBusy
	}
	return 0
}

// functionContainer is FUNCTION's handler: it dispatches to the
// subcommand rows (which COMMAND INFO and DOCS list), checking their
// arity as Redis's dispatcher does.
type functionContainer struct {
	e    *Engine
	subs []*protocol.Command
}

func (e *Engine) functionContainer() *functionContainer {
	const ns = protocol.NoScript
	sub := func(name string, arity int, flags protocol.Flags, summary string, h func(*protocol.Ctx)) *protocol.Command {
		return &protocol.Command{Name: "function|" + name, Arity: arity, Flags: flags, Group: "scripting",
			Since: "7.0.0", Summary: summary, Level: commandLevel, Handler: protocol.HandlerFunc(h)}
	}
	return &functionContainer{e: e, subs: []*protocol.Command{
		sub("delete", 3, protocol.Write|ns, "Delete a function by name", e.functionDelete),
		sub("dump", 2, ns, "Dump all functions into a serialized binary payload", e.functionDump),
		sub("flush", -2, protocol.Write|ns, "Deleting all functions", e.functionFlush),
		sub("help", 2, protocol.Loading|protocol.Stale, "Show helpful text about the different subcommands", functionHelp),
		sub("kill", 2, ns|protocol.AllowBusy, "Kill the function currently in execution.", e.functionKillCmd),
		sub("list", -2, ns, "List information about all the functions", e.functionList),
		sub("load", -3, protocol.Write|protocol.DenyOOM|ns, "Create a function with the given arguments (name, code, description)", e.functionLoad),
		sub("restore", -3, protocol.Write|protocol.DenyOOM|ns, "Restore all the functions on the given payload", e.functionRestore),
		sub("stats", 2, ns|protocol.AllowBusy, "Return information about the function currently running (name, description, duration)", e.functionStats),
	}}
}

// Subcommands returns FUNCTION's subcommands, sorted by name.
func (fc *functionContainer) Subcommands() []*protocol.Command { return fc.subs }

// FUNCTION <subcommand> [<arg> ...]
func (fc *functionContainer) ServeRESP(c *protocol.Ctx) {
	sub := protocol.SubcommandOf(&protocol.Command{Handler: fc}, c.Args[1])
	switch {
	case sub == nil || (sub.Name == "function|kill" && fc.e.functionKill() == nil):
		c.Out.Error(protocol.ErrUnknownSubcommand(c.Args[1], "function"))
	case !sub.ArityOK(len(c.Args)):
		c.Out.Error(protocol.ErrWrongArity(sub.Name))
	default:
		sub.Handler.ServeRESP(c)
	}
}

// FUNCTION KILL
func (e *Engine) functionKillCmd(c *protocol.Ctx) { e.functionKill().ServeRESP(c) }

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
	c.AddDirty(1) // a change to the data, as Redis counts it
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

// reply writes OK, counting one change to the data as Redis does, or
// err's reply.
func (e *Engine) reply(c *protocol.Ctx, err error) {
	if err != nil {
		c.Out.Error(errorReply(err))
		return
	}
	c.AddDirty(1)
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
	if e.busy != nil && e.busy.statsRefusal() != "" { // busy: an EVAL runs
		c.Out.Error(e.busy.statsRefusal())
		return
	}
	e.state.RLock()
	defer e.state.RUnlock()
	e.functions().writeStats(c.Out, e.runningFunction)
}

// FUNCTION HELP
func functionHelp(c *protocol.Ctx) {
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
