package main

import (
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
