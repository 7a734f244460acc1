package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// mountTmpfs mounts a tmpfs of the given size (e.g. "16m") on a fresh
// directory and unmounts it when the test ends. It skips the test when not
// root or when the mount fails (no CAP_SYS_ADMIN, e.g. in a container).
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	dir := filepath.Join(t.TempDir(), "mnt")
	if err := os.Mkdir(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		t.Skipf("cannot mount a tmpfs: %v", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("failed to unmount %s: %v", dir, err)
		}
	})
	return dir
}

// fillDisk writes zeros into dir/filler until the file system is full and
// returns the filler's path.
func fillDisk(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatalf("failed to create filler: %v", err)
	}
	defer f.Close()
	_, err = io.Copy(f, zeroReader{})
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("filling the disk ended with %v, want ENOSPC", err)
	}
	return path
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// electionLines counts the node's log lines that show an election.
func (n *node) electionLines() int {
	n.logMu.Lock()
	defer n.logMu.Unlock()
	count := 0
	for _, l := range n.logTail {
		if strings.Contains(l, "entering candidate state") || strings.Contains(l, "starting election") {
			count++
		}
	}
	return count
}

// diskFullReply starts the reply to a write refused because the Raft log
// cannot be written (checked against redis-server 7.0.15's AOF variant:
// "MISCONF Errors writing to the AOF file: No space left on device").
const diskFullReply = "MISCONF Errors writing to the Raft log: No space left on device"

// TestDiskFull fills a single node's data directory (a 16 MB tmpfs) and
// expects reads to go on, writes to be refused quickly with a MISCONF
// error, no elections, and writes to work again once space returns.
func TestDiskFull(t *testing.T) {
	dir := mountTmpfs(t, "16m")
	n := startNode(t, "--dir", dir, "--loglevel", "verbose")
	c := n.Client(noRetries, func(o *redis.Options) { o.ReadTimeout = 3 * time.Second })
	if err := c.Set(ctx, "a", "1", 0).Err(); err != nil {
		t.Fatalf("SET before filling: %v", err)
	}
	waitFor(t, 10*time.Second, func() error { return c.Get(ctx, "a").Err() })
	filler := fillDisk(t, dir)
	n.forgetLog()
	big := strings.Repeat("x", 64<<10)
	var badSets, slowSets, badGets []string
	for i := range 30 {
		start := time.Now()
		err := c.Set(ctx, fmt.Sprintf("big%d", i), big, 0).Err()
		if err == nil || !strings.HasPrefix(err.Error(), diskFullReply) {
			badSets = append(badSets, fmt.Sprint(err))
		}
		if d := time.Since(start); d > time.Second {
			slowSets = append(slowSets, d.String())
		}
		if got, err := c.Get(ctx, "a").Result(); err != nil || got != "1" {
			badGets = append(badGets, fmt.Sprintf("%q %v", got, err))
		}
		time.Sleep(100 * time.Millisecond) // spread the writes over a few election timeouts
	}
	elections := n.electionLines()
	t.Logf("disk full: %d/30 SETs without %q, %d slower than 1s, %d/30 GETs failed, %d election log lines",
		len(badSets), diskFullReply, len(slowSets), len(badGets), elections)
	if len(badSets)+len(slowSets)+len(badGets)+elections > 0 {
		t.Fatalf("want every SET refused quickly with MISCONF, every GET answered, no elections; bad SETs %q, slow SETs %q, bad GETs %q",
			first(badSets), first(slowSets), first(badGets))
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, func() error { return c.Set(ctx, "b", big, 0).Err() })
	if got, err := c.Get(ctx, "b").Result(); err != nil || got != big {
		t.Fatalf("GET after space returned: %d bytes, %v", len(got), err)
	}
}

// first returns at most the first three of s.
func first(s []string) []string { return s[:min(len(s), 3)] }

// TestDiskFullFollower fills one follower's data directory in a
// three-node cluster: the leader and the other follower go on taking
// writes and serving reads, no node starts an election, and the follower
// catches up once space returns.
func TestDiskFullFollower(t *testing.T) {
	dir := mountTmpfs(t, "16m")
	nodes := startClusterWith(t, func(i int, n *node) {
		n.args = append(n.args, "--loglevel", "verbose")
		if i == 2 {
			n.args = append(n.args, "--dir", dir)
		}
	})
	full := nodes[2]
	leader := waitForLeader(t, nodes, 20*time.Second)
	if leader == full {
		if err := leader.Client().Do(ctx, "RAFT", "TRANSFER", "n1").Err(); err != nil {
			t.Fatalf("RAFT TRANSFER n1: %v", err)
		}
		leader = waitForLeader(t, nodes[:2], 20*time.Second)
	}
	c := leader.Client(noRetries, func(o *redis.Options) { o.ReadTimeout = 3 * time.Second })
	if err := c.Set(ctx, "a", "1", 0).Err(); err != nil {
		t.Fatalf("SET before filling: %v", err)
	}
	filler := fillDisk(t, dir)
	for _, n := range nodes {
		n.forgetLog()
	}
	big := strings.Repeat("x", 64<<10)
	for i := range 30 {
		if err := c.Set(ctx, fmt.Sprintf("big%d", i), big, 0).Err(); err != nil {
			t.Fatalf("SET %d with a follower's disk full: %v", i, err)
		}
		if got, err := c.Get(ctx, "a").Result(); err != nil || got != "1" {
			t.Fatalf("GET %d with a follower's disk full: %q, %v", i, got, err)
		}
		time.Sleep(100 * time.Millisecond) // spread the writes over a few election timeouts
	}
	for _, n := range nodes {
		if e := n.electionLines(); e != 0 {
			t.Fatalf("node on port %d logged %d election lines while a follower's disk was full", n.port, e)
		}
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	waitSameDigest(t, nodes)
}

// TestDiskFullLeader fills the leader's data directory in a three-node
// cluster: it hands leadership to a follower once (at most one election),
// writes sent to any node, the full one included, succeed again within a
// few seconds, reads go on, and the full node catches up once space returns.
func TestDiskFullLeader(t *testing.T) {
	dir := mountTmpfs(t, "16m")
	nodes := startClusterWith(t, func(i int, n *node) {
		n.args = append(n.args, "--loglevel", "verbose")
		if i == 0 {
			n.args = append(n.args, "--dir", dir)
		}
	})
	full := nodes[0]
	if leader := waitForLeader(t, nodes, 20*time.Second); leader != full {
		if err := leader.Client().Do(ctx, "RAFT", "TRANSFER", "n1").Err(); err != nil {
			t.Fatalf("RAFT TRANSFER n1: %v", err)
		}
	}
	waitFor(t, 20*time.Second, func() error {
		if r, err := role(full); err != nil || r != "master" {
			return fmt.Errorf("n1 is %q (%v), want master", r, err)
		}
		return nil
	})
	c := full.Client(noRetries, func(o *redis.Options) { o.ReadTimeout = 3 * time.Second })
	if err := c.Set(ctx, "a", "1", 0).Err(); err != nil {
		t.Fatalf("SET before filling: %v", err)
	}
	filler := fillDisk(t, dir)
	for _, n := range nodes {
		n.forgetLog()
	}
	big := strings.Repeat("x", 64<<10)
	start := time.Now()
	var refused int
	waitFor(t, 10*time.Second, func() error {
		err := c.Set(ctx, "big", big, 0).Err()
		if err != nil && strings.HasPrefix(err.Error(), "MISCONF") {
			refused++
		}
		return err
	})
	t.Logf("writes through the full node succeeded again after %v (%d refused with MISCONF)", time.Since(start).Round(time.Millisecond), refused)
	for i := range 20 {
		for _, n := range nodes {
			cl := n.Client(noRetries, func(o *redis.Options) { o.ReadTimeout = 3 * time.Second })
			if err := cl.Set(ctx, fmt.Sprintf("k%d", i), big, 0).Err(); err != nil {
				t.Fatalf("SET %d through port %d after the hand-off: %v", i, n.port, err)
			}
			if got, err := cl.Get(ctx, "a").Result(); err != nil || got != "1" {
				t.Fatalf("GET %d through port %d: %q, %v", i, n.port, got, err)
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	elections := 0
	for _, n := range nodes {
		elections += n.electionLines()
	}
	// The hand-off is one election: the new leader's "entering candidate
	// state" and "starting election" lines. One more is allowed, because a
	// machine loaded by other work can miss a heartbeat on its own (seen
	// once: 4 lines, with two test runs and four builds sharing 2 cores);
	// a node that kept failing over while full would log many more.
	if elections > 4 {
		t.Fatalf("%d election log lines while the leader's disk was full, want at most the hand-off's and one more", elections)
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	waitSameDigest(t, nodes)
}
