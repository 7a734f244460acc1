package main

import (
	"bufio"
	"net"
	"testing"
	"time"
)

// respConn is a test's raw RESP connection: commands written as given,
// replies and pushes read one at a time, each within 10 s.
type respConn struct {
	t  testing.TB
	c  net.Conn
	rr *respReader
}

// dialRESP connects to addr, closed when the test ends.
func dialRESP(t testing.TB, addr string) *respConn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &respConn{t: t, c: c, rr: &respReader{r: bufio.NewReader(c)}}
}

// send writes one command without reading its reply.
func (x *respConn) send(args ...string) {
	x.t.Helper()
	x.c.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if _, err := x.c.Write(appendCommand(nil, args...)); err != nil {
		x.t.Fatal(err)
	}
}

// read returns the next reply or push, raw.
func (x *respConn) read() string {
	x.t.Helper()
	x.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	reply, err := x.rr.read()
	if err != nil {
		x.t.Fatal(err)
	}
	return string(reply.raw)
}

// call sends one command and returns what comes next.
func (x *respConn) call(args ...string) string {
	x.t.Helper()
	x.send(args...)
	return x.read()
}
