package server

import (
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// noteCall shows a call of cmd with args, run for c in d, to the
// monitors (monitor.go) and gives it to the slow log and to the latency
// monitor's "command" (or, for a fast command,
// "fast-command") event, as Redis's call() does once a command ran. d is
// the time commandstats counts for it (a write's includes its commit; see
// docs/operations.md). A command flagged skip_slowlog (EXEC: its commands
// are logged one by one) is left out of the slow log.
func (s *Server) noteCall(c *client, cmd *protocol.Command, args [][]byte, d time.Duration) {
	if cmd == nil {
		return
	}
	if s.monitors.n.Load() > 0 && !scriptCalls[cmd.Name] { // a script is shown before it runs (dispatch)
		s.feedMonitors(c, cmd, args)
	}
	s.settings.latmon.noteCommand(cmd.Flags&protocol.Fast != 0, d)
	if cmd.Flags&protocol.SkipSlowlog != 0 || !s.settings.slow.wants(d) {
		return
	}
	c.mu.Lock()
	name := c.name
	c.mu.Unlock()
	s.settings.slow.push(redactArgs(args), d, peerAddr(c.nc), name)
}

// noteCur is noteCall for c's current call (dispatch's).
func (s *Server) noteCur(c *client, d time.Duration) {
	if cl := c.cur; cl != nil {
		s.noteCall(c, cl.cmd, cl.args, d)
	}
}
