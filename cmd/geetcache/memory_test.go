package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// procStatus reads a "<field>: N kB" line of /proc/<pid>/status, in bytes.
// The test is skipped where there is no /proc.
func procStatus(t testing.TB, pid int, field string) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc/<pid>/status: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == field+":" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}

// resetPeakRSS makes VmHWM start again from the current VmRSS.
func resetPeakRSS(t testing.TB, pid int) {
	t.Helper()
	if err := os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0); err != nil {
		t.Skipf("cannot reset the peak RSS: %v", err)
	}
}

// pipelineSets writes count SETs of size-byte values on one connection
// and reads their replies, each of which must be +OK.
func pipelineSets(t *testing.T, n *node, prefix string, count, size int) {
	t.Helper()
	c := n.Dial()
	c.SetDeadline(time.Now().Add(60 * time.Second))
	done := make(chan error, 1)
	go func() {
		bw := bufio.NewWriterSize(c, 1<<20)
		val := bytes.Repeat([]byte("v"), size)
		for i := range count {
			key := prefix + strconv.Itoa(i)
			fmt.Fprintf(bw, "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n", len(key), key, size)
			bw.Write(val)
			bw.WriteString("\r\n")
		}
		done <- bw.Flush()
	}()
	want := bytes.Repeat([]byte("+OK\r\n"), count)
	got := make([]byte, len(want))
	if _, err := io.ReadFull(c, got); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("replies to %d SETs: %v (%.40q...)", count, err, got)
	}
	if err := <-done; err != nil {
		t.Fatalf("write SETs: %v", err)
	}
	c.Close() // and with it the server's read buffer for it
}

// largeValue is the value of TestLargeValueMemory: Redis 7.0.15 peaks at
// 1.03x a value this size (412 MB of RSS for a 400 MB SET).
const largeValue = 100 << 20

// Bounds of TestLargeValueMemory, as multiples of the value. The peak
// counts every copy the write makes on its way (the front end's read
// buffer, the log entry, its msgpack encoding in the log store and bbolt's
// page buffer) and the garbage the collector has not yet reclaimed; what
// stays is the value, kept as the log entry's own bytes.
const (
	maxLargeValuePeak     = 5.0
	maxLargeValueRetained = 1.3
)

// TestLargeValueMemory: one large SET costs about its size once it is
// stored, and a bounded multiple of it while it is written.
func TestLargeValueMemory(t *testing.T) {
	n := startNode(t)
	base := procStatus(t, n.pid(), "VmHWM")
	pipelineSets(t, n, "big", 1, largeValue)
	peak := procStatus(t, n.pid(), "VmHWM")
	c := n.Client()
	if got := c.StrLen(ctx, "big0").Val(); got != largeValue {
		t.Fatalf("STRLEN big0 = %d, want %d", got, largeValue)
	}
	// The SET's connection, closed by pipelineSets, takes its read buffer
	// (the value again) with it only once the server has seen it go.
	waitFor(t, 5*time.Second, func() error {
		if k := connectedClients(t, n); k != 1 {
			return fmt.Errorf("%d clients", k)
		}
		return nil
	})
	if err := c.Do(ctx, "MEMORY", "PURGE").Err(); err != nil {
		t.Fatalf("MEMORY PURGE: %v", err)
	}
	used := usedMemory(t, c)
	peakRatio, usedRatio := float64(peak)/largeValue, float64(used)/largeValue
	t.Logf("one %d MB SET: peak RSS %d MB (%d MB before), %.2fx the value (Redis 7.0.15: 1.03x); heap after MEMORY PURGE %d MB, %.2fx",
		largeValue>>20, peak>>20, base>>20, peakRatio, used>>20, usedRatio)
	if peakRatio > maxLargeValuePeak {
		t.Errorf("peak RSS %.2fx the value, want at most %.1fx", peakRatio, maxLargeValuePeak)
	}
	if usedRatio > maxLargeValueRetained {
		t.Errorf("heap %.2fx the value once stored, want at most %.1fx", usedRatio, maxLargeValueRetained)
	}
}

// usedMemory returns INFO memory's allocator_allocated: the Go heap in
// use (used_memory is the replicated estimate maxmemory is judged by).
func usedMemory(t *testing.T, c *redis.Client) int64 {
	t.Helper()
	info, err := c.Info(ctx, "memory").Result()
	if err != nil {
		t.Fatalf("INFO memory: %v", err)
	}
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, "allocator_allocated:"); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				t.Fatalf("used_memory %q: %v", v, err)
			}
			return n
		}
	}
	t.Fatal("INFO memory has no allocator_allocated")
	return 0
}

// snapshotData is how much TestSnapshotMemory stores before snapshotting.
const (
	snapshotValues    = 1200
	snapshotValueSize = 256 << 10
)

// maxSnapshotRise bounds how far the peak RSS may rise above the RSS
// before a snapshot of about 300 MB: the snapshot streams, so it needs
// buffers, not a second image of the data.
const maxSnapshotRise = 64 << 20

// TestSnapshotMemory: a snapshot streams the keyspace to disk with bounded
// extra memory (a node holding most of its memory limit must survive its
// own snapshot).
func TestSnapshotMemory(t *testing.T) {
	needFreeDisk(t, 2<<30) // 300 MB of values, in the log and in two snapshots
	// No automatic snapshot (by count or by bytes) may run beside the one measured.
	n := startNode(t, "--raft-snapshot-interval", "1h", "--raft-snapshot-threshold-bytes", "1073741824")
	pipelineSets(t, n, "snap", snapshotValues, snapshotValueSize)
	before := procStatus(t, n.pid(), "VmRSS")
	resetPeakRSS(t, n.pid())
	start := time.Now()
	if err := n.Client().Do(ctx, "RAFT", "SNAPSHOT").Err(); err != nil {
		t.Fatalf("RAFT SNAPSHOT: %v", err)
	}
	rise := procStatus(t, n.pid(), "VmHWM") - before
	t.Logf("snapshot of %d MB of values in %v: RSS %d MB before, peak rose by %d MB",
		snapshotValues*snapshotValueSize>>20, time.Since(start).Round(time.Millisecond), before>>20, rise>>20)
	if rise > maxSnapshotRise {
		t.Errorf("peak RSS rose by %d MB during the snapshot, want at most %d MB", rise>>20, maxSnapshotRise>>20)
	}
	if code := n.Term(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	n.Restart()
	if got := n.Client().StrLen(ctx, "snap"+strconv.Itoa(snapshotValues-1)).Val(); got != snapshotValueSize {
		t.Fatalf("STRLEN of the last key after a restart from the snapshot: %d, want %d", got, snapshotValueSize)
	}
}
