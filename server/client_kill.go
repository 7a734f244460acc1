package server

import (
	"github.com/geetcache/geetcache/protocol"
)

// killFilter selects the connections CLIENT KILL closes; zero fields match
// everything.
type killFilter struct {
	addr, laddr []byte
	id          int64
	typ         clientType
	hasType     bool
	skipMe      bool
	user        []byte
	// known tells whether a user exists (USER's check).
	known func(name []byte) bool
}

// CLIENT KILL ip:port
// CLIENT KILL [ID client-id] [TYPE NORMAL|MASTER|SLAVE|REPLICA|PUBSUB]
// [USER username] [ADDR ip:port] [LADDR ip:port] [SKIPME yes|no] ...
func (s *Server) clientKill(c *protocol.Ctx) {
	f := killFilter{skipMe: true, known: s.knownUser}
	oldForm := len(c.Args) == 3
	if oldForm {
		f.addr, f.skipMe = c.Args[2], false
	} else if !parseKillFilter(c, c.Args[2:], &f) {
		return
	}
	killed := s.killClients(conn(c), &f)
	switch {
	case !oldForm:
		c.Out.Int(int64(killed))
	case killed == 0:
		c.Out.Error(protocol.ErrNoSuchClient)
	default:
		c.Out.OK()
	}
}

// parseKillFilter reads option/value pairs; it replies on error.
func parseKillFilter(c *protocol.Ctx, args [][]byte, f *killFilter) bool {
	for i := 0; i < len(args); i += 2 {
		if i+1 >= len(args) {
			c.Out.Error(protocol.ErrSyntax)
			return false
		}
		if msg := f.set(args[i], args[i+1]); msg != "" {
			c.Out.Error(msg)
			return false
		}
	}
	return true
}

// set applies one option and returns an error reply, or "".
func (f *killFilter) set(opt, val []byte) string {
	switch {
	case protocol.EqualFold(opt, "id"):
		id, ok := protocol.ParseInt(val)
		if !ok || id < 1 {
			return protocol.ErrClientIDRange
		}
		f.id = id
	case protocol.EqualFold(opt, "type"):
		t, ok := parseClientType(val)
		if !ok {
			return protocol.ErrUnknownClientType(val)
		}
		f.typ, f.hasType = t, true
	case protocol.EqualFold(opt, "addr"):
		f.addr = val
	case protocol.EqualFold(opt, "laddr"):
		f.laddr = val
	case protocol.EqualFold(opt, "user"):
		if !f.known(val) {
			return protocol.ErrNoSuchUser(val)
		}
		f.user = val
	case protocol.EqualFold(opt, "skipme"):
		return f.setSkipMe(val)
	default:
		return protocol.ErrSyntax
	}
	return ""
}

func (f *killFilter) setSkipMe(val []byte) string {
	switch {
	case protocol.EqualFold(val, "yes"):
		f.skipMe = true
	case protocol.EqualFold(val, "no"):
		f.skipMe = false
	default:
		return protocol.ErrSyntax
	}
	return ""
}

func (f *killFilter) match(cl, self *client) bool {
	switch {
	case f.addr != nil && string(f.addr) != peerAddr(cl.nc),
		f.laddr != nil && string(f.laddr) != clientLocalAddr(cl.nc),
		f.hasType && cl.typeOf() != f.typ,
		f.id != 0 && cl.id != f.id,
		f.user != nil && string(f.user) != cl.userNameOf(),
		cl == self && f.skipMe:
		return false
	}
	return true
}

// killClients closes every matching connection and returns how many. The
// caller's own connection closes after its reply, as in Redis; the others
// leave the client list at once and their sockets close under them.
func (s *Server) killClients(self *client, f *killFilter) int {
	killed := 0
	for _, cl := range s.clientsByID() {
		if !f.match(cl, self) {
			continue
		}
		killed++
		if cl == self {
			self.quit = true
			continue
		}
		s.mu.Lock()
		s.forgetClient(cl)
		s.mu.Unlock()
		cl.nc.Close()
	}
	return killed
}
