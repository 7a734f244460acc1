//go:build linux

package server

import (
	"net"
	"syscall"
	"testing"
)

// TestKeepAliveFollowsSetting: an accepted connection gets TCP keepalive
// probes after tcp-keepalive idle seconds (Redis's default 300), a third
// of it apart as Redis rounds it (at least 1), and none with 0: the first
// connection after a change by itself, the next ones inherited from the
// listener (Linux copies a listening socket's options to those it accepts).
func TestKeepAliveFollowsSetting(t *testing.T) {
	s := &Server{settings: newSettings(Config{})}
	ln, err := listenTCP("127.0.0.1:0") // as the server listens: Go sets no keepalive of its own
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ka := s.newListenerKeepAlive(ln)
	for _, tc := range []struct {
		value           string
		on, idle, intvl int
	}{{"300", 1, 300, 100}, {"2", 1, 2, 1}, {"4", 1, 4, 1}, {"0", 0, -1, -1}, {"10", 1, 10, 3}} {
		apply, reason := lookupParam([]byte("tcp-keepalive")).set(s.settings, []byte(tc.value))
		if reason != "" {
			t.Fatal(reason)
		}
		apply()
		for round := range 2 { // the first after the change, then one the listener made
			client, nc := dialAccepted(t, ln)
			ka.follow(s, nc)
			on, idle, intvl := sockopt(t, nc, syscall.SOL_SOCKET, syscall.SO_KEEPALIVE), sockopt(t, nc, syscall.IPPROTO_TCP, syscall.TCP_KEEPIDLE),
				sockopt(t, nc, syscall.IPPROTO_TCP, syscall.TCP_KEEPINTVL)
			if on != tc.on || tc.on == 1 && (idle != tc.idle || intvl != tc.intvl) {
				t.Errorf("tcp-keepalive %s, connection %d: SO_KEEPALIVE %d, TCP_KEEPIDLE %d, TCP_KEEPINTVL %d; want %d, %d, %d",
					tc.value, round, on, idle, intvl, tc.on, tc.idle, tc.intvl)
			}
			client.Close()
			nc.Close()
		}
		if tc.on == 1 && ka.applied != int64(tc.idle) {
			t.Errorf("tcp-keepalive %s: the listener has %d", tc.value, ka.applied)
		}
	}
}

func sockopt(t *testing.T, nc net.Conn, level, opt int) int {
	t.Helper()
	rc, err := nc.(*net.TCPConn).SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var v int
	var gerr error
	rc.Control(func(fd uintptr) { v, gerr = syscall.GetsockoptInt(int(fd), level, opt) })
	if gerr != nil {
		t.Fatal(gerr)
	}
	return v
}
