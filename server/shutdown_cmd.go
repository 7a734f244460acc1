package server

import (
	"github.com/geetcache/geetcache/protocol"
)

// ShutdownRequest is what SHUTDOWN (or a signal) asks for.
type ShutdownRequest struct {
	// Save takes a Raft snapshot before stopping (SAVE); NoSave is
	// NOSAVE, which is also what neither means (every acknowledged write
	// is in the Raft log already: a snapshot only shortens the next start).
	Save, NoSave bool
	// Now skips the leadership hand-over (NOW).
	Now bool
	// Force stops even if the snapshot SAVE asked for fails (FORCE).
	Force bool
}

// Stopper stops the process: cmd/geetcache's, for SHUTDOWN.
type Stopper interface {
	// Stop prepares the stop asked for (a leader hands its leadership
	// over; SAVE snapshots). It returns nil once the process is going to
	// exit, or why it is not (a failed SAVE without FORCE, an ABORT).
	Stop(req ShutdownRequest) error
	// Abort cancels a stop being prepared (SHUTDOWN ABORT); false: none
	// was.
	Abort() bool
}

const (
	errShutdownFailed = "ERR Errors trying to SHUTDOWN. Check logs."
	errNoShutdown     = "ERR No shutdown in progress."
)

func (s *Server) shutdownCommands() []*protocol.Command {
	return []*protocol.Command{
		{Name: "shutdown", Arity: -1, Group: "server", Since: "1.0.0",
			Flags:   protocol.Admin | protocol.NoScript | protocol.Loading | protocol.Stale | protocol.NoMulti | protocol.AllowBusy,
			Summary: "Synchronously save the dataset to disk and then shut down the server", Handler: protocol.HandlerFunc(s.shutdown)},
	}
}

// SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]
//
// On success the connection is closed without a reply, as Redis's is when
// the process exits; the process exits once every command it had read is
// answered.
func (s *Server) shutdown(c *protocol.Ctx) {
	req, abort, ok := parseShutdown(c.Args[1:])
	switch {
	case !ok:
		c.Out.Error(protocol.ErrSyntax)
	case abort && (s.cfg.Stopper == nil || !s.cfg.Stopper.Abort()):
		c.Out.Error(errNoShutdown)
	case abort:
		c.Out.OK()
	case s.cfg.Stopper == nil:
		c.Out.Error(errShutdownFailed)
	case !req.NoSave && s.scripts.Busy() != "":
		c.Out.Error(s.scripts.Busy()) // as Redis: only NOSAVE stops during a busy script
	default:
		s.log.Info("user requested shutdown", "client", conn(c).id)
		if err := s.cfg.Stopper.Stop(req); err != nil {
			s.log.Warn("shutdown failed", "err", err)
			c.Out.Error(errShutdownFailed)
			return
		}
		conn(c).quit = true
	}
}

// parseShutdown reads SHUTDOWN's flags as Redis 7.0 does: any order,
// repeats allowed; SAVE with NOSAVE, or ABORT with any other, is a syntax
// error.
func parseShutdown(args [][]byte) (req ShutdownRequest, abort, ok bool) {
	for _, a := range args {
		switch {
		case protocol.EqualFold(a, "nosave"):
			req.NoSave = true
		case protocol.EqualFold(a, "save"):
			req.Save = true
		case protocol.EqualFold(a, "now"):
			req.Now = true
		case protocol.EqualFold(a, "force"):
			req.Force = true
		case protocol.EqualFold(a, "abort"):
			abort = true
		default:
			return req, false, false
		}
	}
	if (abort && req != ShutdownRequest{}) || (req.Save && req.NoSave) {
		return req, false, false
	}
	return req, abort, true
}
