package main

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestHostileInput sends malformed requests, each on its own connection,
// and expects Redis 7.0.15's exact error line followed by the server
// closing the connection. Every expected line was checked against
// redis-server 7.0.15.
func TestHostileInput(t *testing.T) {
	n := startNode(t)
	cases := []struct {
		name  string
		input []byte
		want  string
	}{
		{"bulk length 2^63-1", []byte("*1\r\n$9223372036854775807\r\n"), "invalid bulk length"},
		{"multibulk count 2^63-1", []byte("*9223372036854775807\r\n"), "invalid multibulk length"},
		{"bulk over 512 MB", []byte("*1\r\n$600000000\r\n"), "invalid bulk length"},
		{"negative bulk length", []byte("*1\r\n$-1\r\n"), "invalid bulk length"},
		{"bulk length with plus sign", []byte("*1\r\n$+3\r\nfoo\r\n"), "invalid bulk length"},
		{"bulk length with leading zero", []byte("*1\r\n$04\r\nPING\r\n"), "invalid bulk length"},
		{"multibulk count with plus sign", []byte("*+1\r\n$4\r\nPING\r\n"), "invalid multibulk length"},
		{"missing dollar", []byte("*2\r\nfoo\r\n"), "expected '$', got 'f'"},
		{"70 KB inline without newline", bytes.Repeat([]byte("a"), 70<<10), "too big inline request"},
		{"70 KB multibulk count", append([]byte("*"), bytes.Repeat([]byte("1"), 70<<10)...), "too big mbulk count string"},
		{"70 KB bulk length", append([]byte("*1\r\n$"), bytes.Repeat([]byte("1"), 70<<10)...), "too big bulk count string"},
		{"unbalanced quotes inline", []byte("SET \"a b\r\n"), "unbalanced quotes in request"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := n.Dial()
			c.SetWriteDeadline(time.Now().Add(5 * time.Second))
			c.Write(tc.input) // the server may close before reading it all
			got, err := readUntilClosed(c, 10*time.Second)
			want := "-ERR Protocol error: " + tc.want + "\r\n"
			if err != nil || string(got) != want {
				t.Fatalf("got %q (read error %v), want %q then close", got, err, want)
			}
		})
	}
	if err := n.ping(); err != nil {
		t.Fatalf("PING after hostile input: %v", err)
	}
	t.Run("declared 512 MB bulk is not preallocated", func(t *testing.T) { testHugeDeclaredBulk(t, n) })
}

// rssLimit bounds the server's resident memory while a client has declared
// a 512 MB bulk and sent 1 MB of it. An idle node uses a few tens of MB; a
// server that trusted the declared length would hold at least 512 MB.
const rssLimit = 200 << 20

func testHugeDeclaredBulk(t *testing.T, n *node) {
	t.Logf("RSS before: %d MB", rss(t, n.pid())>>20)
	c := n.Dial()
	c.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write([]byte("*2\r\n$3\r\nGET\r\n$536870912\r\n")); err != nil {
		t.Fatalf("write header: %v", err)
	}
	if _, err := c.Write(bytes.Repeat([]byte("x"), 1<<20)); err != nil {
		t.Fatalf("write 1 MB: %v", err)
	}
	waitFor(t, 10*time.Second, serverDrained(c))
	if got := rss(t, n.pid()); got > rssLimit {
		t.Fatalf("RSS %d MB after 1 MB of a declared 512 MB bulk, want under %d MB", got>>20, rssLimit>>20)
	} else {
		t.Logf("RSS with the partial bulk: %d MB", got>>20)
	}
	c.Close()
	if err := n.ping(); err != nil {
		t.Fatalf("PING after the partial bulk: %v", err)
	}
	if got := rss(t, n.pid()); got > rssLimit {
		t.Fatalf("RSS %d MB after the client left, want under %d MB", got>>20, rssLimit>>20)
	}
}

// rss reads VmRSS of pid in bytes.
func rss(t testing.TB, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatalf("read VmRSS: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	t.Fatalf("no VmRSS in /proc/%d/status", pid)
	return 0
}

// serverDrained reports whether the server's end of c has read everything
// c sent: its socket's receive queue in /proc/net/tcp is empty.
func serverDrained(c net.Conn) func() error {
	local := c.LocalAddr().(*net.TCPAddr)
	remote := c.RemoteAddr().(*net.TCPAddr)
	// The server's socket has the client's remote as its local address.
	want := fmt.Sprintf("%s %s", procAddr(remote), procAddr(local))
	return func() error {
		b, err := os.ReadFile("/proc/net/tcp")
		if err != nil {
			return err
		}
		for _, line := range strings.Split(string(b), "\n") {
			f := strings.Fields(line)
			if len(f) > 4 && f[1]+" "+f[2] == want {
				if rx := f[4][strings.IndexByte(f[4], ':')+1:]; strings.Trim(rx, "0") != "" {
					return fmt.Errorf("server socket still has 0x%s bytes unread", rx)
				}
				return nil
			}
		}
		return fmt.Errorf("server socket %s not found in /proc/net/tcp", want)
	}
}

// procAddr formats an IPv4 address as /proc/net/tcp does: the address as
// a little-endian hex word, then the port in hex.
func procAddr(a *net.TCPAddr) string {
	ip := a.IP.To4()
	return fmt.Sprintf("%02X%02X%02X%02X:%04X", ip[3], ip[2], ip[1], ip[0], a.Port)
}
