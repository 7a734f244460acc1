package main

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// TestBoltDirectoryMigratesToWAL starts a node with the old store
// (--raft-log bolt), writes, snapshots and writes again (so the log starts
// after a snapshot), stops it, leaves the debris of an interrupted earlier
// migration (wal.migrating/), and starts it with the default flags: the
// bolt log is migrated into wal/, raft.db set aside as raft.db.migrated,
// every key is there, the term did not go back, and writes and a second
// restart work. A raft.db found beside a complete wal/ (a crash between
// the two renames) is set aside again. Then --raft-log bolt on the
// migrated directory refuses to start, naming --raft-log wal, even with
// the old raft.db put back beside wal/.
func TestBoltDirectoryMigratesToWAL(t *testing.T) {
	n := startNode(t, "--raft-log", "bolt")
	writeKeys(t, n, "before-snapshot", 50)
	if err := n.Client(noRetries).Save(ctx).Err(); err != nil {
		t.Fatalf("SAVE: %v", err)
	}
	writeKeys(t, n, "after-snapshot", 50)
	term, err := infoField(n, "raft_term")
	if err != nil {
		t.Fatal(err)
	}
	if code := n.Term(); code != 0 {
		t.Fatalf("exit code %d after SIGTERM", code)
	}
	debris := filepath.Join(n.dir, "wal.migrating")
	if err := os.MkdirAll(debris, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(debris, "wal-meta.db"), []byte("half written"), 0o600); err != nil {
		t.Fatal(err)
	}
	n.args = slices.DeleteFunc(n.args, func(a string) bool { return a == "--raft-log" || a == "bolt" })
	n.Restart()
	for _, want := range []string{"migrated the bolt raft log into the wal store", "renamed the bolt raft log aside"} {
		if !n.logged(want) {
			t.Errorf("no log line %q", want)
		}
	}
	for _, f := range []string{"wal/wal-meta.db", "raft.db.migrated"} {
		if _, err := os.Stat(filepath.Join(n.dir, f)); err != nil {
			t.Errorf("after the migration: %v", err)
		}
	}
	if _, err := os.Stat(filepath.Join(n.dir, "raft.db")); err == nil {
		t.Error("raft.db is still there after the migration")
	}
	checkMigratedKeys(t, n, 50)
	newTerm, err := infoField(n, "raft_term")
	if a, b := atoi(t, term), atoi(t, newTerm); err != nil || b < a {
		t.Errorf("raft_term %d before the migration, %d (%v) after", a, b, err)
	}
	writeKeys(t, n, "migrated", 10)
	if code := n.Term(); code != 0 {
		t.Fatalf("exit code %d after SIGTERM", code)
	}
	if err := os.Rename(filepath.Join(n.dir, "raft.db.migrated"), filepath.Join(n.dir, "raft.db")); err != nil {
		t.Fatal(err)
	}
	n.Restart()
	if !n.logged("a migration into") {
		t.Error("no log line for the raft.db found beside wal/")
	}
	checkMigratedKeys(t, n, 50)
	mustEqual(t, "GET migrated9", n.Client().Get(ctx, "migrated9").Val(), "9")
	if code := n.Term(); code != 0 {
		t.Fatalf("exit code %d after SIGTERM", code)
	}
	if err := os.Rename(filepath.Join(n.dir, "raft.db.migrated"), filepath.Join(n.dir, "raft.db")); err != nil {
		t.Fatal(err)
	}
	n.args = append(n.args, "--raft-log", "bolt")
	stderr, code := restartExpectingRefusal(t, n, "migrated9")
	assertOneClearLine(t, stderr, code, "holds a wal raft log", "--raft-log wal")
}

// checkMigratedKeys checks the keys TestBoltDirectoryMigratesToWAL wrote.
func checkMigratedKeys(t *testing.T, n *node, count int) {
	t.Helper()
	c := n.Client()
	for _, prefix := range []string{"before-snapshot", "after-snapshot"} {
		for i := range count {
			k := prefix + strconv.Itoa(i)
			if got, err := c.Get(ctx, k).Result(); err != nil || got != strconv.Itoa(i) {
				t.Fatalf("GET %s = %q, %v; want %d", k, got, err, i)
			}
		}
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	i, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return i
}
