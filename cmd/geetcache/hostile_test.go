package main

import (
	"bytes"
	"fmt"
	"io"
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
		{"missing dollar, CR shown as a space", []byte("*2\r\n\r\n"), "expected '$', got ' '"},
		{"missing dollar, byte shown raw", []byte("*2\r\n\xffab\r\n"), "expected '$', got '\xff'"},
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
func rss(t testing.TB, pid int) int64 { return procStatusBytes(t, pid, "VmRSS:") }

// procStatusBytes reads a "<field> <n> kB" line of /proc/<pid>/status.
func procStatusBytes(t testing.TB, pid int, field string) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatalf("read %s: %v", field, err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == field {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
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

// TestHostileBlockedClient: a client blocked in BLPOP q 0 sends bytes that
// never end a command. Redis keeps them in its query buffer and, once they
// pass client-query-buffer-limit (1 GB), closes the client without a
// reply. geetcache parses them as they arrive under the usual limits (this
// stream is a protocol error after 64 KB, and nothing past an error is
// kept) and closes the client at the same limit. Memory must not follow
// what arrives: before the fix, 200 MB sent grew RSS by 743 MB.
func TestHostileBlockedClient(t *testing.T) {
	n := startNode(t)
	rc := n.Client()
	c := n.Dial()
	if _, err := c.Write([]byte("*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n")); err != nil {
		t.Fatalf("write BLPOP: %v", err)
	}
	waitBlocked(t, rc, 1)
	t.Logf("RSS while blocked: %d MB", rss(t, n.pid())>>20)
	chunk := bytes.Repeat([]byte("a"), 1<<20)
	const limitMB = 1 << 10 // client-query-buffer-limit
	start := time.Now()
	sent := 0
	var werr error
	for sent < limitMB+64 {
		c.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if _, werr = c.Write(chunk); werr != nil {
			break
		}
		sent++
		if sent%16 == 0 {
			if got := rss(t, n.pid()); got > rssLimit {
				t.Fatalf("RSS %d MB after %d MB sent by a blocked client, want under %d MB", got>>20, sent, rssLimit>>20)
			}
		}
	}
	got, err := readUntilClosed(c, 10*time.Second)
	t.Logf("sent %d MB in %v (write error: %v); RSS %d MB", sent, time.Since(start).Round(time.Millisecond), werr, rss(t, n.pid())>>20)
	if err != nil || len(got) != 0 {
		t.Fatalf("got %q (read error %v), want the connection closed without a reply", got, err)
	}
	if sent < limitMB {
		t.Fatalf("closed after %d MB, before the %d MB limit", sent, limitMB)
	}
	waitBlocked(t, rc, 0)
	if got := rss(t, n.pid()); got > rssLimit {
		t.Fatalf("RSS %d MB after the blocked client was closed, want under %d MB", got>>20, rssLimit>>20)
	}
	if err := n.ping(); err != nil {
		t.Fatalf("PING after the blocked client: %v", err)
	}
}

// TestHostileChunkedPipeline sends a pipeline of SETs in writes of one and
// a half commands, so that reads end mid-command. redcon's reader doubled
// its buffer whenever a read ended mid-command at its end and never
// rewound, so the buffer grew with the stream (64 MiB left 128 MiB). The
// reader's memory must not depend on the stream's length. GOGC=100 turns
// off the collector's headroom (gcheadroom.go), which lets up to 32 MB of
// the SETs' garbage wait for a cycle: this test measures the reader.
func TestHostileChunkedPipeline(t *testing.T) {
	n := startNodeEnv(t, []string{"GOGC=100"})
	cmd := []byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$8000\r\n" + strings.Repeat("v", 8000) + "\r\n")
	const total = 24 << 20
	count := total / len(cmd)
	stream := bytes.Repeat(cmd, count)
	c := n.Dial()
	replies := make(chan error, 1)
	go func() {
		want := bytes.Repeat([]byte("+OK\r\n"), count)
		got := make([]byte, len(want))
		c.SetReadDeadline(time.Now().Add(60 * time.Second))
		_, err := io.ReadFull(c, got)
		if err == nil && !bytes.Equal(got, want) {
			err = fmt.Errorf("replies are not all +OK")
		}
		replies <- err
	}()
	n.ping()
	before := procStatusBytes(t, n.pid(), "RssAnon:")
	start := time.Now()
	piece := len(cmd) * 3 / 2
	c.SetWriteDeadline(time.Now().Add(60 * time.Second))
	for off := 0; off < len(stream); off += piece {
		if _, err := c.Write(stream[off:min(off+piece, len(stream))]); err != nil {
			t.Fatalf("write: %v", err)
		}
	}
	if err := <-replies; err != nil {
		t.Fatalf("replies: %v", err)
	}
	after := procStatusBytes(t, n.pid(), "RssAnon:")
	t.Logf("%d SETs (%d MB) in %d-byte writes took %v; anonymous RSS %d MB before, %d MB after",
		count, total>>20, piece, time.Since(start).Round(time.Millisecond), before>>20, after>>20)
	if grew := after - before; grew > 16<<20 {
		t.Fatalf("anonymous RSS grew by %d MB over a %d MB pipeline, want under 16 MB", grew>>20, total>>20)
	}
}

// TestHostileArgumentCount times one command by its number of arguments.
// redcon parsed a partial multibulk again from its start on every read,
// so time grew with the square of the argument count (40k vs 4k arguments
// of 1 KiB: 34 times the time; a DEL of 1,048,575 tiny arguments: 16.5 s).
func TestHostileArgumentCount(t *testing.T) {
	n := startNode(t)
	arg := strings.Repeat("k", 1024)
	small := bestOf(t, n, 5, multibulk("EXISTS", arg, 4000), ":0\r\n")
	large := bestOf(t, n, 5, multibulk("EXISTS", arg, 40000), ":0\r\n")
	ratio := float64(large) / float64(small)
	t.Logf("EXISTS with 4k arguments of 1 KiB: %v; with 40k: %v; ratio %.1f (linear: 10, quadratic: 100)", small, large, ratio)
	// Logged, not checked: on a loaded machine (one run here at load 42)
	// a linear parser measured 34.8, as much as redcon's quadratic one did
	// on a quiet one. The DEL below tells them apart: 16.5 s quadratic,
	// about 1 s linear.
	del := bestOf(t, n, 1, multibulk("DEL", "k", 1<<20-1), ":0\r\n")
	t.Logf("DEL of 1,048,575 one-byte keys: %v", del)
	if del > 8*time.Second {
		t.Errorf("DEL of 1,048,575 keys took %v, want under 8 s (quadratic parsing: 16.5 s)", del)
	}
}

// multibulk encodes name followed by count copies of arg.
func multibulk(name, arg string, count int) []byte {
	b := fmt.Appendf(nil, "*%d\r\n$%d\r\n%s\r\n", count+1, len(name), name)
	one := fmt.Sprintf("$%d\r\n%s\r\n", len(arg), arg)
	return append(b, strings.Repeat(one, count)...)
}

// bestOf sends req on a fresh connection runs times and returns the
// shortest time from the first byte sent to the whole reply, want.
func bestOf(t *testing.T, n *node, runs int, req []byte, want string) time.Duration {
	t.Helper()
	best := time.Duration(1 << 62)
	for range runs {
		c := n.Dial()
		c.SetDeadline(time.Now().Add(120 * time.Second))
		start := time.Now()
		go c.Write(req)
		got := make([]byte, len(want))
		if _, err := io.ReadFull(c, got); err != nil || string(got) != want {
			t.Fatalf("reply %q (%v), want %q", got, err, want)
		}
		best = min(best, time.Since(start))
		c.Close()
	}
	return best
}
