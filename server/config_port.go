package server

import (
	"net"
	"slices"
	"strconv"
	"strings"

	"github.com/geetcache/geetcache/protocol"
)

// CONFIG SET port: the node listens on the new port at every bind address
// and stops listening on the old one; connections made through the old
// one stay. Port 0 stops listening on a plain port (TLS only, when
// tls-port is set). The new listeners are bound before anything else of
// the CONFIG SET is applied, so a port that cannot be bound fails the
// whole CONFIG SET with Redis's error and changes nothing (Redis applies,
// then rolls back). A node whose advertised client address has the old
// port announces the new one (the leader records it; every node forwards
// and redirects there once it is recorded).

// portChange is a CONFIG SET port prepared: the new listeners are bound,
// the old ones still serve until commitPort.
type portChange struct {
	port  int
	fresh []net.Listener
}

// setPort checks a port as Redis does; preparePort and commitPort apply it.
func setPort(_ *settings, v []byte) (func(), string) {
	_, reason := parseIntConfig(v, 0, 65535)
	return func() {}, reason
}

// preparePort binds the port pairs asks for: nil when they ask for none or
// for the current one, else the change to commit or discard, or Redis's
// error when the port cannot be bound.
func (s *Server) preparePort(pairs [][]byte) (*portChange, string) {
	var value []byte
	for i := 0; i < len(pairs); i += 2 {
		if lookupParam(pairs[i]).name == "port" {
			value = pairs[i+1]
		}
	}
	n, _ := parseIntConfig(value, 0, 65535) // checked by setPort
	if value == nil || n == s.settings.port.Load() {
		return nil, ""
	}
	pc := &portChange{port: int(n)}
	if n == 0 {
		return pc, ""
	}
	for _, b := range s.cfg.Binds {
		addr, optional := strings.CutPrefix(b, "-")
		ln, err := listenTCP(net.JoinHostPort(addr, strconv.Itoa(pc.port)))
		if err == nil {
			pc.fresh = append(pc.fresh, ln)
			continue
		}
		s.log.Warn("CONFIG SET port: could not listen", "addr", addr, "port", pc.port, "err", err)
		if !optional {
			pc.discard()
			return nil, protocol.ErrConfigSetFailed("port", "Unable to listen on this port. Check server logs.")
		}
	}
	if len(pc.fresh) == 0 {
		return nil, protocol.ErrConfigSetFailed("port", "Unable to listen on this port. Check server logs.")
	}
	return pc, ""
}

// discard closes a prepared change's listeners (a later part of the
// CONFIG SET failed).
func (pc *portChange) discard() {
	if pc == nil {
		return
	}
	for _, ln := range pc.fresh {
		ln.Close()
	}
}

// commitPort serves the new port, stops listening on the old one, and
// announces the new client address when the old one had the old port.
func (s *Server) commitPort(pc *portChange) {
	if pc == nil {
		return
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		pc.discard()
		return
	}
	old := s.plain
	s.plain = nil
	s.listeners = slices.DeleteFunc(s.listeners, func(ln net.Listener) bool { return slices.Contains(old, ln) })
	s.mu.Unlock()
	for _, ln := range old {
		ln.Close()
	}
	oldPort := s.settings.port.Swap(int64(pc.port))
	for _, ln := range pc.fresh {
		s.serveListener(ln, false)
	}
	s.log.Info("CONFIG SET port: listening on the new port", "old", oldPort, "new", pc.port)
	s.readvertise(int(oldPort), pc.port)
}

// readvertise moves this node's advertised client address from port old
// to port port, when it had the old port (not an address of its own
// choosing, such as one behind a port mapping).
func (s *Server) readvertise(old, port int) {
	if s.admin == nil || port == 0 {
		return
	}
	addr := s.admin.AdvertisedAddr()
	host, p, err := net.SplitHostPort(addr)
	if err != nil || p != strconv.Itoa(old) {
		return
	}
	next := net.JoinHostPort(host, strconv.Itoa(port))
	s.admin.SetAdvertisedAddr(next)
	s.log.Info("announcing the new client address", "old", addr, "new", next)
}
