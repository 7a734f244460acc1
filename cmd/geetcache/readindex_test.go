package main

// Follower reads in readindex mode (--follower-reads readindex): a follower
// asks the leader for its read index (RAFT READINDEX), waits until it has
// applied the log that far, and runs the read on its own state, or sends
// the read to the leader when it is behind. Reads must stay linearizable:
// never older than a write acknowledged before them; an error rather than
// stale data when no leader answers.

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// readIndexArgs put a node in readindex mode, with a short election wait
// so that a read that cannot be served fails soon.
var readIndexArgs = []string{"--follower-reads", "readindex", "--election-wait", "1s"}

// readIndexFailBound is how long a read that cannot be linearized may take
// to fail: the election wait plus room for a loaded machine.
const readIndexFailBound = 4 * time.Second

func resp2(o *redis.Options) { o.Protocol = 2 }

// waitRaftLeader waits until every node names the same Raft leader and
// that node leads, and returns it. (ROLE alone can mislead while a node
// that joined has no configuration yet: it answers master.)
func waitRaftLeader(t *testing.T, nodes []*node) *node {
	t.Helper()
	var leader *node
	waitFor(t, 10*time.Second, func() error {
		leader = nil
		ids := map[string]bool{}
		for _, n := range nodes {
			id, err := infoField(n, "raft_leader_id")
			state, err2 := infoField(n, "raft_state")
			if err != nil || err2 != nil || id == "" {
				return fmt.Errorf("node %s: leader %q, %v, %v", n.addr(), id, err, err2)
			}
			ids[id] = true
			if state == "Leader" {
				leader = n
			}
		}
		if len(ids) != 1 || leader == nil {
			return fmt.Errorf("nodes name leaders %v; leader found: %v", ids, leader != nil)
		}
		return nil
	})
	return leader
}

func slowReads(o *redis.Options) { o.ReadTimeout = 15 * time.Second }

// TestReadIndexReadYourWrites: a write acknowledged by the leader, or
// through a follower, is seen at once by a read through any follower, in
// RESP2 and RESP3, alone or pipelined after writes; and the follower runs
// the read itself, asking the leader only for its read index.
func TestReadIndexReadYourWrites(t *testing.T) {
	nodes := startClusterArgs(t, readIndexArgs...)
	leader := waitRaftLeader(t, nodes)
	waitAddressesRecorded(t, leader)
	f := others(nodes, leader)
	lc := leader.Client(noRetries)
	waitFor(t, 10*time.Second, func() error { return lc.Set(ctx, "k", "start", 0).Err() })
	readers := []*redis.Client{f[0].Client(noRetries), f[1].Client(noRetries, resp2)}

	for i := range 200 {
		v := strconv.Itoa(i)
		if err := lc.Set(ctx, "k", v, 0).Err(); err != nil {
			t.Fatalf("SET k %s on the leader: %v", v, err)
		}
		for j, r := range readers {
			if got, err := r.Get(ctx, "k").Result(); err != nil || got != v {
				t.Fatalf("GET k on follower %d right after SET k %s on the leader = %q, %v", j, v, got, err)
			}
		}
		if n, err := readers[0].Incr(ctx, "n").Result(); err != nil || n != int64(i+1) {
			t.Fatalf("INCR n through follower 0 = %d, %v", n, err)
		}
		if got, err := readers[1].Get(ctx, "n").Result(); err != nil || got != strconv.Itoa(i+1) {
			t.Fatalf("GET n on follower 1 right after INCR through follower 0 = %q, %v; want %d", got, err, i+1)
		}
	}
	checkLeaderSawReadIndex(t, leader)
}

// checkLeaderSawReadIndex fails unless a connection to the leader last ran
// RAFT READINDEX: a follower's link, asking for a read index.
func checkLeaderSawReadIndex(t *testing.T, leader *node) {
	t.Helper()
	list, err := leader.Client(noRetries).ClientList(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(list, "cmd=raft|readindex") {
		t.Fatalf("no connection to the leader ran RAFT READINDEX:\n%s", list)
	}
}

// TestReadIndexPipelines: in one pipeline through a follower, a read after
// a forwarded write sees it (each forwarded write makes the next read ask
// for a new read index), and a pipeline of reads sees every write
// acknowledged before it.
func TestReadIndexPipelines(t *testing.T) {
	nodes := startClusterArgs(t, readIndexArgs...)
	leader := waitRaftLeader(t, nodes)
	waitAddressesRecorded(t, leader)
	f := others(nodes, leader)
	waitFor(t, 10*time.Second, func() error { return f[0].Client(noRetries).Set(ctx, "ready", "1", 0).Err() })

	for _, proto := range []int{2, 3} {
		mixed := f[0].Client(noRetries, func(o *redis.Options) { o.Protocol = proto }).Pipeline()
		gets := make([]*redis.StringCmd, 50)
		for i := range gets {
			mixed.Set(ctx, "m"+strconv.Itoa(i), i, 0)
			mixed.Incr(ctx, "c"+strconv.Itoa(proto))
			gets[i] = mixed.Get(ctx, "m"+strconv.Itoa(i))
			mixed.Get(ctx, "c"+strconv.Itoa(proto))
		}
		cmds, err := mixed.Exec(ctx)
		if err != nil {
			t.Fatalf("RESP%d mixed pipeline: %v", proto, err)
		}
		for i, g := range gets {
			if g.Val() != strconv.Itoa(i) {
				t.Fatalf("RESP%d: GET m%d after SET m%d in the same pipeline = %q", proto, i, i, g.Val())
			}
			if c := cmds[4*i+3].(*redis.StringCmd).Val(); c != strconv.Itoa(i+1) {
				t.Fatalf("RESP%d: GET after the %dth INCR in the same pipeline = %q", proto, i+1, c)
			}
		}
	}
	writeKeysPipelined(t, leader, "p", 500, 100)
	checkKeys(t, f[1], "p", 500) // one pipeline of 500 GETs

	time.Sleep(100 * time.Millisecond) // past the hold-off: the follower has caught up
	before := leaderCommands(t, leader)
	checkKeys(t, f[1], "p", 500)
	if n := leaderCommands(t, leader) - before; n > 10 {
		t.Fatalf("the leader ran %d commands while a caught-up follower served 500 GETs: want a read index, not the reads", n)
	}
}

// leaderCommands returns the leader's total_commands_processed.
func leaderCommands(t *testing.T, leader *node) int {
	t.Helper()
	info, err := leader.Client(noRetries).Info(ctx, "stats").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, "total_commands_processed:"); ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatalf("no total_commands_processed in INFO stats: %q", info)
	return 0
}

// TestReadIndexIsolatedFollower: a follower cut off from the other nodes'
// Raft traffic, while clients still reach it, never answers a read with
// the value a newer acknowledged write replaced: a read gets the new value
// (the follower cannot apply the leader's read index, so it forwards the
// read) or, once the follower no longer knows a leader, CLUSTERDOWN within
// the election wait; after healing it reads locally again.
func TestReadIndexIsolatedFollower(t *testing.T) {
	pc := startProxiedCluster(t, readIndexArgs...)
	leader := waitRaftLeader(t, pc.nodes)
	waitAddressesRecorded(t, leader)
	f := others(pc.nodes, leader)[0]
	lc, fc := leader.Client(noRetries), f.Client(noRetries, slowReads)
	waitFor(t, 10*time.Second, func() error { return lc.Set(ctx, "k", "old", 0).Err() })
	if v, err := fc.Get(ctx, "k").Result(); err != nil || v != "old" {
		t.Fatalf("GET k on the follower = %q, %v", v, err)
	}

	pc.isolate(pc.index(f))
	if err := lc.Set(ctx, "k", "new", 0).Err(); err != nil {
		t.Fatalf("SET k new on the leader, which keeps a majority: %v", err)
	}
	readFreshFor(t, fc, "the isolated follower", "new", 3*time.Second)

	pc.heal()
	waitFor(t, 15*time.Second, func() error {
		if v, err := fc.Get(ctx, "k").Result(); err != nil || v != "new" {
			return fmt.Errorf("GET k on the healed follower = %q, %v", v, err)
		}
		return nil
	})
}

// readFreshFor reads k through c for a while and fails the test unless
// every read returns fresh (the latest acknowledged value; "" allows none)
// or fails with CLUSTERDOWN, each within readIndexFailBound.
func readFreshFor(t *testing.T, c *redis.Client, who, fresh string, d time.Duration) {
	t.Helper()
	var reads, down int
	var slowest time.Duration
	for end := time.Now().Add(d); time.Now().Before(end); reads++ {
		start := time.Now()
		v, err := c.Get(ctx, "k").Result()
		took := time.Since(start)
		switch {
		case err == nil && v == fresh:
		case err == nil || errors.Is(err, redis.Nil):
			t.Fatalf("GET k on %s = %q, %v: a read answered without the latest acknowledged write %q", who, v, err, fresh)
		case !strings.HasPrefix(err.Error(), "CLUSTERDOWN "):
			t.Fatalf("GET k on %s failed with %q, want CLUSTERDOWN", who, err)
		default:
			down++
		}
		if took > readIndexFailBound {
			t.Fatalf("GET k on %s answered after %v, want within %v", who, took, readIndexFailBound)
		}
		slowest = max(slowest, took)
	}
	t.Logf("%s: %d reads, %d fresh, %d CLUSTERDOWN, slowest %v", who, reads, reads-down, down, slowest.Round(time.Millisecond))
}

// TestReadIndexLeaderGone: with the leader and the other follower frozen
// (SIGSTOP), no read index can be had: reads through the remaining
// follower fail with CLUSTERDOWN within the election wait, and succeed
// after SIGCONT.
func TestReadIndexLeaderGone(t *testing.T) {
	nodes := startClusterArgs(t, readIndexArgs...)
	leader := waitRaftLeader(t, nodes)
	waitAddressesRecorded(t, leader)
	f := others(nodes, leader)
	lc, fc := leader.Client(noRetries), f[0].Client(noRetries, slowReads)
	waitFor(t, 10*time.Second, func() error { return lc.Set(ctx, "k", "v", 0).Err() })
	if v, err := fc.Get(ctx, "k").Result(); err != nil || v != "v" { // opens the link to the leader
		t.Fatalf("GET k on the follower = %q, %v", v, err)
	}

	frozen := []*node{leader, f[1]}
	for _, n := range frozen {
		if err := syscall.Kill(n.pid(), syscall.SIGSTOP); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { syscall.Kill(n.pid(), syscall.SIGCONT) })
	}
	for _, n := range frozen { // a signal takes effect a moment after kill returns
		waitFor(t, 5*time.Second, func() error { return checkStopped(n.pid()) })
	}
	readFreshFor(t, fc, "a follower without a leader", "", 3*time.Second)
	for _, n := range frozen {
		syscall.Kill(n.pid(), syscall.SIGCONT)
	}
	waitFor(t, 15*time.Second, func() error {
		if v, err := fc.Get(ctx, "k").Result(); err != nil || v != "v" {
			return fmt.Errorf("GET k on the follower after SIGCONT = %q, %v", v, err)
		}
		return nil
	})
}

// checkStopped returns nil once the process is stopped (state T in
// /proc/<pid>/stat).
func checkStopped(pid int) error {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return err
	}
	// The state follows the command name, which is in parentheses.
	if i := strings.LastIndexByte(string(stat), ')'); i > 0 && len(stat) > i+2 && stat[i+2] == 'T' {
		return nil
	}
	return fmt.Errorf("pid %d is not stopped yet", pid)
}
