package main

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestClientPauseMatchesRedis runs the same steps on redis-server 7.0.15
// and on a node: CLIENT PAUSE WRITE holds a write (its reply comes after
// CLIENT UNPAUSE) while the read pipelined before it is answered at once
// and other reads go on; the held client counts in blocked_clients and
// shows flag b and its command in CLIENT LIST; CLIENT PAUSE ALL holds a
// PING until the pause's end; a timeout whose end overflows pauses
// nothing; a client that leaves while held is counted no more.
func TestClientPauseMatchesRedis(t *testing.T) {
	for _, side := range redisAndNode(t) {
		t.Run(side.name, func(t *testing.T) {
			admin := dialDiffSide(t, side.name, side.addr)
			held := dialDiffSide(t, side.name, side.addr)
			mustReply(t, held, "+OK\r\n", "CLIENT", "SETNAME", "held")

			mustReply(t, admin, "+OK\r\n", "CLIENT", "PAUSE", "60000", "WRITE")
			held.send([][]string{{"GET", "k"}, {"SET", "k", "v"}})
			if reps, err := held.replies(1); err != nil || string(reps[0].raw) != "$-1\r\n" {
				t.Fatalf("the GET before the held SET: %v %v", reps, err)
			}
			waitBlockedClients(t, admin, 1)
			line := clientListLine(t, admin, "held")
			if !strings.Contains(line, " flags=b ") || !strings.Contains(line, " cmd=set ") {
				t.Fatalf("CLIENT LIST of the held client: %s", line)
			}
			mustReply(t, admin, "$-1\r\n", "GET", "k") // reads go on
			mustReply(t, admin, "+OK\r\n", "CLIENT", "UNPAUSE")
			if reps, err := held.replies(1); err != nil || string(reps[0].raw) != "+OK\r\n" {
				t.Fatalf("the held SET after CLIENT UNPAUSE: %v %v", reps, err)
			}
			waitBlockedClients(t, admin, 0)

			mustReply(t, admin, "+OK\r\n", "CLIENT", "PAUSE", "300", "ALL")
			start := time.Now()
			mustReply(t, held, "+PONG\r\n", "PING")
			if waited := time.Since(start); waited < 200*time.Millisecond {
				t.Fatalf("PING under CLIENT PAUSE 300 ALL answered after %v", waited)
			}

			mustReply(t, admin, "+OK\r\n", "CLIENT", "PAUSE", "9223372036854775807", "WRITE")
			mustReply(t, held, "+OK\r\n", "SET", "k", "w") // the end overflowed: no pause

			mustReply(t, admin, "+OK\r\n", "CLIENT", "PAUSE", "60000", "WRITE")
			leaving := dialDiffSide(t, side.name, side.addr)
			leaving.send([][]string{{"SET", "k", "x"}})
			leaving.w.Flush()
			waitBlockedClients(t, admin, 1)
			leaving.conn.Close()
			waitBlockedClients(t, admin, 0)
			mustReply(t, admin, "+OK\r\n", "CLIENT", "UNPAUSE")
			mustReply(t, admin, "$1\r\nw\r\n", "GET", "k") // the SET of the client that left never ran
		})
	}
}

// waitBlockedClients polls INFO clients on s until blocked_clients is n.
func waitBlockedClients(t *testing.T, s *diffSide, n int) {
	t.Helper()
	waitFor(t, 10*time.Second, func() error {
		rep, err := s.roundTrip([]string{"INFO", "clients"})
		if err != nil {
			return err
		}
		if got := infoLineOf(string(rep.raw), "blocked_clients"); got != strconv.Itoa(n) {
			return fmt.Errorf("%s: blocked_clients is %q, want %d", s.name, got, n)
		}
		return nil
	})
}

// infoLineOf returns field's value in an INFO reply, "" if absent.
func infoLineOf(info, field string) string {
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return v
		}
	}
	return ""
}

// clientListLine returns the CLIENT LIST line of the client named name.
func clientListLine(t *testing.T, s *diffSide, name string) string {
	t.Helper()
	rep, err := s.roundTrip([]string{"CLIENT", "LIST"})
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(rep.raw), "\n") {
		if strings.Contains(line, " name="+name+" ") {
			return line
		}
	}
	t.Fatalf("%s: no client named %s in %q", s.name, name, rep.raw)
	return ""
}

// TestClientPauseInCluster: a pause is its node's. On the leader it holds
// the writes a follower's clients send (they reach the leader through it)
// while the follower still answers reads; on a follower it holds that
// follower's clients' writes while the leader's clients write on. A held
// write runs once the pause ends, and every node then holds its value.
func TestClientPauseInCluster(t *testing.T) {
	_, leader, follower := startClusterWithFollower(t)
	onLeader := dialDiffSide(t, "leader", leader.addr())
	onFollower := dialDiffSide(t, "follower", follower.addr())
	mustReply(t, onFollower, "+OK\r\n", "SET", "k", "1")

	mustReply(t, onLeader, "+OK\r\n", "CLIENT", "PAUSE", "60000", "WRITE")
	held := dialDiffSide(t, "follower", follower.addr())
	held.send([][]string{{"SET", "k", "2"}})
	held.w.Flush()
	waitBlockedClients(t, onLeader, 1) // the follower's link to the leader waits there
	mustReply(t, onFollower, "$1\r\n1\r\n", "GET", "k")
	mustReply(t, onLeader, "+OK\r\n", "CLIENT", "UNPAUSE")
	if reps, err := held.replies(1); err != nil || string(reps[0].raw) != "+OK\r\n" {
		t.Fatalf("the follower's client's SET held on the leader: %v %v", reps, err)
	}
	mustReply(t, onFollower, "$1\r\n2\r\n", "GET", "k")

	mustReply(t, onFollower, "+OK\r\n", "CLIENT", "PAUSE", "60000", "WRITE")
	held.send([][]string{{"SET", "k", "3"}})
	held.w.Flush()
	waitBlockedClients(t, onFollower, 1)
	mustReply(t, onLeader, "+OK\r\n", "SET", "other", "x") // the leader's clients write on
	mustReply(t, onLeader, "$1\r\n2\r\n", "GET", "k")
	mustReply(t, onFollower, "+OK\r\n", "CLIENT", "UNPAUSE")
	if reps, err := held.replies(1); err != nil || string(reps[0].raw) != "+OK\r\n" {
		t.Fatalf("the SET held on the follower: %v %v", reps, err)
	}
	mustReply(t, onLeader, "$1\r\n3\r\n", "GET", "k")

	// Held on the leader past the follower's 10 s wait for a reply: the
	// follower answers UNCERTAIN, closes its link, and the leader drops
	// the command (applied at most once).
	mustReply(t, onLeader, "+OK\r\n", "CLIENT", "PAUSE", "60000", "WRITE")
	held.send([][]string{{"INCR", "n"}})
	rep, err := held.replies(1)
	if err != nil || !strings.HasPrefix(string(rep[0].raw), "-UNCERTAIN ") {
		t.Fatalf("a follower's client held on the leader for over 10 s: %v %v", rep, err)
	}
	waitBlockedClients(t, onLeader, 0)
	mustReply(t, onLeader, "+OK\r\n", "CLIENT", "UNPAUSE")
	mustReply(t, onLeader, "$-1\r\n", "GET", "n")
}

// TestClientPauseHostile: many clients held at once all run once the
// pause ends; CLIENT KILL closes a held client, whose write never runs;
// a node stopped while clients are held exits at once, answering none of
// them (their writes never ran: the value is the one before the pause
// after a restart).
func TestClientPauseHostile(t *testing.T) {
	n := startNode(t)
	admin := dialDiffSide(t, "geetcache", n.addr())
	mustReply(t, admin, "+OK\r\n", "SET", "k", "before")
	mustReply(t, admin, "+OK\r\n", "CLIENT", "PAUSE", "600000", "WRITE")

	const many = 200
	clients := make([]*diffSide, many)
	for i := range clients {
		clients[i] = dialDiffSide(t, "geetcache", n.addr())
		clients[i].send([][]string{{"INCR", "counter"}})
		clients[i].w.Flush()
	}
	waitBlockedClients(t, admin, many)
	mustReply(t, admin, "+OK\r\n", "CLIENT", "UNPAUSE")
	for i, c := range clients {
		if _, err := c.replies(1); err != nil {
			t.Fatalf("held client %d: %v", i, err)
		}
	}
	mustReply(t, admin, "$3\r\n200\r\n", "GET", "counter")

	mustReply(t, admin, "+OK\r\n", "CLIENT", "PAUSE", "600000", "WRITE")
	victim := dialDiffSide(t, "geetcache", n.addr())
	mustReply(t, victim, "+OK\r\n", "CLIENT", "SETNAME", "victim")
	victim.send([][]string{{"SET", "k", "killed"}})
	victim.w.Flush()
	waitBlockedClients(t, admin, 1)
	id := between(clientListLine(t, admin, "victim"), "id=", " ")
	mustReply(t, admin, ":1\r\n", "CLIENT", "KILL", "ID", id)
	waitBlockedClients(t, admin, 0)
	if _, err := victim.replies(1); err == nil {
		t.Fatal("the killed held client got a reply")
	}

	last := dialDiffSide(t, "geetcache", n.addr())
	last.send([][]string{{"SET", "k", "never"}})
	last.w.Flush()
	waitBlockedClients(t, admin, 1)
	start := time.Now()
	if code := n.Term(); code != 0 {
		t.Fatalf("SIGTERM while a client was held: exit code %d", code)
	}
	t.Logf("stopped with a held client in %v", time.Since(start))
	if _, err := last.replies(1); err == nil {
		t.Fatal("a held client got a reply from a node stopping")
	}
	n.Restart()
	after := dialDiffSide(t, "geetcache", n.addr())
	mustReply(t, after, "$6\r\nbefore\r\n", "GET", "k")
	mustReply(t, after, "+OK\r\n", "SET", "k", "free") // no pause after a restart
}

// between returns what follows from in s, up to the next to.
func between(s, from, to string) string {
	_, rest, _ := strings.Cut(s, from)
	v, _, _ := strings.Cut(rest, to)
	return v
}
