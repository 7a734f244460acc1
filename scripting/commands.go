package scripting

import "github.com/geetcache/geetcache/protocol"

// commandLevel is the command level (protocol.Table.Level) of the
// scripting commands: a binary without them refuses their entries.
const commandLevel = 2

// Commands returns the command-table rows of EVAL, EVALSHA, EVAL_RO,
// EVALSHA_RO and SCRIPT, bound to e. Register them in the state
// machine's table (where write scripts run) and in the server's (which
// routes them): the same rows in both.
//
// Their Flags are what COMMAND INFO reports, as Redis 7.0; CallFlags
// routes each call: EVAL and EVALSHA are writes (one log entry) unless
// the script's shebang says no-writes, EVAL_RO and EVALSHA_RO are reads,
// SCRIPT LOAD and FLUSH are writes, SCRIPT EXISTS a read.
func (e *Engine) Commands() []*protocol.Command {
	const evalFlags = protocol.NoScript | protocol.Stale | protocol.SkipMonitor | protocol.NoMandatoryKeys
	roFlags := func([][]byte) protocol.Flags { return protocol.Readonly }
	return []*protocol.Command{
		{Name: "eval", Arity: -3, Flags: evalFlags | protocol.MayReplicate, KeyCount: 2, Group: "scripting", Since: "2.6.0",
			Summary: "Execute a Lua script server side", Level: commandLevel,
			Handler: e.evalHandler(evalKind{}), CallFlags: e.evalFlags(false)},
		{Name: "evalsha", Arity: -3, Flags: evalFlags | protocol.MayReplicate, KeyCount: 2, Group: "scripting", Since: "2.6.0",
			Summary: "Execute a Lua script server side", Level: commandLevel,
			Handler: e.evalHandler(evalKind{bySHA: true}), CallFlags: e.evalFlags(true)},
		{Name: "eval_ro", Arity: -3, Flags: evalFlags | protocol.Readonly, KeyCount: 2, Group: "scripting", Since: "7.0.0",
			Summary: "Execute a read-only Lua script server side", Level: commandLevel,
			Handler: e.evalHandler(evalKind{readOnly: true}), CallFlags: roFlags},
		{Name: "evalsha_ro", Arity: -3, Flags: evalFlags | protocol.Readonly, KeyCount: 2, Group: "scripting", Since: "7.0.0",
			Summary: "Execute a read-only Lua script server side", Level: commandLevel,
			Handler: e.evalHandler(evalKind{bySHA: true, readOnly: true}), CallFlags: roFlags},
		{Name: "script", Arity: -2, Group: "scripting", Since: "2.6.0",
			Summary: "A container for Lua scripts management commands", Level: commandLevel,
			Handler: e.scriptContainer(), CallFlags: scriptCallFlags},
	}
}

// SetKill installs the handler of SCRIPT KILL (the busy-script part).
// Until then SCRIPT KILL is an unknown subcommand.
func (e *Engine) SetKill(h protocol.Handler) { e.kill = h }
