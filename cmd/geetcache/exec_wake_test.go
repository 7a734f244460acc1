package main

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestWokenClientServedAfterExec is Redis's unit/slowlog "Rewritten
// commands are logged as their original command", its last step, through
// a follower and through the leader: a client blocked in BLPOP is woken by
// a transaction's LPUSH that also resets the slow log, so Redis serves it
// after EXEC and the slow log then holds BLPOP and SLOWLOG RESET, newest
// first, as Redis 7.0.15 answers. Before server/exec_gate.go, the
// follower relayed BLPOP's reply while its own part of EXEC (SLOWLOG
// RESET, and the transaction's entries in the slow log) was still to run:
// the reset removed BLPOP's entry in 20 of 20 tries; and on either node
// LPUSH, logged after EXEC, was left in the log the reset had cleared.
func TestWokenClientServedAfterExec(t *testing.T) {
	_, leader, follower := startClusterWithFollower(t)
	for _, n := range []struct {
		name string
		n    *node
	}{{"follower", follower}, {"leader", leader}} {
		r, rd := dialRESP(t, n.n.addr()), dialRESP(t, n.n.addr())
		if got := r.call("CONFIG", "SET", "slowlog-log-slower-than", "0"); got != "+OK\r\n" {
			t.Fatalf("%s: CONFIG SET %q", n.name, got)
		}
		for round := range 10 {
			rd.send("BLPOP", "l", "0")
			waitFor(t, 5*time.Second, func() error {
				if !strings.Contains(r.call("INFO", "clients"), "blocked_clients:1") {
					return errors.New("not blocked yet")
				}
				return nil
			})
			for _, args := range [][]string{{"MULTI"}, {"LPUSH", "l", "foo"}, {"SLOWLOG", "RESET"}} {
				r.call(args...)
			}
			if got := r.call("EXEC"); got != "*2\r\n:1\r\n+OK\r\n" {
				t.Fatalf("%s, round %d: EXEC %q", n.name, round, got)
			}
			if got := rd.read(); got != "*2\r\n$1\r\nl\r\n$3\r\nfoo\r\n" {
				t.Fatalf("%s, round %d: BLPOP %q", n.name, round, got)
			}
			log := r.call("SLOWLOG", "GET")
			blpop := strings.Index(log, "*3\r\n$5\r\nBLPOP\r\n$1\r\nl\r\n$1\r\n0\r\n")
			reset := strings.Index(log, "*2\r\n$7\r\nSLOWLOG\r\n$5\r\nRESET\r\n")
			if !strings.HasPrefix(log, "*2\r\n") || blpop < 0 || reset < blpop {
				t.Fatalf("%s, round %d: SLOWLOG GET %q, want BLPOP l 0 then SLOWLOG RESET", n.name, round, log)
			}
		}
		r.call("CONFIG", "SET", "slowlog-log-slower-than", "10000")
	}
}
