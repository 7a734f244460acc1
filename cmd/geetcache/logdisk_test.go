package main

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// walSegmentBytes is the size of one wal segment file (cluster's
// walSegmentBytes).
const walSegmentBytes = 8 << 20

// TestLogDiskBounded overwrites the same 200 keys with 4 KiB values for a
// few seconds, snapshotting often: with the wal store the log's directory
// must end near the trailing logs' size (raft-wal deletes whole segments
// older than them), however much was written. The bolt file's size is
// logged beside it: bbolt reuses freed pages but never shrinks its file,
// so it stays at the largest log it ever held.
func TestLogDiskBounded(t *testing.T) {
	for _, store := range raftLogs {
		t.Run(store, func(t *testing.T) {
			n := startNode(t, "--raft-log", store, "--raft-snapshot-threshold", "2000",
				"--raft-snapshot-interval", "200ms", "--raft-trailing-logs", "100")
			path := raftLogPath(n.dir, store)
			written, peak := overwrite(t, n, path, 3*time.Second)
			if err := n.Client(noRetries).Save(ctx).Err(); err != nil {
				t.Fatalf("SAVE: %v", err)
			}
			final := diskUse(t, path)
			t.Logf("%s: wrote %d MiB of values; %s peaked at %.1f MiB, %.1f MiB after the last snapshot",
				store, written>>20, filepath.Base(path), mib(peak), mib(final))
			if store == "wal" && final > 3*walSegmentBytes {
				t.Errorf("wal directory %.1f MiB after a snapshot, want at most 3 segments (%d MiB)", mib(final), 3*walSegmentBytes>>20)
			}
		})
	}
}

// overwrite SETs 200 keys, in pipelines of 50, until d passes, and returns
// the bytes of values written and the peak disk use of path.
func overwrite(t *testing.T, n *node, path string, d time.Duration) (written int64, peak int64) {
	t.Helper()
	c := n.Client(noRetries)
	value := strings.Repeat("v", 4096)
	for start := time.Now(); time.Since(start) < d; {
		pipe := c.Pipeline()
		for i := range 50 {
			pipe.Set(ctx, fmt.Sprintf("k%d", (int(written/4096)+i)%200), value, 0)
		}
		if _, err := pipe.Exec(ctx); err != nil {
			t.Fatalf("SET: %v", err)
		}
		written += 50 * 4096
		peak = max(peak, diskUse(t, path))
	}
	return written, peak
}

// diskUse is the disk space used by a file or directory tree (allocated
// blocks, so preallocated segments count whole).
func diskUse(t *testing.T, path string) int64 {
	t.Helper()
	var total int64
	err := filepath.WalkDir(path, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		total += allocated(info)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return total
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }
