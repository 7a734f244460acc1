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

// TestClientUnblockThroughFollower is Redis's unit/type/list "client
// unblock tests" through a follower: CLIENT UNBLOCK, sent as soon as the
// follower counts the client blocked (it counts it from the moment the
// command is written to the leader), ends the wait the leader holds, with
// TIMEOUT's null or ERROR's UNBLOCKED error. Before, it could answer 0 when
// the leader had not yet blocked the client (or its link ID was not yet
// known), and the client waited for ever.
func TestClientUnblockThroughFollower(t *testing.T) {
	nodes := startCluster(t)
	addr := others(nodes, waitForLeader(t, nodes, 10*time.Second))[0].addr()
	dial := func() (net.Conn, *respReader) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c, &respReader{r: bufio.NewReader(c)}
	}
	read := func(c net.Conn, rr *respReader) string {
		t.Helper()
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		got, err := rr.read()
		if err != nil {
			t.Fatal(err)
		}
		return string(got.raw)
	}
	call := func(c net.Conn, rr *respReader, args ...string) string {
		t.Helper()
		c.Write(appendCommand(nil, args...))
		return read(c, rr)
	}
	r, rr := dial()
	rd, rdr := dial()
	id := call(rd, rdr, "CLIENT", "ID")
	id = id[1 : len(id)-2]
	modes := []struct{ mode, want string }{
		{"", "*-1\r\n"}, {"TIMEOUT", "*-1\r\n"}, {"ERROR", "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n"}}
	for round := range 30 {
		m := modes[round%len(modes)]
		rd.Write(appendCommand(nil, "BLPOP", "l", "0"))
		for !strings.Contains(call(r, rr, "INFO", "clients"), "blocked_clients:1") {
		}
		args := []string{"CLIENT", "UNBLOCK", id}
		if m.mode != "" {
			args = append(args, m.mode)
		}
		if got := call(r, rr, args...); got != ":1\r\n" {
			t.Fatalf("round %d: CLIENT UNBLOCK %s answered %q", round, m.mode, got)
		}
		if got := read(rd, rdr); got != m.want {
			t.Fatalf("round %d: the client got %q, want %q", round, got, m.want)
		}
	}
}
