package main

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"
)

// TestTrackedReadScriptOnFollower: a tracking RESP3 client on a follower
// runs EVAL_RO of a script that reads, right after another client's write
// (so the follower is usually behind the leader's read index); a write to
// the script's declared keys then invalidates them for it, as Redis's
// unit/tracking "Tracking only occurs for scripts when a command calls a
// read-only command" expects. Before, a follower behind sent the script to
// the leader, where its keys were not tracked for the client: no
// invalidation came (10 of 10 runs).
func TestTrackedReadScriptOnFollower(t *testing.T) {
	nodes := startCluster(t)
	f := others(nodes, waitForLeader(t, nodes, 10*time.Second))[0]
	dial := func() (net.Conn, *respReader) {
		c, err := net.Dial("tcp", f.addr())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		c.SetDeadline(time.Now().Add(20 * time.Second))
		return c, &respReader{r: bufio.NewReader(c)}
	}
	r, rr := dial()
	w, wr := dial()
	call := func(c net.Conn, rd *respReader, args ...string) string {
		t.Helper()
		if _, err := c.Write(appendCommand(nil, args...)); err != nil {
			t.Fatal(err)
		}
		reply, err := rd.read()
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		return string(reply.raw)
	}
	call(r, rr, "HELLO", "3")
	if got := call(r, rr, "CLIENT", "TRACKING", "on"); got != "+OK\r\n" {
		t.Fatalf("CLIENT TRACKING on: %q", got)
	}
	for i := range 10 {
		call(w, wr, "MSET", "key1{t}", "1", "key2{t}", "1") // the follower is behind after it
		call(r, rr, "EVAL_RO", "redis.call('get', 'key1{t}')", "2", "key1{t}", "key2{t}")
		call(w, wr, "MSET", "key2{t}", "2", "key1{t}", "2")
		r.SetReadDeadline(time.Now().Add(5 * time.Second))
		for _, key := range []string{"key2{t}", "key1{t}"} {
			push, err := rr.read()
			if err != nil || !strings.Contains(string(push.raw), "invalidate") || !strings.Contains(string(push.raw), key) {
				t.Fatalf("round %d: want the invalidation of %s, got %q, %v", i, key, push.raw, err)
			}
		}
	}
}
