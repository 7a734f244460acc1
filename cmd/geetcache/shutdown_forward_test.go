package main

import (
	"bufio"
	"strings"
	"testing"
	"time"
)

// TestFollowerStopsWithForwardedBlock: a follower whose client waits in a
// forwarded BLPOP with no timeout still stops promptly on SIGTERM: once
// most of the shutdown's grace has passed, its link to the leader is cut
// and the client gets an error (the leader may have served it: the outcome
// is unknown), instead of the follower waiting for the leader for ever.
func TestFollowerStopsWithForwardedBlock(t *testing.T) {
	_, leader, follower := startClusterWithFollower(t)
	c := follower.Dial()
	if _, err := c.Write(appendCommand(nil, "BLPOP", "never-pushed", "0")); err != nil {
		t.Fatal(err)
	}
	waitBlocked(t, leader.Client(), 1) // the follower's link waits on the leader
	start := time.Now()
	if code := follower.Term(); code != 0 {
		t.Fatalf("follower exited with %d, want 0", code)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Fatalf("follower took %v to stop", took)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	line, _ := bufio.NewReader(c).ReadString('\n')
	if !strings.HasPrefix(line, "-") {
		t.Fatalf("the blocked client got %q, want an error", line)
	}
	t.Logf("stopped in %v; the blocked client got %q", time.Since(start).Round(time.Millisecond), strings.TrimSpace(line))
}
