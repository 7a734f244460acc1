package server

import (
	"context"
	"net"
	"strconv"
	"syscall"
	"time"
)

// tcp-keepalive, as Redis applies it to each accepted connection
// (anetKeepAlive): TCP keepalive probes after that many idle seconds, a
// third of it apart (at least 1), 3 of them; none when 0. A TLS
// connection's socket too; a Unix socket is left alone.
//
// On Linux a socket accepted from a listening one inherits its options,
// so the setting is kept on each TCP listener (listenerKeepAlive) and an
// accepted connection costs no system call for it, where Redis makes four.
// After a CONFIG SET the first connection accepted gets the new value by
// itself and brings the listener up to date; a connection the kernel had
// completed before that, still waiting to be accepted, keeps the value it
// was made with, as if accepted just before the change.

// listenTCP listens on addr with Go's own keepalive for accepted
// connections off: tcp-keepalive's is the one they get.
func listenTCP(addr string) (net.Listener, error) {
	lc := net.ListenConfig{KeepAlive: -1}
	return lc.Listen(context.Background(), "tcp", addr)
}

// keepAliveSecs is tcp-keepalive's value.
func (s *Server) keepAliveSecs() int64 {
	secs, _ := strconv.ParseInt(*s.settings.kept["tcp-keepalive"].Load(), 10, 64)
	return secs
}

// listenerKeepAlive is a listener's keepalive options: the value its
// accepted connections inherit.
type listenerKeepAlive struct {
	rc      syscall.RawConn // the TCP listener's socket; nil when not TCP
	applied int64           // the value it has; -1 when none could be set
}

// newListenerKeepAlive sets tcp-keepalive's value on ln, a plain listener
// (before TLS wraps it).
func (s *Server) newListenerKeepAlive(ln net.Listener) *listenerKeepAlive {
	ka := &listenerKeepAlive{applied: -1}
	if tl, ok := ln.(*net.TCPListener); ok {
		if rc, err := tl.SyscallConn(); err == nil {
			ka.rc = rc
			ka.set(s.keepAliveSecs())
		}
	}
	return ka
}

// set puts secs on the listener, if it can.
func (ka *listenerKeepAlive) set(secs int64) {
	ka.applied = -1
	if setKeepAlive(ka.rc, secs) == nil {
		ka.applied = secs
	}
}

// follow gives nc, just accepted, tcp-keepalive's value: inherited when
// the listener has it, else set on nc, and the listener brought up to
// date.
func (ka *listenerKeepAlive) follow(s *Server, nc net.Conn) {
	secs := s.keepAliveSecs()
	if ka.rc != nil && secs == ka.applied {
		return
	}
	keepAliveConn(nc, secs)
	if ka.rc != nil {
		ka.set(secs)
	}
}

// keepAliveConn sets secs on nc's TCP socket (under TLS too); a socket
// that is not TCP is left alone.
func keepAliveConn(nc net.Conn, secs int64) {
	if wrapped, ok := nc.(interface{ NetConn() net.Conn }); ok {
		nc = wrapped.NetConn()
	}
	tc, ok := nc.(*net.TCPConn)
	if !ok {
		return
	}
	if rc, err := tc.SyscallConn(); err != nil || setKeepAlive(rc, secs) != nil {
		setKeepAliveGo(tc, secs)
	}
}

// keepAliveInterval is Redis's interval between probes for secs.
func keepAliveInterval(secs int64) int64 { return max(secs/3, 1) }

// setKeepAliveGo sets secs on tc through Go's own calls (where
// setKeepAlive cannot).
func setKeepAliveGo(tc *net.TCPConn, secs int64) {
	if secs <= 0 {
		tc.SetKeepAlive(false)
		return
	}
	tc.SetKeepAliveConfig(net.KeepAliveConfig{Enable: true, Idle: time.Duration(secs) * time.Second,
		Interval: time.Duration(keepAliveInterval(secs)) * time.Second, Count: 3})
}
