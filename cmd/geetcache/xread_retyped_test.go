package main

import (
	"io"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestXReadSentBeforeRetype: a blocking XREAD sent just before another
// client's SET over its stream stays blocked, as in Redis, and the entry
// XADDed after a DEL serves it (Redis 7.0.15's unit/type/stream-cgroups
// "Blocking XREAD: key type changed with SET"), whichever of the two
// connections' goroutines runs first (server/xread_retyped.go); while an
// XREAD sent when the key already held a string answers -WRONGTYPE at
// once. Each round runs against redis-server too, which must give the
// same answers, on one node and through a follower of three. Through a
// follower, before the change, a loop of these rounds answered -WRONGTYPE
// in 18 to 31 of 200 rounds.
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
		}
		if got := sentOnString(t, addr); !strings.HasPrefix(got, "-WRONGTYPE") {
			t.Fatalf("%s, XREAD BLOCK on a string, then SET on another connection: %q", name, got)
		}
	}
}

// sentBeforeRetype makes mystream afresh, sends a blocking XREAD on a new
// connection and at once, on another, the steps of Redis's test: SET over
// the stream, then, once the XREAD is blocked, DEL, and XADD of entry 667;
// it returns the XREAD's reply.
func sentBeforeRetype(t *testing.T, addr string) string {
	t.Helper()
	admin := dialArrivalAt(t, addr)
	defer admin.nc.Close()
	admin.call(t, "DEL", "mystream")
	admin.call(t, "XADD", "mystream", "666", "f", "v")
	reader := dialArrivalAt(t, addr)
	defer reader.nc.Close()
	reader.call(t, "PING")
	reader.send(t, "XREAD", "BLOCK", "0", "STREAMS", "mystream", "$")
	admin.call(t, "SET", "mystream", "val1")
	awaitBlocked(t, admin) // an XREAD read after the XADD too would block past 667-0: not this test's race
	admin.call(t, "DEL", "mystream")
	admin.call(t, "XADD", "mystream", "667", "f", "v")
	return readStreamReply(t, reader)
}

// awaitBlocked polls INFO clients until a client is blocked, for at most
// two seconds (the XREAD may have answered -WRONGTYPE instead).
func awaitBlocked(t *testing.T, c *arrivalConn) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		c.send(t, "INFO", "clients")
		if strings.Contains(readBulk(t, c), "blocked_clients:1\r\n") {
			return
		}
	}
}

// sentOnString sends a blocking XREAD on a key that holds a string, then
// a SET of it on another connection, and returns the XREAD's reply.
func sentOnString(t *testing.T, addr string) string {
	t.Helper()
	admin := dialArrivalAt(t, addr)
	defer admin.nc.Close()
	admin.call(t, "SET", "mystream", "val0")
	reader := dialArrivalAt(t, addr)
	defer reader.nc.Close()
	reader.call(t, "PING")
	reader.send(t, "XREAD", "BLOCK", "0", "STREAMS", "mystream", "$")
	admin.call(t, "SET", "mystream", "val1")
	return readStreamReply(t, reader)
}

// readStreamReply reads an XREAD reply of one stream with one entry of
// one field as "key id field value", or returns a line that is not an
// array (an error).
func readStreamReply(t *testing.T, c *arrivalConn) string {
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

// readBulk reads a bulk string reply whole.
func readBulk(t *testing.T, c *arrivalConn) string {
	t.Helper()
	line, err := c.rd.ReadString('\n')
	if err != nil {
		t.Fatalf("reading a reply: %v", err)
	}
	n, err := strconv.Atoi(strings.TrimSuffix(line[1:], "\r\n"))
	if !strings.HasPrefix(line, "$") || err != nil {
		t.Fatalf("not a bulk reply: %q", line)
	}
	b := make([]byte, n+2)
	if _, err := io.ReadFull(c.rd, b); err != nil {
		t.Fatalf("reading a bulk reply: %v", err)
	}
	return string(b[:n])
}
