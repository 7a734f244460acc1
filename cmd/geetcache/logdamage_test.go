package main

import (
	"bytes"
	"encoding/binary"
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

	"github.com/geetcache/geetcache/protocol"
)

// damageValue is what TestDamagedLogRefusesStart writes and then damages
// in raft.db: long and unlike anything else in the file.
var damageValue = "integrity-check-value-" + strings.Repeat("0123456789abcdef", 6)

// TestDamagedLogRefusesStart writes a key, stops the node, damages raft.db
// where the value lies (every copy: freed bbolt pages keep old ones) and
// restarts it: the node must refuse to start with one line naming the file,
// saying it is damaged and how to recover; never serve a wrong value, never
// a panic or stack trace. Before: a flipped value byte was served as the
// value; a damaged page header panicked in bbolt.
func TestDamagedLogRefusesStart(t *testing.T) {
	cases := []struct {
		name   string
		damage func(b []byte, at []int, pageSize int)
	}{
		{"value byte", func(b []byte, at []int, _ int) {
			for _, i := range at {
				b[i+len(damageValue)/2] ^= 0x01
			}
		}},
		{"page id in the page header", func(b []byte, at []int, pageSize int) {
			for _, i := range at {
				b[i/pageSize*pageSize] ^= 0x01
			}
		}},
		{"page flags in the page header", func(b []byte, at []int, pageSize int) {
			for _, i := range at {
				b[i/pageSize*pageSize+8] = 0xff
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := startNode(t)
			if err := n.Client(noRetries).Set(ctx, "damaged", damageValue, 0).Err(); err != nil {
				t.Fatalf("SET: %v", err)
			}
			if code := n.Term(); code != 0 {
				t.Fatalf("exit code %d after SIGTERM", code)
			}
			file := filepath.Join(n.dir, "raft.db")
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			at := occurrences(b, []byte(damageValue))
			if len(at) == 0 {
				t.Fatalf("value not found in %s", file)
			}
			pageSize := int(binary.LittleEndian.Uint32(b[24:])) // meta page: header(16) magic(4) version(4) pageSize(4)
			tc.damage(b, at, pageSize)
			if err := os.WriteFile(file, b, 0o600); err != nil {
				t.Fatal(err)
			}
			stderr, code := restartExpectingRefusal(t, n, "damaged")
			assertOneClearLine(t, stderr, code, file, "damaged", "wipe")
		})
	}
}

// TestLogEntryFromNewerVersionRefusesStart appends to a stopped node's log
// an entry naming a command this binary does not know, as a newer
// geetcache leader would write it, followed by an ordinary SET. The node
// must refuse to apply it (and everything after it) with one line saying
// to upgrade. Before: the unknown command was answered with an error and
// skipped, and the SET after it applied: the node diverged in silence
// from the upgraded ones.
func TestLogEntryFromNewerVersionRefusesStart(t *testing.T) {
	n := startNode(t)
	if err := n.Client(noRetries).Set(ctx, "before", "1", 0).Err(); err != nil {
		t.Fatalf("SET: %v", err)
	}
	if code := n.Term(); code != 0 {
		t.Fatalf("exit code %d after SIGTERM", code)
	}
	file := filepath.Join(n.dir, "raft.db")
	appendEntries(t, file,
		protocol.Entry{Kind: protocol.EntryCommands, Time: time.Now().UnixMilli(), Level: 1,
			Units: []protocol.Unit{{Proto: 2, Cmds: [][][]byte{{[]byte("FUTURECMD"), []byte("k")}}}}},
		protocol.Entry{Kind: protocol.EntryCommands, Time: time.Now().UnixMilli(), Level: 1,
			Units: []protocol.Unit{{Proto: 2, Cmds: [][][]byte{{[]byte("SET"), []byte("after"), []byte("1")}}}}})
	stderr, code := restartExpectingRefusal(t, n, "after")
	assertOneClearLine(t, stderr, code, "FUTURECMD", "newer geetcache", "upgrade")
}

// appendEntries appends entries to the stopped node's raft log at the last
// entry's term, as a leader of that term would have.
func appendEntries(t *testing.T, file string, entries ...protocol.Entry) {
	t.Helper()
	store, err := raftboltdb.NewBoltStore(file)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	last, err := store.LastIndex()
	if err != nil {
		t.Fatal(err)
	}
	var prev raft.Log
	if err := store.GetLog(last, &prev); err != nil {
		t.Fatal(err)
	}
	for i := range entries {
		l := &raft.Log{Index: last + 1 + uint64(i), Term: prev.Term, Type: raft.LogCommand, Data: entries[i].AppendBinary(nil)}
		if err := store.StoreLog(l); err != nil {
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
