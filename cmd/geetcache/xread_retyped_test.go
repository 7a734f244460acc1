package main

import (
	"strings"
	"testing"
)

// TestXReadSentBeforeRetype: a blocking XREAD sent just before another
// client's SET over its stream stays blocked, as in Redis, and the entry
// XADDed after a DEL serves it (Redis 7.0.15's unit/type/stream-cgroups
// "Blocking XREAD: key type changed with SET"); one with "$" sent just
// before another client's XADD gets that entry; whichever of the two
// connections' goroutines runs first (server/xread_retyped.go). An XREAD
// sent when the key already held a string answers -WRONGTYPE at once.
// Each round runs against redis-server too, which must give the same
// answers, on one node and through a follower of three. Before, the first
// kind of round failed within 102 rounds on one node in each of three
// runs, and the XREAD missed the XADD in 1 (one node) and 2 (a follower)
// of 200 rounds.
func TestXReadSentBeforeRetype(t *testing.T) {
	_, _, follower := startClusterWithFollower(t)
	servers := map[string]string{"redis": startRedisServer(t), "geetcache": startNode(t).addr(),
		"a follower": follower.addr()}
	const rounds = 200
	for name, addr := range servers {
		warm := dialArrivalAt(t, addr) // a node notes writes once it has read a blocking XREAD
		warm.call(t, "XREAD", "BLOCK", "1", "STREAMS", "nostream", "$")
		warm.nc.Close()
		for i := range rounds {
			if got := sentBeforeRetype(t, addr); got != "mystream 667-0 f v" {
				t.Fatalf("%s, round %d, XREAD BLOCK then SET, DEL, XADD on another connection: %q", name, i, got)
			}
			if got := sentBeforeAdd(t, addr, i%2 == 1); got != "s 2-1 f v" {
				t.Fatalf("%s, round %d, XREAD BLOCK $ then XADD on another connection (key missing: %v): %q", name, i, i%2 == 1, got)
			}
		}
		if got := sentOnString(t, addr); !strings.HasPrefix(got, "-WRONGTYPE") {
			t.Fatalf("%s, XREAD BLOCK on a string, then SET on another connection: %q", name, got)
		}
	}
}

// sentBeforeRetype makes mystream afresh, sends a blocking XREAD on a new
// connection and at once, on another, the steps of Redis's test: SET over
// the stream, DEL, and XADD of entry 667; it returns the XREAD's reply.
func sentBeforeRetype(t *testing.T, addr string) string {
	t.Helper()
	return sentJustBefore(t, addr, []string{"DEL mystream", "XADD mystream 666 f v"}, "XREAD BLOCK 0 STREAMS mystream $",
		[]string{"SET mystream val1", "DEL mystream", "XADD mystream 667 f v"}, readStreamReply)
}

// sentBeforeAdd sends a blocking XREAD with "$" on a new connection and
// at once, on another, an XADD to its key, which holds a stream of one
// entry (or nothing, when missing); it returns the XREAD's reply.
func sentBeforeAdd(t *testing.T, addr string, missing bool) string {
	t.Helper()
	setup := []string{"DEL s", "XADD s 1-1 f v"}
	if missing {
		setup = setup[:1]
	}
	return sentJustBefore(t, addr, setup, "XREAD BLOCK 0 STREAMS s $", []string{"XADD s 2-1 f v"}, readStreamReply)
}

// sentOnString sends a blocking XREAD on a key that holds a string, then
// a SET of it on another connection, and returns the XREAD's reply.
func sentOnString(t *testing.T, addr string) string {
	t.Helper()
	return sentJustBefore(t, addr, []string{"SET mystream val0"}, "XREAD BLOCK 0 STREAMS mystream $",
		[]string{"SET mystream val1"}, readStreamReply)
}

// readStreamReply reads an XREAD reply of one stream with one entry of
// one field as "key id field value", or returns a line that is not an
// array (an error).
func readStreamReply(c *arrivalConn, t *testing.T) string {
	t.Helper()
	first := c.reply(t)
	if !strings.HasPrefix(first, "*") {
		return first
	}
	var words []string
	for range 8 { // *2 key *1 *2 id *2 field value
		if w := c.reply(t); !strings.HasPrefix(w, "*") {
			words = append(words, w)
		} else {
			words = append(words, "")
		}
	}
	return strings.Join(strings.Fields(strings.Join(words, " ")), " ")
}
