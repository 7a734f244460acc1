package scripting

import (
	"strings"

	"github.com/geetcache/geetcache/protocol"
)

// SCRIPT <subcommand>: LOAD and FLUSH change the replicated cache (log
// entries), EXISTS reads it, HELP answers here; KILL is the busy-script
// part's (scriptKill, set by RegisterKill).
func (e *Engine) script(c *protocol.Ctx) {
	sub := strings.ToLower(string(c.Args[1]))
	arity, known := scriptArity[sub]
	switch {
	case !known || (sub == "kill" && e.kill == nil):
		c.Out.Error(protocol.ErrUnknownSubcommand(c.Args[1], "script"))
	case (arity >= 0 && len(c.Args) != arity) || (arity < 0 && len(c.Args) < -arity):
		c.Out.Error(protocol.ErrWrongArity("script|" + sub))
	case sub == "load":
		e.scriptLoad(c)
	case sub == "exists":
		e.scriptExists(c)
	case sub == "flush":
		e.scriptFlush(c)
	case sub == "kill":
		e.kill.ServeRESP(c)
	default:
		scriptHelp(c)
	}
}

// scriptArity is each subcommand's arity, counting SCRIPT.
var scriptArity = map[string]int{"load": 3, "exists": -3, "flush": -2, "kill": 2, "help": 2}

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
