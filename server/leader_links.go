package server

import (
	"bufio"
	"net"
	"sync"
)

// leaderLinks is the open links of this node's connections to the leader
// (forward.go, acl_link.go). A forward waits on its link with deadlines
// of its own, a blocking one with none (the leader answers when it is
// served), so Close cuts them all linksCutAfter its start: a connection
// goroutine still waiting on the leader then replies an error (the
// forward lost: its outcome is unknown) within the grace its client has
// to read it, instead of holding the shutdown for as long as the leader
// takes. Links dialed after that are closed at once.
type leaderLinks struct {
	mu   sync.Mutex
	cut  bool
	open map[net.Conn]struct{}
}

// linksCutAfter is when Close cuts the links: before the clients' grace
// (shutdownGrace) ends, so that the errors it causes are still written.
const linksCutAfter = shutdownGrace * 3 / 4

// newUpstream makes a link on nc to the leader at addr and registers it;
// nil, with nc closed, once the links have been cut.
func (s *Server) newUpstream(addr string, proto int, nc net.Conn) *upstream {
	l := &s.links
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cut {
		nc.Close()
		return nil
	}
	if l.open == nil {
		l.open = make(map[net.Conn]struct{})
	}
	l.open[nc] = struct{}{}
	return &upstream{addr: addr, proto: proto, nc: nc, rd: bufio.NewReader(nc), links: l}
}

// forget drops nc, closed.
func (l *leaderLinks) forget(nc net.Conn) {
	l.mu.Lock()
	delete(l.open, nc)
	l.mu.Unlock()
}

// cutAll closes every link, and every one made from now on.
func (l *leaderLinks) cutAll() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cut = true
	for nc := range l.open {
		nc.Close()
	}
	clear(l.open)
}
