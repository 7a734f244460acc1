package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// snapArgs keep Raft from snapshotting on its own and compact the log down
// to one entry after each snapshot, so that an older snapshot cannot stand
// in for a newer one.
var snapArgs = []string{"--raft-snapshot-interval", "1h", "--raft-trailing-logs", "1"}

// newestSnapshot returns the directory of the newest completed snapshot.
func newestSnapshot(t *testing.T, dir string) string {
	t.Helper()
	root := filepath.Join(dir, "snapshots")
	entries, _ := os.ReadDir(root)
	best, bestIndex := "", uint64(0)
	for _, e := range entries {
		var m struct{ Index uint64 }
		b, err := os.ReadFile(filepath.Join(root, e.Name(), "meta.json"))
		if err != nil || json.Unmarshal(b, &m) != nil {
			continue
		}
		if m.Index >= bestIndex {
			best, bestIndex = filepath.Join(root, e.Name()), m.Index
		}
	}
	if best == "" {
		t.Fatalf("no snapshot in %s", root)
	}
	return best
}

// snapshotNode starts a node, writes keys between snapshots (count of
// them) and stops it cleanly.
func snapshotNode(t *testing.T, snapshots int) *node {
	t.Helper()
	n := startNode(t, snapArgs...)
	c := n.Client(noRetries)
	for s := range snapshots {
		for i := range 50 {
			key := "snap:" + strconv.Itoa(s) + ":" + strconv.Itoa(i)
			if err := c.Set(ctx, key, strings.Repeat("v", 1000), 0).Err(); err != nil {
				t.Fatalf("SET %s: %v", key, err)
			}
		}
		if err := c.Do(ctx, "RAFT", "SNAPSHOT").Err(); err != nil {
			t.Fatalf("RAFT SNAPSHOT: %v", err)
		}
	}
	if code := n.Term(); code != 0 {
		t.Fatalf("exit code %d after SIGTERM", code)
	}
	return n
}

// TestStaleSnapshotTmpRemoved: what an interrupted snapshot leaves behind
// (raft's "<name>.tmp" directory) is removed at start, and the data stays.
func TestStaleSnapshotTmpRemoved(t *testing.T) {
	n := snapshotNode(t, 1)
	stale := filepath.Join(n.dir, "snapshots", "2-99-123.tmp")
	if err := os.MkdirAll(stale, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(stale, "state.bin"), make([]byte, 1<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	n.Restart()
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale snapshot %s still there after a restart (stat: %v)", stale, err)
	}
	if got := n.Client().Get(ctx, "snap:0:49").Val(); len(got) != 1000 {
		t.Errorf("GET snap:0:49 after restart: %d bytes, want 1000", len(got))
	}
}

// TestHalfDeletedSnapshotRemoved: raft deletes an old snapshot's files
// before its directory, so a kill -9 while it does leaves an old snapshot
// directory without meta.json; the next start removes it and starts. Before:
// the node refused to start, calling the metadata damaged (seen in
// TestDurability's kill -9 after snapshots).
func TestHalfDeletedSnapshotRemoved(t *testing.T) {
	n := snapshotNode(t, 1)
	half := filepath.Join(n.dir, "snapshots", "1-1-1")
	if err := os.MkdirAll(half, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(half, "state.bin"), make([]byte, 1<<10), 0o644); err != nil {
		t.Fatal(err)
	}
	n.Restart()
	if _, err := os.Stat(half); !os.IsNotExist(err) {
		t.Errorf("half-deleted snapshot %s still there after a restart (stat: %v)", half, err)
	}
	if got := n.Client().Get(ctx, "snap:0:49").Val(); len(got) != 1000 {
		t.Errorf("GET snap:0:49 after restart: %d bytes, want 1000", len(got))
	}
}

// TestDamagedSnapshotRefusesStart flips one byte of a snapshot the node
// made (or garbles its metadata): the node must refuse to start with one
// clear line naming the file and saying how to recover, never a panic, a
// stack trace or a start from an older snapshot.
func TestDamagedSnapshotRefusesStart(t *testing.T) {
	cases := []struct {
		name      string
		snapshots int
		file      string
		damage    func(b []byte) []byte
	}{
		{"value byte of the only snapshot", 1, "state.bin", flipMiddle},
		{"value byte of the newer of two", 2, "state.bin", flipMiddle},
		{"last byte of the newer of two", 2, "state.bin", func(b []byte) []byte { b[len(b)-1] ^= 0x01; return b }},
		{"truncated state of the newer of two", 2, "state.bin", func(b []byte) []byte { return b[:len(b)/2] }},
		{"metadata of the newer of two", 2, "meta.json", func(b []byte) []byte { return b[:len(b)/2] }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := snapshotNode(t, tc.snapshots)
			file := filepath.Join(newestSnapshot(t, n.dir), tc.file)
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, tc.damage(b), 0o644); err != nil {
				t.Fatal(err)
			}
			_, stderr, code := runBinary(t, nil, n.args...)
			if code == 0 {
				t.Fatalf("node started on a damaged snapshot; stderr:\n%s", stderr)
			}
			for _, bad := range []string{"goroutine", "panic"} {
				if strings.Contains(stderr, bad) {
					t.Errorf("stderr has %q:\n%s", bad, stderr)
				}
			}
			last := lastLine(stderr)
			for _, want := range []string{file, "damaged", "wipe"} {
				if !strings.Contains(last, want) {
					t.Errorf("last stderr line does not contain %q: %s", want, last)
				}
			}
			t.Logf("exit %d: %s", code, last)
		})
	}
}

func flipMiddle(b []byte) []byte {
	b[len(b)/2] ^= 0x01
	return b
}

func lastLine(s string) string {
	lines := slices.DeleteFunc(strings.Split(s, "\n"), func(l string) bool { return strings.TrimSpace(l) == "" })
	if len(lines) == 0 {
		return ""
	}
	return lines[len(lines)-1]
}
