package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"
)

// TestDebugProtocolMatchesRedis compares DEBUG PROTOCOL's raw replies, for
// every type (in two spellings) and for the errors, in RESP2 and RESP3,
// with redis-server 7.0 started with --enable-debug-command yes. Each
// reply is read as the bytes before the answer to a PING sent after it,
// so attributes and pushes, which the test's reply parser does not read,
// are compared too.
func TestDebugProtocolMatchesRedis(t *testing.T) {
	redisAddr := startRedisServer(t, "--enable-debug-command", "yes")
	n := startNode(t)
	cmds := [][]string{{"DEBUG", "PROTOCOL"}, {"DEBUG", "PROTOCOL", "nosuch"}, {"DEBUG", "PROTOCOL", "string", "x"},
		{"DEBUG", "PROTOCOL", "string\x00x"}}
	for _, typ := range []string{"string", "integer", "double", "bignum", "null", "array", "set", "map",
		"attrib", "push", "verbatim", "true", "false"} {
		cmds = append(cmds, []string{"DEBUG", "PROTOCOL", typ}, []string{"debug", "protocol", strings.ToUpper(typ)})
	}
	for _, proto := range []string{"2", "3"} {
		redis, gc := dialRaw(t, redisAddr), dialRaw(t, n.addr())
		rawReply(t, redis, "HELLO", proto)
		rawReply(t, gc, "HELLO", proto)
		for _, c := range cmds {
			want, got := rawReply(t, redis, c...), rawReply(t, gc, c...)
			if want != got {
				t.Errorf("RESP%s %q:\n  redis:     %q\n  geetcache: %q", proto, c, want, got)
			}
		}
	}
}

type rawConn struct {
	c net.Conn
	r *bufio.Reader
}

func dialRaw(t *testing.T, addr string) *rawConn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &rawConn{c: c, r: bufio.NewReader(c)}
}

// rawReply sends args and then PING, and returns the bytes that came
// before PING's +PONG.
func rawReply(t *testing.T, rc *rawConn, args ...string) string {
	t.Helper()
	var b bytes.Buffer
	for _, argv := range [][]string{args, {"PING"}} {
		fmt.Fprintf(&b, "*%d\r\n", len(argv))
		for _, a := range argv {
			fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
		}
	}
	rc.c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := rc.c.Write(b.Bytes()); err != nil {
		t.Fatal(err)
	}
	var got []byte
	for !bytes.HasSuffix(got, []byte("+PONG\r\n")) {
		line, err := rc.r.ReadBytes('\n')
		if err != nil {
			t.Fatalf("reading the reply to %q: %v (so far %q)", args, err, got)
		}
		got = append(got, line...)
	}
	return string(got[:len(got)-len("+PONG\r\n")])
}
