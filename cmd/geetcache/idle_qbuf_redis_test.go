package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestIdleReadBufferGivenBack: a client that moves no bytes for about two
// seconds gives its read buffer back, as Redis frees an idle client's
// query buffer, and gets one again with its next command; CLIENT LIST's
// qbuf + qbuf-free shows it (unit/querybuf's "query buffer resized
// correctly" asks the same of Redis). The steps run on redis-server 7.0 and
// on a node. Before, geetcache's buffer stayed for the connection's life
// and CLIENT LIST showed qbuf-free=0 always.
func TestIdleReadBufferGivenBack(t *testing.T) {
	for _, addr := range redisAndNode(t) {
		idle := dialDiffSide(t, addr.name, addr.addr)
		admin := dialDiffSide(t, addr.name, addr.addr)
		mustReply(t, idle, "+OK\r\n", "CLIENT", "SETNAME", "idle_client")
		if size, _ := queryBuffer(t, admin, "idle_client"); size < 16384 || size >= 32768 {
			t.Fatalf("%s: a fresh client's query buffer is %d bytes, want 16 KiB to 32 KiB", addr.name, size)
		}
		waitFor(t, 10*time.Second, func() error {
			if size, idleSecs := queryBuffer(t, admin, "idle_client"); size != 0 || idleSecs < 2 {
				return fmt.Errorf("%s: the idle client holds %d bytes after %d s", addr.name, size, idleSecs)
			}
			return nil
		})
		mustReply(t, idle, "+PONG\r\n", "PING") // after the release
		if size, _ := queryBuffer(t, admin, "idle_client"); size == 0 {
			t.Fatalf("%s: no query buffer after a command", addr.name)
		}
	}
}

var (
	qbufField = regexp.MustCompile(` qbuf=(\d+) qbuf-free=(\d+) `)
	idleField = regexp.MustCompile(` idle=(\d+) `)
	nameField = regexp.MustCompile(` name=(\S*) `)
)

// queryBuffer returns qbuf + qbuf-free and idle of the client named name,
// from CLIENT LIST through admin.
func queryBuffer(t *testing.T, admin *diffSide, name string) (size, idle int) {
	t.Helper()
	rep, err := admin.roundTrip([]string{"CLIENT", "LIST"})
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(rep.raw), "\n") {
		if m := nameField.FindStringSubmatch(line); m == nil || m[1] != name {
			continue
		}
		q := qbufField.FindStringSubmatch(line)
		i := idleField.FindStringSubmatch(line)
		if q == nil || i == nil {
			t.Fatalf("%s: CLIENT LIST line without qbuf or idle: %q", admin.name, line)
		}
		a, _ := strconv.Atoi(q[1])
		b, _ := strconv.Atoi(q[2])
		idle, _ = strconv.Atoi(i[1])
		return a + b, idle
	}
	t.Fatalf("%s: no client named %s in CLIENT LIST", admin.name, name)
	return 0, 0
}

// TestBigArgumentBufferKept runs unit/querybuf's "query buffer resized
// correctly when not idle" on redis-server and on a node: after a 400 KB
// argument the client holds a query buffer over 32 KiB (the slice kept for
// the next big argument), and while it sends small commands the buffer
// shrinks within a second, to more than nothing. It failed before the
// slice was kept (the client held 16 KiB right after the big argument).
func TestBigArgumentBufferKept(t *testing.T) {
	for _, addr := range redisAndNode(t) {
		big := dialDiffSide(t, addr.name, addr.addr)
		admin := dialDiffSide(t, addr.name, addr.addr)
		mustReply(t, big, "+OK\r\n", "CLIENT", "SETNAME", "big_client")
		if rep, err := big.roundTrip([]string{"SET", "x", strings.Repeat("A", 400000)}); err != nil || string(rep.raw) != "+OK\r\n" {
			t.Fatalf("%s: the 400 KB SET answered %q (%v)", addr.name, rep.raw, err) // not mustReply: it would print the value
		}
		orig, _ := queryBuffer(t, admin, "big_client")
		if orig <= 32768 {
			t.Fatalf("%s: the query buffer is %d bytes after a 400 KB argument, want over 32 KiB", addr.name, orig)
		}
		size := orig
		for start := time.Now(); size >= orig && time.Since(start) < time.Second; size, _ = queryBuffer(t, admin, "big_client") {
			mustReply(t, big, "+OK\r\n", "SET", "x", strings.Repeat("A", 100))
			time.Sleep(10 * time.Millisecond) // the test's own pace: small commands, one every 10 ms
		}
		if size <= 0 || size >= orig {
			t.Fatalf("%s: the query buffer is %d bytes after a second of small commands, want 0 < size < %d", addr.name, size, orig)
		}
	}
}
