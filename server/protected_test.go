package server

import (
	"log/slog"
	"net"
	"testing"

	"github.com/geetcache/geetcache/protocol"
)

// addrConn is a net.Conn that only knows its peer's address.
type addrConn struct {
	net.Conn
	remote net.Addr
}

func (c addrConn) RemoteAddr() net.Addr { return c.remote }

// TestProtectedRefusal is Redis 7.0's protected-mode rule: refuse a peer
// not on loopback while protected mode is on and the default user has no
// password (--requirepass counts), whatever the bind addresses.
func TestProtectedRefusal(t *testing.T) {
	tcp := func(ip string) net.Addr { return &net.TCPAddr{IP: net.ParseIP(ip), Port: 5000} }
	cases := []struct {
		name      string
		off       bool
		pass      string
		remote    net.Addr
		wantRefus bool
	}{
		{"loopback v4", false, "", tcp("127.0.0.1"), false},
		{"rest of 127/8: not local to Redis (islocalClient)", false, "", tcp("127.3.2.1"), true},
		{"loopback v6", false, "", tcp("::1"), false},
		{"other host", false, "", tcp("192.0.2.7"), true},
		{"other host v6", false, "", tcp("2001:db8::7"), true},
		{"unix socket", false, "", &net.UnixAddr{Name: "/x", Net: "unix"}, false},
		{"protected mode off", true, "", tcp("192.0.2.7"), false},
		{"no ACL service: nothing checks a password", false, "pw", tcp("192.0.2.7"), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := New(Config{Logger: slog.New(slog.DiscardHandler), NoProtectedMode: tc.off, RequirePass: tc.pass}, nil)
			got := s.protectedRefusal(addrConn{remote: tc.remote})
			if (got != "") != tc.wantRefus || (got != "" && got != protocol.ErrProtectedMode) {
				t.Fatalf("refusal = %q, want refused %v", got, tc.wantRefus)
			}
		})
	}
}

// TestIsLocal: a client is local as Redis's islocalClient judges it (for
// protected mode and enable-debug-command local): 127.0.0.1, ::1 (an IPv4
// client of a dual-stack listener too) or a Unix socket, and no other
// address of 127/8.
func TestIsLocal(t *testing.T) {
	for _, tc := range []struct {
		addr net.Addr
		want bool
	}{
		{&net.TCPAddr{IP: net.ParseIP("127.0.0.1"), Port: 5}, true},
		{&net.TCPAddr{IP: net.ParseIP("::1"), Port: 5}, true},
		{&net.TCPAddr{IP: net.ParseIP("::ffff:127.0.0.1"), Port: 5}, true},
		{&net.TCPAddr{IP: net.ParseIP("127.0.0.2"), Port: 5}, false},
		{&net.TCPAddr{IP: net.ParseIP("10.0.0.1"), Port: 5}, false},
		{&net.UnixAddr{Name: "/tmp/g.sock", Net: "unix"}, true},
	} {
		if got := isLocal(tc.addr); got != tc.want {
			t.Errorf("isLocal(%v) = %v, want %v", tc.addr, got, tc.want)
		}
	}
}
