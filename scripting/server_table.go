package scripting

import "github.com/geetcache/geetcache/protocol"

// A script may call only the data table's commands and scriptLocal's; a
// call of any other command of the node (CONFIG, CLIENT, INFO...) is
// answered as Redis answers what it refuses: the command's arity (a
// container's subcommand and its arity) first, then noscript. The node's
// whole table is given once its server is built (UseServerTable).

// UseServerTable gives the engine lookup, the node's whole command table.
func (e *Engine) UseServerTable(lookup func(name []byte) *protocol.Command) {
	e.server.Store(&lookup)
}

// serverRefusal is the error a script's call of argv gets when argv[0]
// (lower-cased as name) is not a command a script may run here.
func (e *Engine) serverRefusal(name string, argv [][]byte) string {
	if p := e.server.Load(); p != nil {
		if cmd := (*p)(argv[0]); cmd != nil {
			called, msg := calledFromScript(cmd, argv)
			switch {
			case msg != "":
				return msg
			case cmd.Flags&protocol.NoScript != 0 || called.Flags&protocol.NoScript != 0:
				return errNotAllowed
			}
		}
	}
	if noScriptServer[name] {
		return errNotAllowed
	}
	return errUnknownCmd
}

// calledFromScript returns the row a script's call of cmd runs (a
// container's subcommand), or the error Redis's scriptVerifyCommandArity
// answers: wrong arity, or an unknown subcommand.
func calledFromScript(cmd *protocol.Command, argv [][]byte) (*protocol.Command, string) {
	if !cmd.ArityOK(len(argv)) {
		return nil, errWrongArgs
	}
	called := protocol.Called(cmd, argv) // nil: an unknown subcommand, or one whose arity does not fit
	switch {
	case called != nil:
		return called, ""
	case protocol.SubcommandOf(cmd, argv[1]) != nil:
		return nil, errWrongArgs
	}
	if arity, ok := absentNoScript[cmd.Name+"|"+string(lowerASCII(argv[1]))]; ok {
		if !protocol.ArityFits(arity, len(argv)) {
			return nil, errWrongArgs
		}
		return nil, errNotAllowed
	}
	return nil, errUnknownCmd
}

// absentNoScript are the subcommands Redis 7.0 has, flags noscript, and
// geetcache does not have, with their arities: a script calling one gets
// Redis's answer, not "unknown".
var absentNoScript = map[string]int{"cluster|reset": -2, "script|debug": 3}
