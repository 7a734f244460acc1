package scripting

import (
	"strings"

	"github.com/geetcache/geetcache/protocol"
)

// scriptContainer is SCRIPT: its subcommands are rows of their own, with
// Redis 7.0.15's arity and flags (COMMAND INFO script lists them). LOAD
// and FLUSH change the replicated cache (log entries), EXISTS reads it,
// HELP answers here; KILL is the busy-script part's (SetKill).
type scriptContainer struct {
	e    *Engine
	subs []*protocol.Command
}

func (e *Engine) scriptContainer() *scriptContainer {
	row := func(name string, arity int, flags protocol.Flags, summary, since string, h protocol.HandlerFunc) *protocol.Command {
		return &protocol.Command{Name: "script|" + name, Arity: arity, Flags: flags, Group: "scripting",
			Summary: summary, Since: since, Level: commandLevel, Handler: h}
	}
	return &scriptContainer{e: e, subs: []*protocol.Command{
		row("exists", -3, protocol.NoScript, "Check existence of scripts in the script cache.", "2.6.0", e.scriptExists),
		row("flush", -2, protocol.NoScript, "Remove all the scripts from the script cache.", "2.6.0", e.scriptFlush),
		row("help", 2, protocol.Loading|protocol.Stale, "Show helpful text about the different subcommands", "5.0.0", scriptHelp),
		row("kill", 2, protocol.NoScript|protocol.AllowBusy, "Kill the script currently in execution.", "2.6.0",
			func(c *protocol.Ctx) { e.kill.ServeRESP(c) }),
		row("load", 3, protocol.NoScript|protocol.Stale, "Load the specified Lua script into the script cache.", "2.6.0", e.scriptLoad),
	}}
}

// Subcommands returns SCRIPT's subcommands, sorted by name.
func (sc *scriptContainer) Subcommands() []*protocol.Command { return sc.subs }

// SCRIPT <subcommand> [<arg> ...]
func (sc *scriptContainer) ServeRESP(c *protocol.Ctx) {
	sub := protocol.SubcommandOf(&protocol.Command{Handler: sc}, c.Args[1])
	switch {
	case sub == nil || (sub.Name == "script|kill" && sc.e.kill == nil):
		c.Out.Error(protocol.ErrUnknownSubcommand(c.Args[1], "script"))
	case !sub.ArityOK(len(c.Args)):
		c.Out.Error(protocol.ErrWrongArity(sub.Name))
	default:
		sub.Handler.ServeRESP(c)
	}
}

// scriptCallFlags routes SCRIPT: LOAD and FLUSH through the log, EXISTS
// as a read, the rest here.
func scriptCallFlags(args [][]byte) protocol.Flags {
	if len(args) < 2 {
		return 0
	}
	switch strings.ToLower(string(args[1])) {
	case "load", "flush":
		return protocol.Write
	case "exists":
		return protocol.Readonly
	case "kill":
		return protocol.AllowBusy // busy: SCRIPT KILL runs while a script is busy
	}
	return 0
}

// SCRIPT LOAD script
func (e *Engine) scriptLoad(c *protocol.Ctx) {
	s, errMsg := e.Compile(string(c.Args[2]))
	if errMsg != "" {
		c.Out.Error(errMsg)
		return
	}
	if c.Writing() {
		e.state.Lock()
		e.state.Scripts.Add(s.Body)
		e.state.Unlock()
	}
	c.Out.BulkString(s.SHA)
}

// SCRIPT EXISTS sha1 [sha1 ...]
func (e *Engine) scriptExists(c *protocol.Ctx) {
	c.Out.Array(len(c.Args) - 2)
	for _, sha := range c.Args[2:] {
		_, ok := e.lookup(sha)
		c.Out.Int(b2i(ok))
	}
}

// SCRIPT FLUSH [ASYNC|SYNC]
func (e *Engine) scriptFlush(c *protocol.Ctx) {
	if len(c.Args) > 3 {
		c.Out.Error("ERR SCRIPT FLUSH only support SYNC|ASYNC option")
		return
	}
	if len(c.Args) == 3 {
		mode := strings.ToLower(string(c.Args[2]))
		if mode != "async" && mode != "sync" {
			c.Out.Error("ERR SCRIPT FLUSH only support SYNC|ASYNC option")
			return
		}
	}
	if c.Writing() {
		e.state.Lock()
		e.state.Scripts.Reset()
		e.state.Unlock()
		e.forgetCompiled()
	}
	c.Out.OK()
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

var scriptHelpLines = []string{
	"SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"EXISTS <sha1> [<sha1> ...]",
	"    Return information about the existence of the scripts in the script cache.",
	"FLUSH [ASYNC|SYNC]",
	"    Flush the Lua scripts cache. Very dangerous on replicas.",
	"    When called without the optional mode argument, the behavior is determined by the",
	"    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
	"    * ASYNC: Asynchronously flush the scripts cache.",
	"    * SYNC: Synchronously flush the scripts cache.",
	"KILL",
	"    Kill the currently executing Lua script.",
	"LOAD <script>",
	"    Load a script into the scripts cache without executing it.",
	"HELP",
	"    Prints this help.",
}

// SCRIPT HELP
func scriptHelp(c *protocol.Ctx) {
	c.Out.Array(len(scriptHelpLines))
	for _, l := range scriptHelpLines {
		c.Out.Simple(l)
	}
}
