package main

import (
	"bufio"
	"errors"
	"net"
	"strings"
	"testing"
	"time"
)

// TestSleepingTransactionThroughFollower is Redis's unit/type/list "MULTI
// + LPUSH + EXPIRE + DEBUG SLEEP on blocked client, key already expired"
// through a follower: the client blocked in BRPOP (held by the leader) is
// woken by the transaction's RPUSH but served only after its DEBUG SLEEP,
// when the key has expired, so it stays blocked (flags=b on the follower),
// and CLIENT UNBLOCK sent to the follower ends its wait with a null. On
// the code before, the follower slept itself and sent the leader only the
// RPUSH and PEXPIRE: the client got "hello" every time; and CLIENT UNBLOCK
// answered 0 for a client the leader held.
func TestSleepingTransactionThroughFollower(t *testing.T) {
	nodes := startCluster(t)
	addr := others(nodes, waitForLeader(t, nodes, 10*time.Second))[0].addr()
	type conn struct {
		c  net.Conn
		rr *respReader
	}
	dial := func() *conn {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return &conn{c, &respReader{r: bufio.NewReader(c)}}
	}
	read := func(x *conn) string {
		t.Helper()
		x.c.SetReadDeadline(time.Now().Add(10 * time.Second))
		got, err := x.rr.read()
		if err != nil {
			t.Fatal(err)
		}
		return string(got.raw)
	}
	call := func(x *conn, args ...string) string {
		t.Helper()
		if _, err := x.c.Write(appendCommand(nil, args...)); err != nil {
			t.Fatal(err)
		}
		return read(x)
	}
	r := dial()
	defer call(r, "DEBUG", "SET-ACTIVE-EXPIRE", "1")
	for round := range 3 {
		call(r, "FLUSHALL")
		call(r, "DEBUG", "SET-ACTIVE-EXPIRE", "0")
		rd := dial()
		id := call(rd, "CLIENT", "ID")
		id = id[1 : len(id)-2]
		rd.c.Write(appendCommand(nil, "BRPOP", "k", "0"))
		waitFor(t, 5*time.Second, func() error {
			if !strings.Contains(call(r, "INFO", "clients"), "blocked_clients:1") {
				return errors.New("not blocked yet")
			}
			return nil
		})
		for _, args := range [][]string{{"MULTI"}, {"RPUSH", "k", "hello"}, {"PEXPIRE", "k", "100"}, {"DEBUG", "SLEEP", "0.2"}} {
			call(r, args...)
		}
		if got := call(r, "EXEC"); got != "*3\r\n:1\r\n:1\r\n+OK\r\n" {
			t.Fatalf("round %d: EXEC %q", round, got)
		}
		if got := call(r, "CLIENT", "LIST", "ID", id); !strings.Contains(got, "flags=b") {
			t.Fatalf("round %d: the client is not blocked: %q", round, got)
		}
		if got := call(r, "CLIENT", "UNBLOCK", id); got != ":1\r\n" {
			t.Fatalf("round %d: CLIENT UNBLOCK %q", round, got)
		}
		if got := read(rd); got != "*-1\r\n" {
			t.Fatalf("round %d: the blocked client got %q", round, got)
		}
	}
}
