package main

import (
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// startRedisPrimaryAndReplica starts a redis-server and a replica of it,
// and returns their addresses once the replica is online.
func startRedisPrimaryAndReplica(t *testing.T) (primary, replica string) {
	t.Helper()
	primary = startRedisServer(t)
	host, port, _ := net.SplitHostPort(primary)
	replica = startRedisServer(t, "--replicaof", host, port)
	waitFor(t, 10*time.Second, func() error {
		if info := infoText(t, primary, "replication"); !strings.Contains(info, "state=online") {
			return fmt.Errorf("the replica is not online yet: %s", info)
		}
		return nil
	})
	return primary, replica
}

// TestFailoverMatchesRedis: FAILOVER's replies and its outcome on a Redis
// 7.0 primary with one replica and on the leader of three nodes: the same
// refusals in the same order, then FAILOVER TO the replica makes it the
// master and the old master its replica.
func TestFailoverMatchesRedis(t *testing.T) {
	primary, replica := startRedisPrimaryAndReplica(t)
	_, leader, follower := startClusterWithFollower(t)
	unused := strconv.Itoa(freePorts(t, 1)[0])

	sides := []struct{ name, master, replica string }{
		{"redis", primary, replica}, {"geetcache", leader.addr(), follower.addr()},
	}
	for _, side := range sides {
		m := dialDiffSide(t, side.name+" master", side.master)
		r := dialDiffSide(t, side.name+" replica", side.replica)
		rHost, rPort, _ := net.SplitHostPort(side.replica)
		mustReply(t, r, "-ERR FAILOVER is not valid when server is a replica.\r\n", "FAILOVER")
		mustReply(t, m, "-ERR No failover in progress.\r\n", "FAILOVER", "ABORT")
		mustReply(t, m, "-ERR FAILOVER timeout must be greater than 0\r\n", "FAILOVER", "TIMEOUT", "0")
		mustReply(t, m, "-ERR value is not an integer or out of range\r\n", "FAILOVER", "TO", rHost, "x")
		mustReply(t, m, "-ERR syntax error\r\n", "FAILOVER", "TIMEOUT", "10", "TIMEOUT", "20")
		mustReply(t, m, "-ERR syntax error\r\n", "FAILOVER", "ABORT", "TIMEOUT", "10")
		mustReply(t, m, "-ERR FAILOVER with force option requires both a timeout and target HOST and IP.\r\n",
			"FAILOVER", "FORCE", "TIMEOUT", "100")
		mustReply(t, m, "-ERR FAILOVER target HOST and PORT is not a replica.\r\n", "FAILOVER", "TO", rHost, unused)
		mustReply(t, m, "+OK\r\n", "FAILOVER", "TO", rHost, rPort, "TIMEOUT", "10000")
		waitFor(t, 15*time.Second, func() error {
			if got := roleOf(t, side.replica); got != "master" {
				return fmt.Errorf("%s: the replica's role is %s", side.name, got)
			}
			if got := roleOf(t, side.master); got != "slave" {
				return fmt.Errorf("%s: the old master's role is %s", side.name, got)
			}
			if info := infoText(t, side.master, "replication"); !strings.Contains(info, "master_failover_state:no-failover") {
				return fmt.Errorf("%s: the failover has not ended: %s", side.name, info)
			}
			return nil
		})
		mustReply(t, r, "-ERR No failover in progress.\r\n", "FAILOVER", "ABORT")
		mustReply(t, m, "-ERR FAILOVER is not valid when server is a replica.\r\n", "FAILOVER")
	}
}

// TestFailoverUnderLoad: FAILOVER on the leader, then CLUSTER FAILOVER sent
// to a follower, while INCRs stream to the leader of the start: each
// moves the leadership where asked, every INCR is answered (none
// UNCERTAIN), and the counter is the number acknowledged.
func TestFailoverUnderLoad(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	waitAddressesRecorded(t, leader)
	w := startIncrWriter(leader, "ctr")
	waitAcked := func(n int64) {
		mark := w.acked.Load()
		waitFor(t, 10*time.Second, func() error {
			if w.acked.Load() < mark+n {
				return fmt.Errorf("%d INCRs acknowledged since the mark", w.acked.Load()-mark)
			}
			return nil
		})
	}
	waitAcked(50)
	if err := leader.Client(noRetries).Do(ctx, "FAILOVER").Err(); err != nil {
		t.Fatalf("FAILOVER: %v", err)
	}
	second := waitForLeader(t, nodes, 10*time.Second)
	if second == leader {
		t.Fatalf("%s still leads after FAILOVER", leader.addr())
	}
	waitAcked(50)
	third := others(others(nodes, leader), second)[0]
	if err := third.Client(noRetries).Do(ctx, "CLUSTER", "FAILOVER").Err(); err != nil {
		t.Fatalf("CLUSTER FAILOVER: %v", err)
	}
	waitFor(t, 10*time.Second, func() error {
		if r := roleOf(t, third.addr()); r != "master" {
			return fmt.Errorf("%s is %s after CLUSTER FAILOVER", third.addr(), r)
		}
		return nil
	})
	waitAcked(50)
	w.halt()
	acked, failed := w.acked.Load(), w.failed.Load()
	got, err := third.Client(noRetries).Get(ctx, "ctr").Int64()
	if failed != 0 || err != nil || got != acked {
		t.Fatalf("ctr = %d, %v; %d INCRs acknowledged, %d failed (first error: %v)", got, err, acked, failed, w.firstErr.Load())
	}
	t.Logf("FAILOVER %s -> %s, CLUSTER FAILOVER -> %s: %d INCRs, all acknowledged", leader.addr(), second.addr(), third.addr(), acked)
	waitSameDigest(t, nodes)
}

// TestFailoverStuck: a FAILOVER to a replica that cannot answer (stopped
// with SIGSTOP, behind its master) shows in INFO, refuses a second
// FAILOVER, ends with FAILOVER ABORT or at its TIMEOUT with the master
// still master and writing, on redis-server 7.0.15 (a primary and its
// replica) and on three nodes alike; then, on the nodes: once the voter
// has been silent for a second, FAILOVER TO it is refused as not online,
// and one without a timeout does not hold a SIGTERM up.
func TestFailoverStuck(t *testing.T) {
	primary, replica := startRedisPrimaryAndReplica(t)
	stuckFailover(t, "redis", primary, replica, redisPid(t, replica))

	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	waitAddressesRecorded(t, leader)
	target := others(nodes, leader)[0]
	tHost, tPort, _ := net.SplitHostPort(target.addr())
	m := dialDiffSide(t, "leader", leader.addr())
	stuckFailover(t, "geetcache", leader.addr(), target.addr(), target.pid())
	if r := roleOf(t, leader.addr()); r != "master" {
		t.Fatalf("the leader is %s after its failovers ended", r)
	}
	if err := syscall.Kill(target.pid(), syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Kill(target.pid(), syscall.SIGCONT) })
	waitFor(t, 10*time.Second, func() error {
		if ms := lastContactMs(t, leader, target); ms <= 1000 {
			return fmt.Errorf("the stopped voter's last contact is %d ms ago", ms)
		}
		return nil
	})
	mustReply(t, m, "-ERR FAILOVER target replica is not online.\r\n", "FAILOVER", "TO", tHost, tPort)

	if err := syscall.Kill(target.pid(), syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, func() error {
		if ms := lastContactMs(t, leader, target); ms < 0 || ms > 200 {
			return fmt.Errorf("the voter's last contact is %d ms ago", ms)
		}
		return nil
	})
	syscall.Kill(target.pid(), syscall.SIGSTOP)
	mustReply(t, m, "+OK\r\n", "SET", "behind", "2")
	mustReply(t, m, "+OK\r\n", "FAILOVER", "TO", tHost, tPort)
	start := time.Now()
	leader.cmd.Process.Signal(syscall.SIGTERM)
	waitFor(t, 5*time.Second, func() error {
		if !leader.logged("FAILOVER aborted: the node is stopping") {
			return errors.New("the stop has not aborted the FAILOVER")
		}
		return nil
	})
	// Let the voter answer again, so that neither the stop's own hand-over
	// nor Raft's shutdown waits for its RPCs to time out.
	syscall.Kill(target.pid(), syscall.SIGCONT)
	leader.wait()
	if code := leader.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("SIGTERM during a FAILOVER that cannot end: exit code %d", code)
	}
	t.Logf("SIGTERM during a FAILOVER without timeout: exited after %v", time.Since(start).Round(time.Millisecond))
}

// stuckFailover stops the replica at replicaAddr (process pid) and runs,
// on the master at masterAddr: a write the replica lacks, FAILOVER TO it
// (shown in INFO, a second refused), FAILOVER ABORT (a write goes
// through after it), FAILOVER TO it with TIMEOUT 200 (ends by itself).
// The replica runs again after.
func stuckFailover(t *testing.T, name, masterAddr, replicaAddr string, pid int) {
	t.Helper()
	rHost, rPort, _ := net.SplitHostPort(replicaAddr)
	m := dialDiffSide(t, name+" master", masterAddr)
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	defer syscall.Kill(pid, syscall.SIGCONT)
	mustReply(t, m, "+OK\r\n", "SET", "behind", "1")
	mustReply(t, m, "+OK\r\n", "FAILOVER", "TO", rHost, rPort, "TIMEOUT", "60000")
	if info := infoText(t, masterAddr, "replication"); strings.Contains(info, "master_failover_state:no-failover") {
		t.Fatalf("%s: a failover to a stopped replica is not shown: %s", name, info)
	}
	mustReply(t, m, "-ERR FAILOVER already in progress.\r\n", "FAILOVER")
	mustReply(t, m, "+OK\r\n", "FAILOVER", "ABORT")
	mustReply(t, m, "-ERR No failover in progress.\r\n", "FAILOVER", "ABORT")
	// Writes resume once the failover ends: on a node, once Raft's transfer
	// attempt ends: at once when it was waiting for the voter to catch up,
	// after its RPC to the voter times out (10 s) when it had already sent
	// it TimeoutNow (docs/operations.md).
	c := redis.NewClient(&redis.Options{Addr: masterAddr, MaxRetries: -1})
	defer c.Close()
	aborted := time.Now()
	waitFor(t, 15*time.Second, func() error { return c.Set(ctx, "after-abort", "1", 0).Err() })
	t.Logf("%s: writes resumed %v after FAILOVER ABORT", name, time.Since(aborted).Round(time.Millisecond))
	mustReply(t, m, "+OK\r\n", "FAILOVER", "TO", rHost, rPort, "TIMEOUT", "200")
	waitFor(t, 5*time.Second, func() error {
		if info := infoText(t, masterAddr, "replication"); !strings.Contains(info, "master_failover_state:no-failover") {
			return fmt.Errorf("%s: the failover has not timed out: %s", name, info)
		}
		return nil
	})
	waitFor(t, 15*time.Second, func() error { return c.Set(ctx, "after-timeout", "1", 0).Err() })
}

// redisPid is the process ID redis-server at addr reports.
func redisPid(t *testing.T, addr string) int {
	t.Helper()
	info := infoText(t, addr, "server")
	_, rest, _ := strings.Cut(info, "process_id:")
	pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(rest, "\r\n", 2)[0]))
	if err != nil {
		t.Fatalf("no process_id in INFO server of %s: %v", addr, err)
	}
	return pid
}

// lastContactMs is RAFT MEMBERS's last_contact_ms of member on n.
func lastContactMs(t *testing.T, n, member *node) int64 {
	t.Helper()
	ms, err := n.Client(noRetries).Do(ctx, "RAFT", "MEMBERS").Slice()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if mm, ok := m.(map[any]any); ok && mm["client_addr"] == member.addr() {
			return mm["last_contact_ms"].(int64)
		}
	}
	t.Fatalf("%s is not in RAFT MEMBERS: %v", member.addr(), ms)
	return 0
}

// TestClusterFailoverMatchesRedis: CLUSTER FAILOVER, CLUSTER REPLICAS and
// ASKING answer a master as a Redis 7.0 cluster node does; on three nodes
// CLUSTER REPLICAS lists the followers' CLUSTER NODES lines.
func TestClusterFailoverMatchesRedis(t *testing.T) {
	redisAddr := startRedisServer(t, "--cluster-enabled", "yes", "--cluster-config-file",
		filepath.Join(t.TempDir(), "nodes.conf"))
	single := startNode(t)
	for _, side := range []namedAddr{{"redis", redisAddr}, {"geetcache", single.addr()}} {
		s := dialDiffSide(t, side.name, side.addr)
		id, err := s.roundTrip([]string{"CLUSTER", "MYID"})
		if err != nil {
			t.Fatal(err)
		}
		myID := strings.TrimSpace(strings.SplitN(string(id.raw), "\r\n", 2)[1])
		mustReply(t, s, "-ERR You should send CLUSTER FAILOVER to a replica\r\n", "CLUSTER", "FAILOVER")
		mustReply(t, s, "-ERR You should send CLUSTER FAILOVER to a replica\r\n", "CLUSTER", "FAILOVER", "FORCE")
		mustReply(t, s, "-ERR You should send CLUSTER FAILOVER to a replica\r\n", "CLUSTER", "FAILOVER", "TAKEOVER")
		mustReply(t, s, "-ERR syntax error\r\n", "CLUSTER", "FAILOVER", "NOW")
		mustReply(t, s, "-ERR unknown subcommand or wrong number of arguments for 'FAILOVER'. Try CLUSTER HELP.\r\n",
			"CLUSTER", "FAILOVER", "FORCE", "X")
		mustReply(t, s, "-ERR Unknown node nosuchnode\r\n", "CLUSTER", "REPLICAS", "nosuchnode")
		mustReply(t, s, "*0\r\n", "CLUSTER", "REPLICAS", myID)
		mustReply(t, s, "*0\r\n", "CLUSTER", "SLAVES", myID)
		mustReply(t, s, "+OK\r\n", "ASKING")
		mustReply(t, s, "-ERR wrong number of arguments for 'asking' command\r\n", "ASKING", "x")
	}

	_, leader, follower := startClusterWithFollower(t)
	c := follower.Client(noRetries)
	leaderID, err := leader.Client(noRetries).Do(ctx, "CLUSTER", "MYID").Text()
	if err != nil {
		t.Fatal(err)
	}
	lines, err := c.Do(ctx, "CLUSTER", "REPLICAS", leaderID).StringSlice()
	if err != nil || len(lines) != 2 {
		t.Fatalf("CLUSTER REPLICAS of the leader: %q, %v; want the two followers' lines", lines, err)
	}
	nodes, _ := c.Do(ctx, "CLUSTER", "NODES").Text()
	for _, l := range lines {
		if !strings.Contains(l, "slave "+leaderID+" ") || !strings.Contains(nodes, l) {
			t.Fatalf("CLUSTER REPLICAS line %q is not a replica's CLUSTER NODES line:\n%s", l, nodes)
		}
	}
	followerID, _ := c.Do(ctx, "CLUSTER", "MYID").Text()
	if err := c.Do(ctx, "CLUSTER", "REPLICAS", followerID).Err(); err == nil || err.Error() != "ERR The specified node is not a master" {
		t.Fatalf("CLUSTER REPLICAS of a replica: %v", err)
	}
}

// roleOf is ROLE's first element at addr.
func roleOf(t *testing.T, addr string) string {
	t.Helper()
	s := dialDiffSide(t, "role", addr)
	defer s.conn.Close()
	rep, err := s.roundTrip([]string{"ROLE"})
	if err != nil {
		return err.Error()
	}
	parts := strings.Split(string(rep.raw), "\r\n")
	if len(parts) < 3 {
		return string(rep.raw)
	}
	return parts[2]
}

// infoText is INFO section at addr.
func infoText(t *testing.T, addr, section string) string {
	t.Helper()
	s := dialDiffSide(t, "info", addr)
	defer s.conn.Close()
	rep, err := s.roundTrip([]string{"INFO", section})
	if err != nil {
		return err.Error()
	}
	return string(rep.raw)
}
