package main

import (
	"strings"
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
	for _, side := range redisAndNode(t) {
		t.Run(side.name, func(t *testing.T) {
			admin := dialDiffSide(t, side.name, side.addr)
			for _, u := range [][2]string{{"self", "+acl"}, {"other", "+acl"}, {"unrestricted", "+@all"}} {
				mustReply(t, admin, "+OK\r\n", "ACL", "SETUSER", u[0], "on", u[1], "~*", ">pw")
			}
			for _, user := range []string{"self", "unrestricted"} { // the checked and the unchecked path
				self := dialDiffSide(t, side.name, side.addr)
				mustReply(t, self, "+OK\r\n", "AUTH", user, "pw")
				self.send([][]string{{"ACL", "DELUSER", user}, {"PING"}})
				requireRepliesThenEOF(t, self, ":1\r\n")
			}
			other := dialDiffSide(t, side.name, side.addr)
			mustReply(t, other, "+OK\r\n", "AUTH", "other", "pw")

			mustReply(t, admin, ":1\r\n", "ACL", "DELUSER", "other")
			other.send([][]string{{"PING"}})
			requireRepliesThenEOF(t, other)
		})
	}
}

// mustReply sends args and requires the reply want (raw RESP).
func mustReply(t *testing.T, s *diffSide, want string, args ...string) {
	t.Helper()
	rep, err := s.roundTrip(args)
	if err != nil {
		t.Fatal(err)
	}
	if string(rep.raw) != want {
		t.Fatalf("%s: %q answered %q, want %q", s.name, args, rep.raw, want)
	}
}

// requireRepliesThenEOF flushes what was sent and requires the replies
// want (raw RESP), then the end of the connection (readUntilClosed).
func requireRepliesThenEOF(t *testing.T, s *diffSide, want ...string) {
	t.Helper()
	if err := s.w.Flush(); err != nil {
		t.Fatal(err)
	}
	if s.r.r.Buffered() > 0 { // every earlier reply was read
		t.Fatalf("%s: unread bytes before the replies", s.name)
	}
	got, err := readUntilClosed(s.conn, diffTimeout)
	if string(got) != strings.Join(want, "") || err != nil {
		t.Fatalf("%s: after the user was deleted the connection answered %q (%v), want %q then closed",
			s.name, got, err, strings.Join(want, ""))
	}
}
