package server

import "github.com/geetcache/geetcache/protocol"

// unblockMode is how CLIENT UNBLOCK ends a wait: as a timeout, or with
// Redis's UNBLOCKED error.
type unblockMode uint8

const (
	unblockTimeout unblockMode = iota
	unblockError
)

// CLIENT UNBLOCK client-id [TIMEOUT|ERROR]: ends the wait of a client of
// this node blocked in BLPOP, BLMOVE, BZPOPMIN, XREAD, XREADGROUP... and
// replies 1, or 0 when that client is not blocked here. A client whose
// blocking command this follower forwarded to the leader (see forward.go)
// waits there: the leader is asked (unblock_leader.go).
func (s *Server) clientUnblock(c *protocol.Ctx) {
	if len(c.Args) > 4 {
		c.Out.Error(protocol.ErrSubcommandSyntax(c.Args[1], "client"))
		return
	}
	id, ok := protocol.ParseInt(c.Args[2])
	if !ok {
		c.Out.Error(protocol.ErrNotInteger)
		return
	}
	mode := unblockTimeout
	if len(c.Args) == 4 {
		switch {
		case protocol.EqualFold(c.Args[3], "timeout"):
		case protocol.EqualFold(c.Args[3], "error"):
			mode = unblockError
		default:
			c.Out.Error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR")
			return
		}
	}
	target := s.clientByID(id)
	if target == nil {
		c.Out.Int(0)
		return
	}
	w := target.waiting.Load()
	if w == nil {
		if !s.unblockAtLeader(c, target) { // unblock_leader.go
			c.Out.Int(0)
		}
		return
	}
	select {
	case w.unblock <- mode:
		c.Out.Int(1)
	default:
		c.Out.Int(0) // already being unblocked
	}
}
