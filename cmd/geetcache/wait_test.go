package main

import (
	"strconv"
	"testing"
	"time"
)

// TestWaitSingleNodeMatchesRedis: a single node answers WAIT as a
// redis-server without replicas: 0, after the timeout when more were asked
// for; the argument errors are Redis's.
func TestWaitSingleNodeMatchesRedis(t *testing.T) {
	redisAddr := startRedisServer(t)
	n := startNode(t)
	p := newDiffPair(t, 2, redisAddr, n.addr())
	requireRedis70(t, p.redis)
	p.requireSame(t, "WAIT", [][]string{{"SET", "k", "v"}, {"WAIT", "0", "0"}, {"WAIT", "1", "50"},
		{"WAIT", "x", "1"}, {"WAIT", "1", "-1"}, {"WAIT", "1", "1.5"}, {"WAIT", "-1", "0"}, {"WAIT", "1"},
		{"WAIT", "+0", "0"}, {"WAIT", "00", "0"}, {"WAIT", "0", "+0"}, {"WAIT", "0", "01"}, {"WAIT", "0", "-0"},
		{"MULTI"}, {"WAIT", "1", "100000"}, {"EXEC"}})
	start := time.Now()
	if rep, err := p.gc.roundTrip([]string{"WAIT", "1", "200"}); err != nil || string(rep.raw) != ":0\r\n" {
		t.Fatalf("WAIT 1 200: %q %v", rep.raw, err)
	}
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Errorf("WAIT 1 200 answered after %v, before its timeout", d)
	}
}

// TestWaitThreeNodes: on a three-node cluster, a write acknowledged
// through any node is on a majority, so WAIT answers 1 (one follower
// besides the leader) at once; asking for 2 waits out the timeout, then
// answers the 1 it knows.
func TestWaitThreeNodes(t *testing.T) {
	nodes := startCluster(t)
	for _, n := range nodes {
		s := dialDiffSide(t, "geetcache", n.addr())
		for _, step := range []struct {
			args []string
			want string
			min  time.Duration
		}{
			{[]string{"SET", "k", "v"}, "+OK\r\n", 0},
			{[]string{"WAIT", "1", "0"}, ":1\r\n", 0},
			{[]string{"WAIT", "0", "5000"}, ":1\r\n", 0},
			{[]string{"WAIT", "2", "150"}, ":1\r\n", 150 * time.Millisecond},
			{[]string{"WAIT", "2", "0"}, ":1\r\n", 0},
		} {
			start := time.Now()
			rep, err := s.roundTrip(step.args)
			d := time.Since(start)
			if err != nil || string(rep.raw) != step.want || d < step.min || (step.min == 0 && d > 2*time.Second) {
				t.Errorf("node %s: %q answered %q (%v) after %v, want %q", n.addr(), step.args, rep.raw, err, d, step.want)
			}
		}
	}
}

// TestWaitPipelinedWithWrites sends 16 SET and WAIT 1 0 pairs in one
// pipeline to a three-node cluster's leader: every WAIT answers 1 after
// its SET's OK, and the SETs are committed together rather than one entry
// per pair (each WAIT used to wait for the writes before it, cutting the
// pipeline's group commit into 16 entries).
func TestWaitPipelinedWithWrites(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 20*time.Second)
	before, err := infoField(leader, "raft_commit_index")
	if err != nil {
		t.Fatal(err)
	}
	x := dialRESP(t, leader.addr())
	var pipeline []byte
	const pairs = 16
	for i := range pairs {
		pipeline = appendCommand(pipeline, "SET", "k"+strconv.Itoa(i), "v")
		pipeline = appendCommand(pipeline, "WAIT", "1", "0")
	}
	pipeline = appendCommand(pipeline, "WAIT", "2", "100") // waits out its timeout, after the rest
	if _, err := x.c.Write(pipeline); err != nil {
		t.Fatal(err)
	}
	for i := range pairs {
		if got := x.read(); got != "+OK\r\n" {
			t.Fatalf("pair %d: SET answered %q", i, got)
		}
		if got := x.read(); got != ":1\r\n" {
			t.Fatalf("pair %d: WAIT answered %q", i, got)
		}
	}
	if got := x.read(); got != ":1\r\n" {
		t.Fatalf("WAIT 2 100 answered %q", got)
	}
	after, err := infoField(leader, "raft_commit_index")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := strconv.Atoi(before)
	a, _ := strconv.Atoi(after)
	if a-b > pairs/2 {
		t.Fatalf("the %d SETs took %d log entries, want them grouped", pairs, a-b)
	}
	t.Logf("%d SET and WAIT pairs took %d log entries", pairs, a-b)
	if got := x.call("GET", "k15"); got != "$1\r\nv\r\n" {
		t.Fatalf("GET k15 = %q", got)
	}
}
