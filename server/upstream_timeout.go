package server

import (
	"net"
	"strconv"
	"time"
)

// The link to the master times out as a Redis replica's does after
// repl-timeout seconds (default 60): connecting, the handshake, and any
// read or write that makes no progress for that long drop the link, which
// is tried again a second later. CONFIG SET repl-timeout reaches the next
// read or write.

// replTimeout is repl-timeout.
func (s *Server) replTimeout() time.Duration {
	secs, err := strconv.ParseInt(*s.settings.kept["repl-timeout"].Load(), 10, 64)
	if err != nil || secs < 1 {
		secs = 60
	}
	return time.Duration(min(secs, 1<<31)) * time.Second
}

// timeoutConn is the link to the master: each read and write must make
// progress within timeout, read anew each time.
type timeoutConn struct {
	net.Conn
	timeout func() time.Duration
}

func (c timeoutConn) Read(b []byte) (int, error) {
	c.Conn.SetReadDeadline(time.Now().Add(c.timeout()))
	return c.Conn.Read(b)
}

func (c timeoutConn) Write(b []byte) (int, error) {
	c.Conn.SetWriteDeadline(time.Now().Add(c.timeout()))
	return c.Conn.Write(b)
}
