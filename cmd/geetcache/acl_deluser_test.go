package main

import (
	"errors"
	"io"
	"syscall"
	"testing"
)

// TestDeletedUserClosesWithoutReply: a connection whose user is deleted
// is closed, as Redis closes it, without a reply to a command that
// follows. The deletion and the command arrive in one write, so the
// command is read before the server's user watcher can run: the check
// that sees the deleted user must close the connection itself. Both the
// connection that deletes its own user (its reply to ACL DELUSER goes out
// first), with a user Redis checks and one it does not (+@all), and
// another connection of a deleted user are asked.
func TestDeletedUserClosesWithoutReply(t *testing.T) {
	redisAddr := startRedisServer(t)
	n := startNode(t)
	for _, side := range []struct{ name, addr string }{{"redis", redisAddr}, {"geetcache", n.addr()}} {
		t.Run(side.name, func(t *testing.T) {
			admin := dialDiffSide(t, side.name, side.addr)
			for _, user := range []string{"self", "other", "unrestricted"} {
				perm := map[bool]string{true: "+@all", false: "+acl"}[user == "unrestricted"]
				mustReply(t, admin, "+OK\r\n", []string{"ACL", "SETUSER", user, "on", perm, "~*", ">pw"})
			}
			for _, user := range []string{"self", "unrestricted"} { // the checked and the unchecked path
				self := dialDiffSide(t, side.name, side.addr)
				mustReply(t, self, "+OK\r\n", []string{"AUTH", user, "pw"})
				self.send([][]string{{"ACL", "DELUSER", user}, {"PING"}})
				requireRepliesThenEOF(t, self, ":1\r\n")
			}
			other := dialDiffSide(t, side.name, side.addr)
			mustReply(t, other, "+OK\r\n", []string{"AUTH", "other", "pw"})

			mustReply(t, admin, ":1\r\n", []string{"ACL", "DELUSER", "other"})
			other.send([][]string{{"PING"}})
			requireRepliesThenEOF(t, other)
		})
	}
}

// mustReply sends cmds and requires the last reply to be want (raw RESP).
func mustReply(t *testing.T, s *diffSide, want string, cmds ...[]string) {
	t.Helper()
	s.send(cmds)
	reps, err := s.replies(len(cmds))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(reps[len(reps)-1].raw); got != want {
		t.Fatalf("%s: %q answered %q, want %q", s.name, cmds[len(cmds)-1], got, want)
	}
}

// requireRepliesThenEOF flushes what was sent, requires the replies want
// (raw RESP) and then the end of the connection.
func requireRepliesThenEOF(t *testing.T, s *diffSide, want ...string) {
	t.Helper()
	reps, err := s.replies(len(want))
	if err != nil {
		t.Fatal(err)
	}
	for i, rep := range reps {
		if string(rep.raw) != want[i] {
			t.Fatalf("%s: reply %d is %q, want %q", s.name, i+1, rep.raw, want[i])
		}
	}
	if rep, err := s.r.read(); !errors.Is(err, io.EOF) && !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("%s: after the user was deleted the connection answered %q (%v), want it closed", s.name, rep.raw, err)
	}
}
