package server

import (
	"strings"

	"github.com/geetcache/geetcache/protocol"
)

// enable-debug-command and enable-module-command, as Redis's: no refuses
// DEBUG (MODULE LOAD, LOADEX and UNLOAD), local allows it only on a
// loopback or Unix socket connection, yes always. geetcache's default for
// DEBUG is yes (docs/compatibility.md, DEBUG); for MODULE it is Redis's,
// no. Judged as Redis judges them: where the call arrives, after its arity
// and before its user's permissions, so that in MULTI it makes EXEC answer
// EXECABORT.

// protectedSubs are the subcommands of a protected container that Redis
// flags protected: MODULE LIST and HELP run whatever the setting says.
var protectedSubs = map[string]bool{"module|load": true, "module|loadex": true, "module|unload": true}

// protectedRefusal is Redis's refusal of a protected command.
func protectedRefusal(name, setting string) string {
	return "ERR " + strings.ToUpper(name) + ` command not allowed. If the ` + setting + ` option is set to "local", ` +
		`you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.`
}

// protectedRefused returns the refusal of the call cl on c, or "" when it
// may run (any call but a protected command's may). A subcommand's arity is
// judged first, as Redis judges it before the setting.
func (s *Server) protectedRefused(c *client, cl *call) string {
	if !cl.ok {
		return ""
	}
	var setting string
	switch cl.cmd.Name { // every call passes here: no map lookup
	case "debug":
		setting = "enable-debug-command"
	case "module":
		setting = "enable-module-command"
		sub := protocol.SubcommandOf(cl.cmd, cl.args[1])
		if sub == nil || !sub.ArityOK(len(cl.args)) || !protectedSubs[sub.Name] {
			return ""
		}
	default:
		return ""
	}
	switch lookupParam([]byte(setting)).get(s.settings) {
	case "yes":
		return ""
	case "local":
		if isLocal(c.nc.RemoteAddr()) {
			return ""
		}
	}
	return protectedRefusal(cl.cmd.Name, setting)
}
