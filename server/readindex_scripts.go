package server

import "time"

// trackedScriptWait bounds how long a follower that is behind waits to
// catch up before a tracking connection's read script, instead of sending
// it to the leader.
const trackedScriptWait = 250 * time.Millisecond

// caughtUpForScripts, on a follower behind the leader when a tracking
// connection's reads include a script, waits (up to trackedScriptWait)
// until this node has applied a fresh read index, and then lets the reads
// run here; it reports whether they may. Such a script must run where the
// connection is: the keys it declares are remembered only if it calls a
// read command (Redis's rule), which only its run tells; sent on to the
// leader, its keys would not be tracked at all and the client would miss
// their invalidations (Redis's unit/tracking "Tracking only occurs for
// scripts when a command calls a read-only command" through a follower).
func (s *Server) caughtUpForScripts(c *client, b *batch, cmds []call) bool {
	if !hasScriptCall(cmds) || !c.remembers() {
		return false
	}
	ri, errMsg := s.fetchReadIndex(time.Now().Add(s.cfg.ElectionWait))
	if errMsg != "" || s.linear.WaitApplied(ri.index, trackedScriptWait) != nil {
		return false
	}
	b.reads, b.readsAt, b.readTime = true, c.forwards, ri.time
	return true
}

func hasScriptCall(cmds []call) bool {
	for _, cl := range cmds {
		if scriptCalls[cl.cmd.Name] {
			return true
		}
	}
	return false
}
