package main

import (
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// sendLine writes a command and returns the first line of its reply ("" if
// the connection closed first).
func sendLine(t *testing.T, rd *bufio.Reader, c io.Writer, args ...string) string {
	t.Helper()
	if _, err := c.Write(appendCommand(nil, args...)); err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	line, _ := rd.ReadString('\n')
	return strings.TrimRight(line, "\r\n")
}

// TestShutdownReplies: SHUTDOWN's errors are redis-server 7.0.15's.
func TestShutdownReplies(t *testing.T) {
	n := startNode(t)
	c := n.Dial()
	rd := bufio.NewReader(c)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"SHUTDOWN", "ABORT"}, "-ERR No shutdown in progress."},
		{[]string{"SHUTDOWN", "abort", "abort"}, "-ERR No shutdown in progress."},
		{[]string{"SHUTDOWN", "FOO"}, "-ERR syntax error"},
		{[]string{"SHUTDOWN", "SAVE", "NOSAVE"}, "-ERR syntax error"},
		{[]string{"SHUTDOWN", "ABORT", "NOW"}, "-ERR syntax error"},
		{[]string{"SHUTDOWN", "NOW", "ABORT"}, "-ERR syntax error"},
		{[]string{"MULTI"}, "+OK"},
		{[]string{"SHUTDOWN"}, "-ERR Command not allowed inside a transaction"},
		{[]string{"EXEC"}, "-EXECABORT Transaction discarded because of previous errors."},
		{[]string{"EVAL", "return redis.pcall('shutdown','now')", "0"}, "-ERR This Redis command is not allowed from script"},
		{[]string{"CONFIG", "SET", "shutdown-timeout", "-1"}, "-ERR CONFIG SET failed (possibly related to argument 'shutdown-timeout') - argument must be between 0 and 2147483647 inclusive"},
		{[]string{"CONFIG", "SET", "shutdown-timeout", "3"}, "+OK"},
	} {
		if got := sendLine(t, rd, c, tc.args...); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.args, got, tc.want)
		}
	}
	if got, err := n.Client(noRetries).ConfigGet(ctx, "shutdown-timeout").Result(); err != nil || got["shutdown-timeout"] != "3" {
		t.Errorf("CONFIG GET shutdown-timeout: %v, %v", got, err)
	}
}

// TestShutdownSave: SHUTDOWN SAVE takes a Raft snapshot, closes the
// connection without a reply and exits 0; the data is there on restart.
func TestShutdownSave(t *testing.T) {
	n := startNode(t, snapArgs...)
	writeKeys(t, n, "k", 20)
	if _, err := os.Stat(filepath.Join(n.dir, "snapshots")); err == nil {
		if entries, _ := os.ReadDir(filepath.Join(n.dir, "snapshots")); len(entries) != 0 {
			t.Fatalf("a snapshot before SHUTDOWN SAVE: %v", entries)
		}
	}
	c := n.Dial()
	if got := sendLine(t, bufio.NewReader(c), c, "SHUTDOWN", "SAVE"); got != "" {
		t.Fatalf("SHUTDOWN SAVE replied %q, want the connection closed", got)
	}
	n.wait()
	if code := n.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("exit code %d after SHUTDOWN SAVE, want 0", code)
	}
	newestSnapshot(t, n.dir)
	n.Restart()
	if got, err := n.Client(noRetries).Get(ctx, "k19").Result(); err != nil || got != "19" {
		t.Fatalf("GET k19 after restart: %q, %v", got, err)
	}
}

// TestShutdownAbortCancelsSigterm: a leader that got SIGTERM hands its
// leadership over and then keeps serving a moment; SHUTDOWN ABORT then
// cancels the stop, as in Redis ("SHUTDOWN ABORT can cancel SIGTERM"), and
// the node keeps running, as a follower.
func TestShutdownAbortCancelsSigterm(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	c := leader.Dial()
	rd := bufio.NewReader(c)
	leader.cmd.Process.Signal(syscall.SIGTERM)
	deadline := time.Now().Add(5 * time.Second)
	var got string
	for got = sendLine(t, rd, c, "SHUTDOWN", "ABORT"); got != "+OK" && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
		got = sendLine(t, rd, c, "SHUTDOWN", "ABORT")
	}
	if got != "+OK" {
		t.Fatalf("SHUTDOWN ABORT after SIGTERM: %q, want +OK", got)
	}
	waitFor(t, 5*time.Second, func() error {
		if !leader.logged("shutdown manually aborted") {
			return errors.New("the abort is not logged")
		}
		return nil
	})
	select { // past the hand-over's drain, when the node would have stopped
	case <-leader.done:
		t.Fatalf("the node exited after SHUTDOWN ABORT: %v", leader.cmd.ProcessState)
	case <-time.After(time.Second):
	}
	if err := leader.ping(); err != nil {
		t.Fatalf("PING after the aborted stop: %v", err)
	}
	if err := leader.Client(noRetries).Set(ctx, "after", "1", 0).Err(); err != nil {
		t.Fatalf("SET through the node after the aborted stop: %v", err)
	}
}
