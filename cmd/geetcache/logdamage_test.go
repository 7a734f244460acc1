package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/raft"
	raftboltdb "github.com/hashicorp/raft-boltdb/v2"
	wal "github.com/hashicorp/raft-wal"
	"github.com/hashicorp/raft-wal/metadb"

	"github.com/geetcache/geetcache/protocol"
)

// damageValue is what TestDamagedLogRefusesStart writes and then damages
// in raft.db: long and unlike anything else in the file.
var damageValue = "integrity-check-value-" + strings.Repeat("0123456789abcdef", 6)

// raftLogs are the --raft-log stores a test runs with.
var raftLogs = []string{"wal", "bolt"}

// damageCase damages the stopped node's raft log where damageValue lies
// (every copy: freed bbolt pages keep old ones). file is the log file
// holding it, b its bytes, at the offsets of damageValue in b.
type damageCase struct {
	name   string
	damage func(b []byte, at []int)
}

// TestDamagedLogRefusesStart writes a key, stops the node, damages the
// raft log where the value lies and restarts it: the node must refuse to
// start with one line naming the log, saying it is damaged and how to
// recover; never serve a wrong value or nothing for an acknowledged
// write, never a panic or stack trace. Before (bolt): a flipped value byte
// was served as the value; a damaged page header panicked in bbolt. With
// wal, a damaged last batch is taken by raft-wal for a write torn by a
// crash and dropped: the node checks the log still reaches the last entry
// it held when it stopped.
func TestDamagedLogRefusesStart(t *testing.T) {
	flip := func(b []byte, at []int) {
		for _, i := range at {
			b[i+len(damageValue)/2] ^= 0x01
		}
	}
	bolt := []damageCase{
		{"value byte", flip},
		{"page id in the page header", func(b []byte, at []int) {
			for _, i := range at {
				b[i/boltPageSize(b)*boltPageSize(b)] ^= 0x01
			}
		}},
		{"page flags in the page header", func(b []byte, at []int) {
			for _, i := range at {
				b[i/boltPageSize(b)*boltPageSize(b)+8] = 0xff
			}
		}},
	}
	wal := []damageCase{
		{"value byte", flip},
		{"log zeroed from the value on", func(b []byte, at []int) { clear(b[at[0]:]) }},
	}
	for _, store := range raftLogs {
		cases := map[string][]damageCase{"wal": wal, "bolt": bolt}[store]
		for _, tc := range cases {
			for _, later := range []int{0, 20} {
				t.Run(fmt.Sprintf("%s/%s/writes after it=%d", store, tc.name, later), func(t *testing.T) {
					damagedLogRefusesStart(t, store, tc, later)
				})
			}
		}
	}
}

// damagedLogRefusesStart is one case of TestDamagedLogRefusesStart: the
// damaged key, then later writes of other keys.
func damagedLogRefusesStart(t *testing.T, store string, tc damageCase, later int) {
	n := startNode(t, "--raft-log", store)
	c := n.Client(noRetries)
	if err := c.Set(ctx, "damaged", damageValue, 0).Err(); err != nil {
		t.Fatalf("SET: %v", err)
	}
	for i := range later {
		if err := c.Set(ctx, fmt.Sprintf("later%d", i), i, 0).Err(); err != nil {
			t.Fatalf("SET: %v", err)
		}
	}
	if code := n.Term(); code != 0 {
		t.Fatalf("exit code %d after SIGTERM", code)
	}
	file, b, at := findInLog(t, n.dir, store, damageValue)
	tc.damage(b, at)
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	stderr, code := restartExpectingRefusal(t, n, "damaged")
	assertOneClearLine(t, stderr, code, raftLogPath(n.dir, store), "damaged", "wipe")
}

// boltPageSize reads a bbolt file's page size from its meta page:
// header(16) magic(4) version(4) pageSize(4).
func boltPageSize(b []byte) int { return int(binary.LittleEndian.Uint32(b[24:])) }

// raftLogPath is the file (bolt) or directory (wal) of a node's raft log.
func raftLogPath(dir, store string) string {
	if store == "bolt" {
		return filepath.Join(dir, "raft.db")
	}
	return filepath.Join(dir, "wal")
}

// findInLog returns the raft log file holding value, its bytes and the
// offsets of value in it.
func findInLog(t *testing.T, dir, store, value string) (string, []byte, []int) {
	t.Helper()
	files := []string{raftLogPath(dir, store)}
	if store == "wal" {
		files, _ = filepath.Glob(filepath.Join(dir, "wal", "*.wal"))
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if at := occurrences(b, []byte(value)); len(at) > 0 {
			return file, b, at
		}
	}
	t.Fatalf("value not found in %v", files)
	return "", nil, nil
}

// TestLogEntryFromNewerVersionRefusesStart appends to a stopped node's log
// an entry naming a command this binary does not know, as a newer
// geetcache leader would write it, followed by an ordinary SET. The node
// must refuse to apply it (and everything after it) with one line saying
// to upgrade. Before: the unknown command was answered with an error and
// skipped, and the SET after it applied: the node diverged in silence
// from the upgraded ones.
func TestLogEntryFromNewerVersionRefusesStart(t *testing.T) {
	for _, store := range raftLogs {
		t.Run(store, func(t *testing.T) {
			n := startNode(t, "--raft-log", store)
			if err := n.Client(noRetries).Set(ctx, "before", "1", 0).Err(); err != nil {
				t.Fatalf("SET: %v", err)
			}
			if code := n.Term(); code != 0 {
				t.Fatalf("exit code %d after SIGTERM", code)
			}
			appendEntries(t, n.dir, store,
				protocol.Entry{Kind: protocol.EntryCommands, Time: time.Now().UnixMilli(), Level: 1,
					Units: []protocol.Unit{{Proto: 2, Cmds: [][][]byte{{[]byte("FUTURECMD"), []byte("k")}}}}},
				protocol.Entry{Kind: protocol.EntryCommands, Time: time.Now().UnixMilli(), Level: 1,
					Units: []protocol.Unit{{Proto: 2, Cmds: [][][]byte{{[]byte("SET"), []byte("after"), []byte("1")}}}}})
			stderr, code := restartExpectingRefusal(t, n, "after")
			assertOneClearLine(t, stderr, code, "FUTURECMD", "newer geetcache", "upgrade")
		})
	}
}

// openStoppedLog opens a stopped node's raft log with the library that
// wrote it; close closes it (raft-wal's Close leaves its meta file open).
func openStoppedLog(t *testing.T, dir, store string) (logs raft.LogStore, close func()) {
	t.Helper()
	if store == "bolt" {
		b, err := raftboltdb.NewBoltStore(raftLogPath(dir, store))
		if err != nil {
			t.Fatal(err)
		}
		return b, func() { b.Close() }
	}
	meta := &metadb.BoltMetaDB{}
	w, err := wal.Open(raftLogPath(dir, store), wal.WithMetaStore(meta))
	if err != nil {
		t.Fatal(err)
	}
	return w, func() { w.Close(); meta.Close() }
}

// appendEntries appends entries to a stopped node's raft log at the last
// entry's term, as a leader of that term would have.
func appendEntries(t *testing.T, dir, store string, entries ...protocol.Entry) {
	t.Helper()
	logs, close := openStoppedLog(t, dir, store)
	defer close()
	last, err := logs.LastIndex()
	if err != nil {
		t.Fatal(err)
	}
	var prev raft.Log
	if err := logs.GetLog(last, &prev); err != nil {
		t.Fatal(err)
	}
	for i := range entries {
		l := &raft.Log{Index: last + 1 + uint64(i), Term: prev.Term, Type: raft.LogCommand, Data: entries[i].AppendBinary(nil)}
		if err := logs.StoreLog(l); err != nil {
			t.Fatal(err)
		}
	}
}

// restartExpectingRefusal starts n's process again and returns its stderr
// and exit code once it exits. If it starts serving instead, the test fails
// with what GET key answers.
func restartExpectingRefusal(t *testing.T, n *node, key string) (string, int) {
	t.Helper()
	cmd := exec.Command(binPath, n.args...)
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	defer func() {
		cmd.Process.Signal(syscall.SIGKILL)
		<-exited
	}()
	deadline := time.Now().Add(startTimeout)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return stderr.String(), cmd.ProcessState.ExitCode()
		case <-time.After(20 * time.Millisecond):
		}
		if n.ping() == nil {
			got, err := n.Client(noRetries).Get(ctx, key).Result()
			t.Fatalf("node started on the damaged log; GET %s: %q (err %v)\nstderr:\n%s", key, got, err, stderr.String())
		}
	}
	t.Fatalf("node neither exited nor served within %v; stderr:\n%s", startTimeout, stderr.String())
	return "", 0
}

// assertOneClearLine checks a refusal: a failing exit code, no panic or
// stack trace, and a last line holding every one of wants.
func assertOneClearLine(t *testing.T, stderr string, code int, wants ...string) {
	t.Helper()
	if code == 0 {
		t.Fatalf("exit code 0; stderr:\n%s", stderr)
	}
	for _, bad := range []string{"goroutine ", "panic"} {
		if strings.Contains(stderr, bad) {
			t.Errorf("stderr has %q:\n%s", bad, stderr)
		}
	}
	last := lastLine(stderr)
	for _, want := range wants {
		if !strings.Contains(last, want) {
			t.Errorf("last stderr line does not contain %q: %s", want, last)
		}
	}
	t.Logf("exit %d: %s", code, last)
}

func occurrences(b, sub []byte) []int {
	var at []int
	for i := 0; ; {
		j := bytes.Index(b[i:], sub)
		if j < 0 {
			return at
		}
		at = append(at, i+j)
		i += j + 1
	}
}

// lockedBuffer is a bytes.Buffer written by exec's copier and read by the
// test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
