package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// readonlyClient is a one-connection client in READONLY mode.
func readonlyClient(t *testing.T, n *node) *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: n.addr(), MaxRetries: -1, PoolSize: 1,
		OnConnect: func(ctx2 context.Context, cn *redis.Conn) error { return cn.ReadOnly(ctx2).Err() }})
	t.Cleanup(func() { c.Close() })
	return c
}

// infoSectionField returns one field of an INFO section.
func infoSectionField(n *node, section, field string) (string, error) {
	text, err := n.Client(noRetries).Info(ctx, section).Result()
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(text, "\r\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return v, nil
		}
	}
	return "", fmt.Errorf("no %s in INFO %s", field, section)
}

// TestReadonlyNeverGoesBack: a follower served k=v2 on READONLY reads,
// with k=v1 in its snapshot and v2 only in its log. Restarted while the
// rest of the cluster is down, it cannot replay its log (no leader tells
// it the commit index): it must not serve v1 but answer LOADING, with
// INFO loading:1, until the cluster is back and it has caught up.
func TestReadonlyNeverGoesBack(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	f := others(nodes, leader)[0]
	set := func(v string) {
		t.Helper()
		if err := leader.Client(noRetries).Set(ctx, "k", v, 0).Err(); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 5*time.Second, func() error {
			if got, err := readonlyClient(t, f).Get(ctx, "k").Result(); err != nil || got != v {
				return fmt.Errorf("READONLY GET k on the follower: %q, %v", got, err)
			}
			return nil
		})
	}
	set("v1")
	if err := f.Client(noRetries).Do(ctx, "RAFT", "SNAPSHOT").Err(); err != nil {
		t.Fatalf("RAFT SNAPSHOT on the follower: %v", err)
	}
	set("v2")
	for _, n := range others(nodes, f) {
		n.Kill9()
	}
	f.Term()
	f.Restart()
	got, err := readonlyClient(t, f).Get(ctx, "k").Result()
	if err == nil || err.Error() != "LOADING Redis is loading the dataset in memory" {
		t.Fatalf("READONLY GET k after the restart, alone: %q, %v; want LOADING", got, err)
	}
	if v, err := infoSectionField(f, "persistence", "loading"); err != nil || v != "1" {
		t.Fatalf("INFO persistence loading:%s, %v; want 1", v, err)
	}
	for _, n := range others(nodes, f) {
		n.Restart()
	}
	waitFor(t, 15*time.Second, func() error {
		if got, err := readonlyClient(t, f).Get(ctx, "k").Result(); err != nil || got != "v2" {
			return fmt.Errorf("READONLY GET k once the cluster is back: %q, %v", got, err)
		}
		return nil
	})
	if v, err := infoSectionField(f, "persistence", "loading"); err != nil || v != "0" {
		t.Fatalf("INFO persistence loading:%s, %v; want 0", v, err)
	}
}

// TestReadonlyReadsOwnWrites: on a READONLY connection to a follower, each
// INCR goes to the leader; the GET that follows on the same connection
// sees it.
func TestReadonlyReadsOwnWrites(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	waitAddressesRecorded(t, others(nodes, leader)[0])
	c := readonlyClient(t, others(nodes, leader)[0])
	stale := 0
	const rounds = 200
	for i := range rounds {
		v, err := c.Incr(ctx, "ctr").Result()
		if err != nil {
			t.Fatalf("INCR %d: %v", i, err)
		}
		got, err := c.Get(ctx, "ctr").Result()
		if err == redis.Nil {
			got, err = "0", nil // not there yet
		}
		if err != nil {
			t.Fatalf("GET %d: %v", i, err)
		}
		if n, _ := strconv.ParseInt(got, 10, 64); n < v {
			stale++
		}
	}
	if stale > 0 {
		t.Fatalf("%d of %d READONLY GETs missed the INCR just before them on the same connection", stale, rounds)
	}
}

// TestLoadingEndsPastAnUncommittedTail: a leader whose followers died
// appends writes it can never commit, then dies too; the followers come
// back, elect a leader without those writes and stay idle. Restarted, the old leader's
// log ends past anything the cluster will commit soon, yet it stops
// loading once it has applied a commit index of the current term. The
// scenario needs the new leader's commit index, read once it has applied
// it, below the old leader's last index; a new leader that committed
// more first (its restarted peers' entries) leaves nothing to test, and
// the scenario runs again on a fresh cluster, at most three times.
func TestLoadingEndsPastAnUncommittedTail(t *testing.T) {
	for attempt := 1; ; attempt++ {
		leader, last, commit := leaveUncommittedTail(t)
		if mustAtoi(t, commit) < mustAtoi(t, last) {
			t.Logf("old leader's last log index %s; new leader's commit index %s", last, commit)
			requireLoadingEnds(t, leader)
			return
		}
		if attempt == 3 {
			t.Fatalf("the old leader's log (last index %s) does not end past the new leader's commit index %s, three times", last, commit)
		}
		t.Logf("attempt %d: the new leader's commit index %s reached the old leader's last index %s first; again", attempt, commit, last)
	}
}

// leaveUncommittedTail runs the scenario up to the old leader's restart:
// it returns the old leader (stopped), its last log index and the new
// leader's commit index once applied.
func leaveUncommittedTail(t *testing.T) (leader *node, last, commit string) {
	t.Helper()
	nodes := startCluster(t)
	leader = waitForLeader(t, nodes, 10*time.Second)
	fs := others(nodes, leader)
	waitAddressesRecorded(t, fs[0])
	waitAddressesRecorded(t, fs[1])
	if err := leader.Client(noRetries).Set(ctx, "k", "committed", 0).Err(); err != nil {
		t.Fatal(err)
	}
	for _, f := range fs { // their sockets close: nothing more reaches them
		f.Kill9()
	}
	// Two entries in flight at once (each write its own entry): the new
	// leader's first entry (a no-op) takes only the first one's index.
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			leader.Client(noRetries).Set(ctx, "k", "tail"+strconv.Itoa(i), 0) // UNCERTAIN
		}()
		time.Sleep(50 * time.Millisecond)
	}
	wg.Wait()
	last, _ = infoField(leader, "raft_last_log_index")
	leader.Kill9()
	for _, f := range fs {
		f.Restart()
	}
	newLeader := waitForLeader(t, fs, 15*time.Second)
	waitFor(t, 5*time.Second, func() error {
		commit, _ = infoField(newLeader, "raft_commit_index")
		if applied, _ := infoField(newLeader, "raft_applied_index"); commit == "0" || applied != commit {
			return fmt.Errorf("new leader: commit %s, applied %s", commit, applied)
		}
		return nil
	})
	return leader, last, commit
}

// requireLoadingEnds restarts the old leader and requires it to stop
// loading and serve the committed value.
func requireLoadingEnds(t *testing.T, leader *node) {
	t.Helper()
	leader.Restart()
	waitFor(t, 10*time.Second, func() error {
		if v, err := infoSectionField(leader, "persistence", "loading"); err != nil || v != "0" {
			return fmt.Errorf("restarted old leader: loading:%s, %v", v, err)
		}
		return nil
	})
	if got, err := readonlyClient(t, leader).Get(ctx, "k").Result(); err != nil || got != "committed" {
		t.Fatalf("READONLY GET k on the old leader: %q, %v", got, err)
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return n
}
