package server

import (
	"strings"
	"testing"
)

// TestQuitGoneBeforeReply: once a client has read QUIT's +OK, the node has
// forgotten that connection, as Redis has (it frees the client before it
// reads anyone's next command): CLIENT KILL ID finds nobody, and a write
// to a key tracked with a redirection to it tells the tracking client that
// its redirection is broken. Before, the connection left the list only
// after its +OK was out, and a write just then sent the invalidation to the
// closing connection: the tracking client waited for ever (Redis's
// unit/tracking "tracking-redir-broken with client reply off", cut by CI's
// unit timeout once).
func TestQuitGoneBeforeReply(t *testing.T) {
	ts := startTrackingServer(t)
	w := dialRaw(t, ts.addr)
	tr := dialRaw(t, ts.addr)
	tr.do("HELLO", "3")
	for round := range 30 {
		redir := dialRaw(t, ts.addr)
		id := strings.TrimSpace(strings.TrimPrefix(redir.do("CLIENT", "ID"), ":"))
		if got := tr.do("CLIENT", "TRACKING", "ON", "REDIRECT", id); got != "+OK\r\n" {
			t.Fatalf("round %d: CLIENT TRACKING answered %q", round, got)
		}
		tr.do("GET", "foo")
		if got := redir.do("QUIT"); got != "+OK\r\n" {
			t.Fatalf("round %d: QUIT answered %q", round, got)
		}
		w.do("SET", "foo", "bar")
		if got, want := tr.reply(), "tracking-redir-broken"; !strings.Contains(got, want) {
			t.Fatalf("round %d: the tracking client got %q, want a push of %s", round, got, want)
		}
		tr.do("CLIENT", "TRACKING", "OFF")

		other := dialRaw(t, ts.addr)
		oid := strings.TrimSpace(strings.TrimPrefix(other.do("CLIENT", "ID"), ":"))
		other.do("QUIT")
		if got, want := w.do("CLIENT", "KILL", "ID", oid), ":0\r\n"; got != want {
			t.Fatalf("round %d: CLIENT KILL ID of a client that has read QUIT's reply answered %q, want %q", round, got, want)
		}
	}
}
