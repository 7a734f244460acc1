package server

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestRepliesWrittenAsMade: a pipeline whose replies add up to far more
// than replyChunk, mixing large reads with writes (group-committed between
// them), gets every reply whole and in order while the client reads slowly.
func TestRepliesWrittenAsMade(t *testing.T) {
	r := dialRaw(t, startServer(t))
	big := strings.Repeat("b", 256<<10)
	var req bytes.Buffer
	cmd := func(args ...string) {
		fmt.Fprintf(&req, "*%d\r\n", len(args))
		for _, a := range args {
			fmt.Fprintf(&req, "$%d\r\n%s\r\n", len(a), a)
		}
	}
	var want []string
	cmd("SET", "big", big)
	want = append(want, "+OK\r\n")
	for i := range 200 {
		s := "s" + strconv.Itoa(i)
		cmd("GET", "big")
		cmd("INCR", "n")
		cmd("SET", s, s)
		cmd("GET", s)
		want = append(want, bulk(big), ":"+strconv.Itoa(i+1)+"\r\n", "+OK\r\n", bulk(s))
	}
	go r.nc.Write(req.Bytes()) // the server writes replies while this is sent
	r.nc.SetReadDeadline(time.Now().Add(30 * time.Second))
	for i, w := range want {
		if got := r.reply(); got != w {
			t.Fatalf("reply %d: got %d bytes %.40q, want %d bytes %.40q", i, len(got), got, len(w), w)
		}
		if i%50 == 0 {
			time.Sleep(10 * time.Millisecond) // a slow reader
		}
	}
}

// TestSoftOutputLimit: with only a soft limit, a client that stays above
// it for more than its seconds is closed; one that reads is not.
func TestSoftOutputLimit(t *testing.T) {
	addr := startServer(t)
	admin := dialRaw(t, addr)
	if got := admin.do("CONFIG", "SET", "client-output-buffer-limit", "normal 0 1mb 1"); got != "+OK\r\n" {
		t.Fatalf("CONFIG SET = %q", got)
	}
	admin.do("SET", "big", strings.Repeat("b", 1<<20))
	reader := dialRaw(t, addr)
	for range 3 {
		if got := reader.do("GET", "big"); len(got) != 1<<20+len("$1048576\r\n\r\n") {
			t.Fatalf("GET big by a reading client: %d bytes", len(got))
		}
	}
	idle := dialRaw(t, addr)
	idle.nc.Write(bytes.Repeat([]byte("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n"), 50))
	start := time.Now()
	for {
		if !strings.Contains(admin.do("CLIENT", "LIST"), "id=3 ") {
			break
		}
		if time.Since(start) > 10*time.Second {
			t.Fatalf("client over the soft limit still connected after %v:\n%s", time.Since(start), admin.do("CLIENT", "LIST"))
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("closed %.2f s after its pipeline was sent (soft limit 1 s)", time.Since(start).Seconds())
	if got := reader.do("PING"); got != "+PONG\r\n" {
		t.Fatalf("the reading client after: %q", got)
	}
}
