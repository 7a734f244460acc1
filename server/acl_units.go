package server

// unitUser is the User a unit of cmds that c proposes carries: the name
// of c's user when that user has restrictions and the unit runs a script
// (scriptCalls), else nil. The state machine then checks every call the
// script makes against that user as the entry applies (cluster's
// fsm_acl.go), so the calls after a script's first write, which run only
// there, are checked as Redis checks them; the node's own run up to the
// first write (probe.go) checks and logs the calls before it.
func (s *Server) unitUser(c *client, cmds [][][]byte) []byte {
	for _, argv := range cmds {
		if cmd := s.table.Lookup(argv[0]); cmd != nil && scriptCalls[cmd.Name] {
			return s.scriptUser(c)
		}
	}
	return nil
}

// scriptUser is the User a unit running a script carries (unitUser): the
// name of c's user when that user has restrictions, else nil.
func (s *Server) scriptUser(c *client) []byte {
	if s.aclFree(c) {
		return nil
	}
	if u := s.currentUser(c); u != nil {
		return []byte(u.Name)
	}
	return nil
}
