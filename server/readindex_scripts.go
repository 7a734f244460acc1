package server

import "time"

// trackedScriptWait is how long a follower behind the leader waits to
// catch up before a tracking connection's read script, instead of sending
// it to the leader.
const trackedScriptWait = 250 * time.Millisecond

// readGrace is how long a follower waits to apply the leader's read index
// before c's reads cmds (linearizeGroup): readIndexGrace, or, when a
// tracking connection's reads include a script, trackedScriptWait. Such a
// script must run where the connection is: the keys it declares are
// remembered only if it calls a read command (Redis's rule), which only
// its run tells; sent on to the leader, its keys would not be tracked at
// all and the client would miss their invalidations (Redis's
// unit/tracking "Tracking only occurs for scripts when a command calls a
// read-only command" through a follower).
func (s *Server) readGrace(c *client, cmds []call) time.Duration {
	if hasScriptCall(cmds) && c.remembers() {
		return trackedScriptWait
	}
	return readIndexGrace
}

func hasScriptCall(cmds []call) bool {
	for _, cl := range cmds {
		if scriptCalls[cl.cmd.Name] {
			return true
		}
	}
	return false
}
