package main

import (
	"errors"
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
	_, _, follower := startClusterWithFollower(t)
	addr := follower.addr()
	r := dialRESP(t, addr)
	defer r.call("DEBUG", "SET-ACTIVE-EXPIRE", "1")
	for round := range 3 {
		r.call("FLUSHALL")
		r.call("DEBUG", "SET-ACTIVE-EXPIRE", "0")
		rd := dialRESP(t, addr)
		id := rd.call("CLIENT", "ID")
		id = id[1 : len(id)-2]
		rd.send("BRPOP", "k", "0")
		waitFor(t, 5*time.Second, func() error {
			if !strings.Contains(r.call("INFO", "clients"), "blocked_clients:1") {
				return errors.New("not blocked yet")
			}
			return nil
		})
		for _, args := range [][]string{{"MULTI"}, {"RPUSH", "k", "hello"}, {"PEXPIRE", "k", "100"}, {"DEBUG", "SLEEP", "0.2"}} {
			r.call(args...)
		}
		if got := r.call("EXEC"); got != "*3\r\n:1\r\n:1\r\n+OK\r\n" {
			t.Fatalf("round %d: EXEC %q", round, got)
		}
		if got := r.call("CLIENT", "LIST", "ID", id); !strings.Contains(got, "flags=b") {
			t.Fatalf("round %d: the client is not blocked: %q", round, got)
		}
		if got := r.call("CLIENT", "UNBLOCK", id); got != ":1\r\n" {
			t.Fatalf("round %d: CLIENT UNBLOCK %q", round, got)
		}
		if got := rd.read(); got != "*-1\r\n" {
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
	_, _, follower := startClusterWithFollower(t)
	addr := follower.addr()
	r, rd := dialRESP(t, addr), dialRESP(t, addr)
	id := rd.call("CLIENT", "ID")
	id = id[1 : len(id)-2]
	modes := []struct{ mode, want string }{
		{"", "*-1\r\n"}, {"TIMEOUT", "*-1\r\n"}, {"ERROR", "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n"}}
	for round := range 30 {
		m := modes[round%len(modes)]
		rd.send("BLPOP", "l", "0")
		for !strings.Contains(r.call("INFO", "clients"), "blocked_clients:1") {
		}
		args := []string{"CLIENT", "UNBLOCK", id}
		if m.mode != "" {
			args = append(args, m.mode)
		}
		if got := r.call(args...); got != ":1\r\n" {
			t.Fatalf("round %d: CLIENT UNBLOCK %s answered %q", round, m.mode, got)
		}
		if got := rd.read(); got != m.want {
			t.Fatalf("round %d: the client got %q, want %q", round, got, m.want)
		}
	}
}
