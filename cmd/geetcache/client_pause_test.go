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
			requireReply(t, held, "$-1\r\n")
			waitBlockedClients(t, admin, 1)
			line := clientListLine(t, admin, "held")
			if !strings.Contains(line, " flags=b ") || !strings.Contains(line, " cmd=set ") {
				t.Fatalf("CLIENT LIST of the held client: %s", line)
			}
			mustReply(t, admin, "$-1\r\n", "GET", "k") // reads go on
			mustReply(t, admin, "+OK\r\n", "CLIENT", "UNPAUSE")
			requireReply(t, held, "+OK\r\n")
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
			sendOnly(t, leaving, "SET", "k", "x")
			waitBlockedClients(t, admin, 1)
			leaving.conn.Close()
			waitBlockedClients(t, admin, 0)
			mustReply(t, admin, "+OK\r\n", "CLIENT", "UNPAUSE")
			mustReply(t, admin, "$1\r\nw\r\n", "GET", "k") // the SET of the client that left never ran
		})
	}
}

// pauseWriteCases are calls CLIENT PAUSE WRITE holds or not, as
// redis-server 7.0.15 was seen to (setup runs first, on the same
// connection).
var pauseWriteCases = []struct {
	name  string
	setup [][]string
	call  []string
	held  bool
}{
	{"SET", nil, []string{"SET", "k", "v"}, true},
	{"GET", nil, []string{"GET", "k"}, false},
	{"SET queued in MULTI", [][]string{{"MULTI"}}, []string{"SET", "k", "v"}, true},
	{"EXEC of reads", [][]string{{"MULTI"}, {"GET", "k"}}, []string{"EXEC"}, false},
	{"PUBLISH", nil, []string{"PUBLISH", "ch", "m"}, true},
	{"PFCOUNT", nil, []string{"PFCOUNT", "h"}, true},
	{"EVAL without a shebang", nil, []string{"EVAL", "return 1", "0"}, true},
	{"EVAL no-writes", nil, []string{"EVAL", "#!lua flags=no-writes\nreturn 1", "0"}, false},
	{"EVAL_RO of a shebang without flags", nil, []string{"EVAL_RO", "#!lua\nreturn 1", "0"}, true},
	{"EVALSHA_RO unknown", nil, []string{"EVALSHA_RO", strings.Repeat("a", 40), "0"}, false},
	{"FCALL unknown", nil, []string{"FCALL", "nosuch", "0"}, true},
	{"WAIT", nil, []string{"WAIT", "0", "10"}, false},
	{"SCRIPT LOAD", nil, []string{"SCRIPT", "LOAD", "return 1"}, false},
}

// TestClientPauseWriteHoldsAsRedis: under CLIENT PAUSE WRITE each call
// of pauseWriteCases is held (answered only after CLIENT UNPAUSE) or not,
// on redis-server 7.0.15 and on a node alike, with the same reply.
func TestClientPauseWriteHoldsAsRedis(t *testing.T) {
	sides := redisAndNode(t)
	replies := make([][]string, len(sides))
	for i, side := range sides {
		admin := dialDiffSide(t, side.name, side.addr)
		for _, tc := range pauseWriteCases {
			s := dialDiffSide(t, side.name, side.addr)
			for _, args := range tc.setup {
				mustRun(t, s, args)
			}
			mustReply(t, admin, "+OK\r\n", "CLIENT", "PAUSE", "60000", "WRITE")
			sendOnly(t, s, tc.call...)
			if tc.held {
				waitBlockedClients(t, admin, 1)
				mustReply(t, admin, "+OK\r\n", "CLIENT", "UNPAUSE")
			}
			reps, err := s.replies(1) // a call not held is answered while paused
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if !tc.held {
				waitBlockedClients(t, admin, 0)
				mustReply(t, admin, "+OK\r\n", "CLIENT", "UNPAUSE")
			}
			replies[i] = append(replies[i], string(reps[0].raw))
			s.conn.Close()
		}
	}
	for j, tc := range pauseWriteCases {
		if replies[0][j] != replies[1][j] {
			t.Errorf("%s: Redis answered %q, geetcache %q", tc.name, replies[0][j], replies[1][j])
		}
	}
}

// sendOnly sends args on s without reading the reply.
func sendOnly(t *testing.T, s *diffSide, args ...string) {
	t.Helper()
	s.send([][]string{args})
	if err := s.w.Flush(); err != nil {
		t.Fatal(err)
	}
}

// requireReply reads s's next reply and requires want (raw RESP).
func requireReply(t *testing.T, s *diffSide, want string) {
	t.Helper()
	reps, err := s.replies(1)
	if err != nil || string(reps[0].raw) != want {
		t.Fatalf("%s: reply %v (%v), want %q", s.name, reps, err, want)
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
	sendOnly(t, held, "SET", "k", "2")
	waitBlockedClients(t, onLeader, 1) // the follower's link to the leader waits there
	mustReply(t, onFollower, "$1\r\n1\r\n", "GET", "k")
	mustReply(t, onLeader, "+OK\r\n", "CLIENT", "UNPAUSE")
	requireReply(t, held, "+OK\r\n")
	mustReply(t, onFollower, "$1\r\n2\r\n", "GET", "k")

	mustReply(t, onFollower, "+OK\r\n", "CLIENT", "PAUSE", "60000", "WRITE")
	sendOnly(t, held, "SET", "k", "3")
	waitBlockedClients(t, onFollower, 1)
	mustReply(t, onLeader, "+OK\r\n", "SET", "other", "x") // the leader's clients write on
	mustReply(t, onLeader, "$1\r\n2\r\n", "GET", "k")
	mustReply(t, onFollower, "+OK\r\n", "CLIENT", "UNPAUSE")
	requireReply(t, held, "+OK\r\n")
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
		sendOnly(t, clients[i], "INCR", "counter")
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
	sendOnly(t, victim, "SET", "k", "killed")
	waitBlockedClients(t, admin, 1)
	id := between(clientListLine(t, admin, "victim"), "id=", " ")
	mustReply(t, admin, ":1\r\n", "CLIENT", "KILL", "ID", id)
	waitBlockedClients(t, admin, 0)
	if _, err := victim.replies(1); err == nil {
		t.Fatal("the killed held client got a reply")
	}

	last := dialDiffSide(t, "geetcache", n.addr())
	sendOnly(t, last, "SET", "k", "never")
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
