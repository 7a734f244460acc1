package main

import (
	"testing"
	"time"
)

// TestTrackingOrderOnFollower runs unit/tracking's "not interleaved"
// tests through a follower of a three-node cluster: a RESP3 connection
// that tracks its own reads gets each invalidation after the reply of the
// command that caused it, never before and never for a key the
// transaction itself wrote before reading it. Through a follower the
// leader's reply can arrive before the follower applies the entry, so a
// key remembered at the reply was invalidated by the entry it had read
// after (the push then came before the next command's reply), and a
// FLUSHALL sent with tracking off could reach the connection after it
// turned tracking on.
func TestTrackingOrderOnFollower(t *testing.T) {
	_, _, follower := startClusterWithFollower(t)
	trackingOrder(t, follower.addr())
}

// TestTrackingOrder is TestTrackingOrderOnFollower on a single node.
func TestTrackingOrder(t *testing.T) { trackingOrder(t, startNode(t).addr()) }

func trackingOrder(t *testing.T, addr string) {
	c := dialRESP(t, addr)
	call := c.call
	call("HELLO", "3")
	call("CLIENT", "TRACKING", "on")
	steps := []struct {
		name  string
		setup [][]string
		cmds  [][]string
		reply string
		push  string
		// early is a reply that may come first: cmds are sent again
		// (after 10 ms, for at most a second) while they get it. A reply
		// is never empty, so a step without one is never sent again.
		early string
	}{{
		name:  "transaction reads a key it wrote",
		setup: [][]string{{"MSET", "a{t}", "1", "b{t}", "2"}, {"GET", "a{t}"}},
		cmds:  [][]string{{"MULTI"}, {"INCR", "a{t}"}, {"GET", "b{t}"}, {"EXEC"}},
		reply: "*2\r\n:2\r\n$1\r\n2\r\n",
		push:  ">2\r\n$10\r\ninvalidate\r\n*1\r\n$4\r\na{t}\r\n",
	}, {
		name: "flushdb in a transaction",
		setup: [][]string{{"CLIENT", "TRACKING", "off"}, {"FLUSHALL"}, {"CLIENT", "TRACKING", "on"},
			{"SET", "a{t}", "1"}, {"GET", "a{t}"}},
		cmds:  [][]string{{"MULTI"}, {"FLUSHDB"}, {"EXEC"}},
		reply: "*1\r\n+OK\r\n",
		push:  ">2\r\n$10\r\ninvalidate\r\n_\r\n",
	}, {
		name: "lazy expiry after a transaction that read the key",
		setup: [][]string{{"DEBUG", "SET-ACTIVE-EXPIRE", "0"}, {"MULTI"}, {"MSET", "x{t}", "1", "y{t}", "2"},
			{"PEXPIRE", "y{t}", "100"}, {"GET", "y{t}"}, {"EXEC"}, {"DEBUG", "SLEEP", "0.11"}},
		cmds:  [][]string{{"MGET", "x{t}", "y{t}"}},
		reply: "*2\r\n$1\r\n1\r\n_\r\n",
		push:  ">2\r\n$10\r\ninvalidate\r\n*1\r\n$4\r\ny{t}\r\n",
		// A read is judged no later than the stamp of any entry still in
		// flight (cluster/clock.go readTime): one stamped during the
		// sleep, while the state machine was held (for example the node's
		// own address entry, proposed soon after it starts), can still be
		// in flight when MGET comes, and y is not yet expired at that time.
		early: "*2\r\n$1\r\n1\r\n$1\r\n2\r\n",
	}}
	for round := range 20 {
		for _, st := range steps {
			for _, args := range st.setup {
				call(args...)
			}
			got := callAll(call, st.cmds)
			for deadline := time.Now().Add(time.Second); got == st.early && time.Now().Before(deadline); {
				time.Sleep(10 * time.Millisecond)
				got = callAll(call, st.cmds)
			}
			if got != st.reply {
				t.Fatalf("round %d, %s: reply %q, want %q", round, st.name, got, st.reply)
			}
			if push := c.read(); push != st.push {
				t.Fatalf("round %d, %s: then %q, want %q", round, st.name, push, st.push)
			}
		}
		call("DEBUG", "SET-ACTIVE-EXPIRE", "1")
	}
}

// callAll sends cmds one by one and returns the last reply.
func callAll(call func(...string) string, cmds [][]string) string {
	var got string
	for _, args := range cmds {
		got = call(args...)
	}
	return got
}

// TestTrackingPushBeforeWriterReply: once a write through a follower is
// acknowledged, the invalidation it causes for a tracking connection of
// that node is already queued, as in Redis (unit/tracking's
// "tracking-redir-broken" test looks for it with its next PINGs). The
// follower learns the commit only with the leader's next append, some
// milliseconds after the leader's reply, so it waits for it.
func TestTrackingPushBeforeWriterReply(t *testing.T) {
	_, _, follower := startClusterWithFollower(t)
	addr := follower.addr()
	r, w := dialRESP(t, addr), dialRESP(t, addr)
	r.call("HELLO", "3")
	for round := range 30 {
		redir := dialRESP(t, addr)
		id := redir.call("CLIENT", "ID")
		r.call("CLIENT", "TRACKING", "off")
		r.call("CLIENT", "TRACKING", "on", "REDIRECT", id[1:len(id)-2])
		w.call("SET", "key1", "1")
		r.call("GET", "key1")
		redir.call("QUIT")
		w.call("SET", "key1", "2")
		want := ">2\r\n$21\r\ntracking-redir-broken\r\n:" + id[1:]
		if got := r.call("PING"); got != want {
			t.Fatalf("round %d: PING's first reply %q, want %q", round, got, want)
		}
		if got := r.read(); got != "+PONG\r\n" {
			t.Fatalf("round %d: then %q", round, got)
		}
	}
}
