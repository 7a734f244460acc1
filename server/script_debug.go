package server

import "github.com/geetcache/geetcache/protocol"

// ScriptSwitches is what the server asks of the scripting engine
// (scripting.Engine implements it).
type ScriptSwitches interface {
	// SetDenyScripts is DEBUG SET-DISABLE-DENY-SCRIPTS (deny = value 0).
	SetDenyScripts(deny bool)
	// CachedScripts returns the number of scripts in the script cache and
	// the bytes of their bodies (INFO memory).
	CachedScripts() (n, bytes int)
	// KnownWriter says that a call of EVAL, EVALSHA or FCALL names a
	// script or function whose probe reached a write (probe.go).
	KnownWriter(args [][]byte) bool
}

// DEBUG SET-DISABLE-DENY-SCRIPTS <0|1>: 1 lets scripts on this node call
// DEBUG PROTOCOL and DEBUG SLEEP (Redis's test suite checks conversions
// with them). Like Redis, any value that is not an integer counts as 0.
func (s *Server) debugDenyScripts(c *protocol.Ctx) {
	n, _ := protocol.ParseInt(c.Args[2])
	s.cfg.Scripts.SetDenyScripts(n == 0)
	c.Out.OK()
}
