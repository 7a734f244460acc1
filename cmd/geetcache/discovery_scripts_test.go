package main

// Client libraries in other languages pointed at the three nodes of a
// cluster (redis-py's Sentinel and RedisCluster here, the Node.js clients
// in discovery_node_test.go): each writes and reads, the leader is killed,
// and the same client goes on with the new leader within failoverBudget.
// The clients run as child processes (testdata/redispy_discovery.py,
// testdata/node/discovery.js) that print "kill-leader" when their first
// phase is done; the test kills the leader and tells them on stdin.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRedisPyDiscovery(t *testing.T) {
	py := pythonWithRedis(t)
	for _, mode := range []string{"sentinel", "cluster"} {
		t.Run(mode, func(t *testing.T) {
			nodes := startCluster(t)
			leader := waitForAddrs(t, nodes)
			addrs := clientAddrs(nodes)
			if mode == "cluster" {
				// redis-py 4.3.4 (Debian's) cannot rebuild its slot map
				// while its first startup node is down, whatever the
				// server (see the script): the leader, which the test
				// kills, goes last.
				addrs = leaderLast(nodes, leader)
			}
			r := runFailoverClient(t, nodes, nil, append([]string{py, filepath.Join("testdata", "redispy_discovery.py"),
				mode, "py:" + mode + ":"}, addrs...)...)
			t.Logf("redis-py %s: %s", mode, r)
		})
	}
}

// leaderLast lists the nodes' client addresses, leader's last.
func leaderLast(nodes []*node, leader *node) []string {
	var out []string
	for _, n := range nodes {
		if n != leader {
			out = append(out, n.addr())
		}
	}
	return append(out, leader.addr())
}

// runFailoverClient runs a client process that follows the protocol above,
// kills the leader when asked, and returns the client's result line. It
// fails the test when the process fails, when the client took longer than
// failoverBudget to be served again, or when it says it now writes to a
// node other than the new leader (a "master=host:port" line).
func runFailoverClient(t *testing.T, nodes []*node, env []string, argv ...string) string {
	t.Helper()
	result, master := runClientProcess(t, nodes, env, argv...)
	checkClientResult(t, nodes, result, master)
	return result
}

// runClientProcess runs the client process, kills the leader when it asks,
// and returns its result and master lines; it fails the test when the
// process fails.
func runClientProcess(t *testing.T, nodes []*node, env []string, argv ...string) (result, master string) {
	t.Helper()
	cctx, cancel := context.WithTimeout(context.Background(), clientScriptTimeout)
	defer cancel()
	cmd := exec.CommandContext(cctx, argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = &logWriter{t: t}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	result, master = followClient(t, nodes, stdout, stdin)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("%s: %v", strings.Join(argv, " "), err)
	}
	return result, master
}

// followClient reads the client's lines, kills the leader at
// "kill-leader", and returns its result and master lines.
func followClient(t *testing.T, nodes []*node, stdout io.Reader, stdin io.WriteCloser) (result, master string) {
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := sc.Text()
		t.Log("client: " + line)
		switch {
		case line == "kill-leader":
			waitForLeader(t, nodes, 10*time.Second).Kill9()
			fmt.Fprintln(stdin, "killed")
		case strings.HasPrefix(line, "result "):
			result = strings.TrimPrefix(line, "result ")
		case strings.HasPrefix(line, "master="):
			master = strings.TrimPrefix(line, "master=")
		}
	}
	stdin.Close()
	return result, master
}

// checkClientResult checks the recovery time in result against
// failoverBudget and master against the new leader.
func checkClientResult(t *testing.T, nodes []*node, result, master string) {
	t.Helper()
	var before, after, failed, ms int
	if _, err := fmt.Sscanf(result, "before=%d after=%d failed=%d recovered_ms=%d", &before, &after, &failed, &ms); err != nil {
		t.Fatalf("client result %q: %v", result, err)
	}
	if d := time.Duration(ms) * time.Millisecond; d > failoverBudget {
		t.Errorf("the client took %v to be served again after the leader was killed (budget %v)", d, failoverBudget)
	}
	var alive []*node
	for _, n := range nodes {
		select {
		case <-n.done:
		default:
			alive = append(alive, n)
		}
	}
	if leader := waitForLeader(t, alive, 10*time.Second); master != "" && master != leader.addr() {
		t.Errorf("the client now writes to %s; the leader is %s", master, leader.addr())
	}
}

// logWriter sends a child's stderr to the test log.
type logWriter struct{ t *testing.T }

func (w *logWriter) Write(p []byte) (int, error) {
	w.t.Log("client stderr: " + strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
