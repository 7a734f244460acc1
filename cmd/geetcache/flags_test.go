package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// coreFlags are the flags every geetcache has; --help must list each.
var coreFlags = []string{
	"port", "bind", "dir", "node-id", "raft-addr", "loglevel",
	"raft-snapshot-threshold", "raft-snapshot-interval", "raft-trailing-logs",
	"raft-snapshot-threshold-bytes", "raft-trailing-bytes",
	"peers", "bootstrap", "advertise", "join", "election-wait",
	"follower-reads", "timeout", "master-name", "maxmemory", "maxmemory-policy",
}

func TestHelpListsEveryFlag(t *testing.T) {
	stdout, stderr, code := runBinary(t, nil, "--help")
	if code != 0 {
		t.Fatalf("--help: exit code %d, want 0 (stderr %q)", code, stderr)
	}
	listed := helpFlags(stdout)
	for _, f := range coreFlags {
		if !listed[f] {
			t.Errorf("--help does not list -%s:\n%s", f, stdout)
		}
	}
	if !strings.Contains(stdout, "GEETCACHE_") {
		t.Errorf("--help does not mention the GEETCACHE_* environment variables:\n%s", stdout)
	}
}

// TestReadmeListsEveryFlag keeps the README's flag summary true: every flag
// --help lists must appear in it as --name.
func TestReadmeListsEveryFlag(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatalf("read README: %v", err)
	}
	stdout, _, _ := runBinary(t, nil, "--help")
	for f := range helpFlags(stdout) {
		if !bytes.Contains(readme, []byte("--"+f)) {
			t.Errorf("README.md does not document --%s", f)
		}
	}
}

// helpFlags returns the flag names in --help output ("  -name type").
func helpFlags(help string) map[string]bool {
	names := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^  -([a-z0-9-]+)`).FindAllStringSubmatch(help, -1) {
		names[m[1]] = true
	}
	return names
}

// TestBadConfig: each bad value stops geetcache before it starts, with one
// line on stderr naming the flag or variable and the value.
func TestBadConfig(t *testing.T) {
	cases := []struct {
		name string
		env  []string
		args []string
		want []string // words the error line must contain
	}{
		{"port not a number", nil, []string{"--port", "abc"}, []string{"port", `"abc"`}},
		{"port out of range", nil, []string{"--port", "70000"}, []string{"port", "70000"}},
		{"unknown loglevel", nil, []string{"--loglevel", "loud"}, []string{"loglevel", `"loud"`}},
		{"bind not an address", nil, []string{"--bind", "nonsense"}, []string{"bind", `"nonsense"`}},
		{"raft-addr without port", nil, []string{"--raft-addr", "localhost"}, []string{"raft-addr", `"localhost"`}},
		{"peers without this node", nil, []string{"--node-id", "n1", "--raft-addr", "127.0.0.1:17001", "--peers", "n2=127.0.0.1:17002"},
			[]string{"-peers", `"n2=127.0.0.1:17002"`, "n1=127.0.0.1:17001"}},
		{"peers with another raft-addr", nil, []string{"--node-id", "n1", "--raft-addr", "127.0.0.1:17001", "--peers", "n1=127.0.0.1:17009"},
			[]string{"-peers", "-raft-addr", "127.0.0.1:17009"}},
		{"peer without id", nil, []string{"--peers", "127.0.0.1:17001"}, []string{"-peers", "id=host:port"}},
		{"peer without port", nil, []string{"--peers", "n1=localhost"}, []string{"-peers", `"n1=localhost"`}},
		{"peer named twice", nil, []string{"--node-id", "n1", "--raft-addr", "127.0.0.1:17001", "--peers", "n1=127.0.0.1:17001,n1=127.0.0.1:17002"},
			[]string{"-peers", "twice"}},
		{"advertise without port", nil, []string{"--advertise", "example.com"}, []string{"-advertise", `"example.com"`}},
		{"peers on wildcard bind", nil, []string{"--bind", "0.0.0.0", "--node-id", "n1", "--raft-addr", "127.0.0.1:17001", "--peers", "n1=127.0.0.1:17001"},
			[]string{"-bind", "-advertise"}},
		{"bootstrap not a bool", nil, []string{"--bootstrap=maybe"}, []string{"bootstrap", "maybe"}},
		{"join without port", nil, []string{"--join", "localhost"}, []string{"-join", `"localhost"`}},
		{"join with peers", nil, []string{"--node-id", "n1", "--raft-addr", "127.0.0.1:17001", "--peers", "n1=127.0.0.1:17001", "--join", "127.0.0.1:6379"},
			[]string{"-join", "-peers"}},
		{"election-wait zero", nil, []string{"--election-wait", "0s"}, []string{"-election-wait", "0s"}},
		{"follower-reads unknown", nil, []string{"--follower-reads", "local"}, []string{"-follower-reads", `"local"`, "readindex"}},
		{"GEETCACHE_FOLLOWER_READS unknown", []string{"GEETCACHE_FOLLOWER_READS=Forward"}, nil,
			[]string{"GEETCACHE_FOLLOWER_READS", `"Forward"`}},
		{"timeout negative", nil, []string{"--timeout", "-1"}, []string{"-timeout", "-1", "2147483647"}},
		{"timeout past INT_MAX", nil, []string{"--timeout", "2147483648"}, []string{"-timeout", "2147483648"}},
		{"maxmemory not a memory value", nil, []string{"--maxmemory", "10xb"}, []string{"-maxmemory", `"10xb"`, "memory value"}},
		{"maxmemory-policy unknown", nil, []string{"--maxmemory-policy", "lru"}, []string{"-maxmemory-policy", `"lru"`, "allkeys-lru"}},
		{"unknown flag", nil, []string{"--colour", "blue"}, []string{"colour"}},
		{"GEETCACHE_PORT not a number", []string{"GEETCACHE_PORT=abc"}, nil, []string{"GEETCACHE_PORT", `"abc"`}},
		{"GEETCACHE_RAFT_SNAPSHOT_INTERVAL not a duration", []string{"GEETCACHE_RAFT_SNAPSHOT_INTERVAL=soon"}, nil,
			[]string{"GEETCACHE_RAFT_SNAPSHOT_INTERVAL", `"soon"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"--dir", t.TempDir()}, tc.args...)
			stdout, stderr, code := runBinary(t, tc.env, args...)
			if code == 0 || code == -1 {
				t.Fatalf("exit code %d, want a non-zero exit (stderr %q)", code, stderr)
			}
			if strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") || stdout != "" {
				t.Fatalf("want exactly one line on stderr and nothing on stdout; got stderr %q, stdout %q", stderr, stdout)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("error line %q does not contain %s", stderr, w)
				}
			}
		})
	}
}

// TestConfigFromEnvironment: GEETCACHE_PORT picks the port, and a flag
// given on the command line wins over the environment.
func TestConfigFromEnvironment(t *testing.T) {
	cases := []struct {
		name     string
		env      func(port int) []string
		portFlag bool
	}{
		{"GEETCACHE_PORT", func(p int) []string { return []string{"GEETCACHE_PORT=" + strconv.Itoa(p)} }, false},
		{"flag wins over a bad GEETCACHE_PORT", func(int) []string { return []string{"GEETCACHE_PORT=abc"} }, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ports := freePorts(t, 2)
			n := &node{t: t, port: ports[0], raftPort: ports[1], dir: t.TempDir(), env: tc.env(ports[0])}
			n.args = []string{"--bind", "127.0.0.1", "--dir", n.dir, "--raft-addr", "127.0.0.1:" + strconv.Itoa(n.raftPort)}
			if tc.portFlag {
				n.args = append(n.args, "--port", strconv.Itoa(n.port))
			}
			n.launch() // fails the test unless PING answers on n.port
			if code := n.Term(); code != 0 {
				t.Fatalf("SIGTERM: exit code %d, want 0", code)
			}
		})
	}
}

// runBinary runs geetcache to completion (at most 20 s) with extra
// environment variables and returns its output and exit code.
func runBinary(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(c, binPath, args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("run geetcache %v: %v", args, err)
	}
	return out.String(), errOut.String(), cmd.ProcessState.ExitCode()
}
