package main

import (
	"bufio"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestNoBusyAfterForwardedScript: a long write script sent through a
// follower runs in the state machine of every node, the follower's too;
// once its client has the reply, the client's next commands on that
// follower never find it busy with that script, as in Redis, where a
// client's next command runs after its script ended (unit/latency-monitor
// "LATENCY of expire events are correctly collected" sends PEXPIRE and
// DBSIZE right after such an EVAL), and after EXEC of a transaction
// that ran such a script. Before, the leader's reply often
// reached the follower while it still ran the script, and they got BUSY.
func TestNoBusyAfterForwardedScript(t *testing.T) {
	_, _, follower := startClusterWithFollower(t)
	noBusyAfterScript(t, follower.addr())
}

// noBusyAfterScript runs the test's EVAL through addr, then PEXPIRE and
// DBSIZE on the same connection, and fails on a BUSY reply.
func noBusyAfterScript(t *testing.T, addr string) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rr := &respReader{r: bufio.NewReader(c)}
	call := func(args ...string) string {
		t.Helper()
		c.SetDeadline(time.Now().Add(30 * time.Second))
		if _, err := c.Write(appendCommand(nil, args...)); err != nil {
			t.Fatal(err)
		}
		reply, err := rr.read()
		if err != nil {
			t.Fatal(err)
		}
		return string(reply.raw)
	}
	// A low threshold makes a script busy soon after it starts (the
	// setting is each node's own: the follower's is the one that answers).
	if got := call("CONFIG", "SET", "busy-reply-threshold", "10"); got != "+OK\r\n" {
		t.Fatalf("CONFIG SET: %q", got)
	}
	const script = "local i = 0\nwhile (i < tonumber(ARGV[1])) do\n  redis.call('sadd',KEYS[1],i)\n  i = i+1\nend"
	const count = 100000
	busy := 0
	for round := range 8 {
		for call("PING") != "+PONG\r\n" { // the script before may still run (before the fix)
			time.Sleep(10 * time.Millisecond)
		}
		call("DEL", "mybigkey")
		how := "EVAL"
		start := time.Now()
		if multi := round%2 == 1; multi { // in a transaction: EXEC's reply is relayed
			how = "MULTI, EVAL, EXEC"
			call("MULTI")
			call("EVAL", script, "1", "mybigkey", strconv.Itoa(count))
			if got := call("EXEC"); got != "*1\r\n$-1\r\n" {
				t.Fatalf("round %d: EXEC: %q", round, got)
			}
		} else if got := call("EVAL", script, "1", "mybigkey", strconv.Itoa(count)); got != "$-1\r\n" {
			t.Fatalf("round %d: EVAL: %q", round, got)
		}
		took := time.Since(start)
		pexpire := call("PEXPIRE", "mybigkey", "100000")
		dbsize := call("DBSIZE")
		t.Logf("round %d: %s of %d SADDs took %v; PEXPIRE %q, DBSIZE %q", round, how, count, took, pexpire, dbsize)
		if strings.HasPrefix(pexpire, "-BUSY") || strings.HasPrefix(dbsize, "-BUSY") {
			busy++
			continue
		}
		if pexpire != ":1\r\n" || dbsize != ":1\r\n" {
			t.Fatalf("round %d: PEXPIRE %q, DBSIZE %q, want :1 each", round, pexpire, dbsize)
		}
	}
	if busy > 0 {
		t.Fatalf("BUSY right after the script's reply in %d of 8 rounds", busy)
	}
}
