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
