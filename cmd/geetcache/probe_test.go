package main

import (
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// runProbeCmd runs "geetcache <args>" and returns its exit code and stderr.
func runProbeCmd(t *testing.T, env []string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(binPath, args...)
	cmd.Env = env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	if err != nil && cmd.ProcessState == nil {
		t.Fatalf("geetcache %q: %v", args, err)
	}
	return cmd.ProcessState.ExitCode(), stderr.String()
}

// TestProbeSubcommands checks alive, ready and handover against a lone
// member of a three-node cluster (no leader: alive but not ready), a single
// node (ready; handover has nothing to do), a password-protected node
// (GEETCACHE_REQUIREPASS), and nothing listening.
func TestProbeSubcommands(t *testing.T) {
	ports := freePorts(t, 4)
	lone := &node{t: t, port: ports[0], raftPort: ports[1], dir: t.TempDir()}
	lone.args = []string{"--port", strconv.Itoa(lone.port), "--bind", "127.0.0.1", "--dir", lone.dir,
		"--node-id", "a", "--raft-addr", "127.0.0.1:" + strconv.Itoa(lone.raftPort), "--bootstrap", "--election-wait", "200ms",
		"--peers", fmt.Sprintf("a=127.0.0.1:%d,b=127.0.0.1:%d,c=127.0.0.1:%d", ports[1], ports[2], ports[3])}
	lone.launch()
	single := startNode(t)
	secret := startNode(t, "--requirepass", "s3cret")
	portEnv := func(n *node) []string { return []string{"GEETCACHE_PORT=" + strconv.Itoa(n.port)} }
	cases := []struct {
		name string
		env  []string
		args []string
		code int
		msg  string
	}{
		{"alive without a leader", portEnv(lone), []string{"alive"}, 0, ""},
		{"not ready without a leader", portEnv(lone), []string{"ready"}, 1, "RAFT: CLUSTERDOWN"},
		{"ready", portEnv(single), []string{"ready"}, 0, ""},
		{"ready by -addr", nil, []string{"ready", "-addr", single.addr()}, 0, ""},
		{"handover with no other voter", portEnv(single), []string{"handover"}, 0, ""},
		{"alive without the password", portEnv(secret), []string{"alive"}, 0, ""},
		{"ready needs the password", portEnv(secret), []string{"ready"}, 1, "RAFT: NOAUTH"},
		{"ready with the password", append(portEnv(secret), "GEETCACHE_REQUIREPASS=s3cret"), []string{"ready"}, 0, ""},
		{"wrong password", append(portEnv(secret), "GEETCACHE_REQUIREPASS=nope"), []string{"ready"}, 1, "AUTH: WRONGPASS"},
		{"nothing listening", []string{"GEETCACHE_PORT=" + strconv.Itoa(ports[2])}, []string{"alive", "-timeout", "1s"}, 1, "connection refused"},
		{"bad usage", nil, []string{"ready", "extra"}, 2, "Usage: geetcache alive|ready|handover"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stderr := runProbeCmd(t, tc.env, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.msg) {
				t.Errorf("geetcache %q: exit %d, stderr %q; want %d and %q", tc.args, code, stderr, tc.code, tc.msg)
			}
		})
	}
}
