package server

import "github.com/geetcache/geetcache/protocol"

// DEBUG SET-DISABLE-DENY-SCRIPTS <0|1>: 1 lets scripts on this node call
// DEBUG PROTOCOL and DEBUG SLEEP (Redis's test suite checks conversions
// with them). Like Redis, any value that is not an integer counts as 0.
func (s *Server) debugDenyScripts(c *protocol.Ctx) {
	n, _ := protocol.ParseInt(c.Args[2])
	s.cfg.Scripts.SetDenyScripts(n == 0)
	c.Out.OK()
}
