package server

import (
	"context"
	"net"
	"strconv"
	"time"
)

// listenTCP listens on addr with Go's own keepalive for accepted
// connections off: keepAlive sets tcp-keepalive's on each one instead (it
// may change while the listener lives), so each gets one setting, not two.
func listenTCP(addr string) (net.Listener, error) {
	lc := net.ListenConfig{KeepAlive: -1}
	return lc.Listen(context.Background(), "tcp", addr)
}

// keepAlive applies tcp-keepalive to an accepted connection, as Redis does
// (anetKeepAlive): TCP keepalive probes after that many idle seconds, none
// when 0 (a TLS connection's socket too). A connection that is not TCP is
// left alone.
func (s *Server) keepAlive(nc net.Conn) {
	if wrapped, ok := nc.(interface{ NetConn() net.Conn }); ok {
		nc = wrapped.NetConn()
	}
	tc, ok := nc.(*net.TCPConn)
	if !ok {
		return
	}
	secs, _ := strconv.ParseInt(*s.settings.kept["tcp-keepalive"].Load(), 10, 64)
	if secs <= 0 {
		tc.SetKeepAlive(false)
		return
	}
	period := time.Duration(secs) * time.Second
	tc.SetKeepAliveConfig(net.KeepAliveConfig{Enable: true, Idle: period, Interval: max(period/3, time.Second), Count: 3})
}
