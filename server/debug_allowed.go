package server

// enable-debug-command, as Redis's: no refuses DEBUG, local allows it only
// on a loopback or Unix socket connection, yes always; geetcache's default
// is yes (docs/compatibility.md, DEBUG). Judged as Redis judges it: where
// the call arrives, after its arity and before its user's permissions, so
// that in MULTI it makes EXEC answer EXECABORT.

// errDebugNotAllowed is Redis's refusal.
const errDebugNotAllowed = `ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", ` +
	`you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.`

// debugAllowed reports whether c may run the call cl (any call but DEBUG).
func (s *Server) debugAllowed(c *client, cl *call) bool {
	if !cl.ok || cl.cmd.Name != "debug" {
		return true
	}
	switch startValue("enable-debug-command")(s.settings) {
	case "yes":
		return true
	case "local":
		return isLocal(c.nc.RemoteAddr())
	}
	return false
}
