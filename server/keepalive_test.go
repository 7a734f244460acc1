//go:build linux

package server

import (
	"net"
	"syscall"
	"testing"
)

// TestKeepAliveFollowsSetting: an accepted connection gets TCP keepalive
// probes after tcp-keepalive idle seconds (Redis's default 300), a third
// of it apart, and none with 0.
func TestKeepAliveFollowsSetting(t *testing.T) {
	s := &Server{settings: newSettings(Config{})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	for _, tc := range []struct {
		value           string
		on, idle, intvl int
	}{{"300", 1, 300, 100}, {"2", 1, 2, 1}, {"0", 0, -1, -1}} {
		apply, reason := lookupParam([]byte("tcp-keepalive")).set(s.settings, []byte(tc.value))
		if reason != "" {
			t.Fatal(reason)
		}
		apply()
		client, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		nc, err := ln.Accept()
		if err != nil {
			t.Fatal(err)
		}
		s.keepAlive(nc)
		on, idle, intvl := sockopt(t, nc, syscall.SOL_SOCKET, syscall.SO_KEEPALIVE), sockopt(t, nc, syscall.IPPROTO_TCP, syscall.TCP_KEEPIDLE),
			sockopt(t, nc, syscall.IPPROTO_TCP, syscall.TCP_KEEPINTVL)
		if on != tc.on || tc.on == 1 && (idle != tc.idle || intvl != tc.intvl) {
			t.Errorf("tcp-keepalive %s: SO_KEEPALIVE %d, TCP_KEEPIDLE %d, TCP_KEEPINTVL %d; want %d, %d, %d",
				tc.value, on, idle, intvl, tc.on, tc.idle, tc.intvl)
		}
		client.Close()
		nc.Close()
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
