package server

import "github.com/geetcache/geetcache/protocol"

// errMasterDown is Redis's refusal on a stale replica.
const errMasterDown = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."

// staleReplica reports whether this node is a replica (REPLICAOF) that is
// not applying its master's stream now (waiting to connect, in the
// handshake or loading the payload) while replica-serve-stale-data is
// no: Redis then runs only the commands flagged stale.
func (s *Server) staleReplica() bool {
	u := s.master.Load()
	return u != nil && linkState(u.state.Load()) != linkConnected &&
		*s.settings.kept["replica-serve-stale-data"].Load() == "no"
}

// ScriptStale makes a client a scripting.StaleChecker: a script's calls
// on a stale replica are judged one by one (scripting/stale.go).
func (c *client) ScriptStale() bool { return c.stale != nil && c.stale() }

// servesStale answers MASTERDOWN to a call a stale replica does not run
// (and makes the transaction it is queued in, or the EXEC, abort), and
// returns false; true when the call may go on. Redis checks it after the
// read-only replica's refusal, so a write there is answered READONLY.
func (s *Server) servesStale(c *client, b *batch, cl *call) bool {
	if !cl.ok || !s.staleReplica() || !s.refusesStale(c, cl) {
		return true
	}
	s.rejectCall(c, b, cl, errMasterDown)
	return false
}

// refusesStale reports whether a stale replica refuses cl: a command not
// flagged stale (its subcommand's flags for a container), a script whose
// declared flags lack allow-stale, a script without a shebang outside a
// transaction (Redis refuses it as it starts to run), or an EXEC that
// queued any of these. Redis runs a script without a shebang queued in a
// transaction and answers MASTERDOWN in its place in EXEC's reply; here
// the transaction runs in the log, where no replica's link is known, so
// the EXEC is refused whole (docs/compatibility.md).
func (s *Server) refusesStale(c *client, cl *call) bool {
	if cl.cmd.Name == "exec" && c.multi != nil {
		return c.multi.queuedAny(func(cmd *protocol.Command, args [][]byte) bool {
			return s.staleRefused(cmd, args, false)
		})
	}
	return s.staleRefused(cl.cmd, cl.args, c.multi != nil)
}

// staleRefused judges one call of cmd; queued says it is being queued in
// a transaction, not run.
func (s *Server) staleRefused(cmd *protocol.Command, args [][]byte, queued bool) bool {
	if scriptCalls[cmd.Name] && s.cfg.Scripts != nil {
		return s.cfg.Scripts.RefusedStale(args, queued)
	}
	called := protocol.Called(cmd, args)
	return called != nil && called.Flags&protocol.Stale == 0
}
