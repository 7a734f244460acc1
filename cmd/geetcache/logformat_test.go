package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"
)

// slogText is a line of slog's text handler.
var slogText = regexp.MustCompile(`^time=\S+ level=(DEBUG|INFO|WARN|ERROR)(-\d+)? msg=`)

// TestOneLogFormat: a three-node cluster that starts and takes writes logs
// every line, Raft's included, in one format (slog's text, or JSON with
// --log-format json), and no warning or error; neither does its leader
// when it stops with SIGTERM (the others then rightly complain that a
// member is gone). Before: hashicorp/raft's own lines ("[WARN]  raft:
// heartbeat timeout reached, starting election") in a format of their own.
func TestOneLogFormat(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			nodes := startClusterWith(t, func(_ int, n *node) { n.args = append(n.args, "--log-format", format) })
			leader := waitForLeader(t, nodes, 10*time.Second)
			writeKeys(t, leader, "k", 10)
			waitSameDigest(t, nodes)
			for _, n := range nodes {
				checkLogLines(t, n, format)
			}
			leader.forgetLog()
			if code := leader.Term(); code != 0 {
				t.Fatalf("exit code %d", code)
			}
			checkLogLines(t, leader, format)
		})
	}
}

func checkLogLines(t *testing.T, n *node, format string) {
	t.Helper()
	n.logMu.Lock()
	lines := append([]string(nil), n.logTail...)
	n.logMu.Unlock()
	if len(lines) == 0 {
		t.Fatalf("node :%d logged nothing", n.port)
	}
	for _, l := range lines {
		level := ""
		if format == "json" {
			var rec struct{ Time, Level, Msg string }
			if err := json.Unmarshal([]byte(l), &rec); err != nil || rec.Time == "" || rec.Msg == "" {
				t.Errorf("node :%d: not a JSON log line: %q", n.port, l)
				continue
			}
			level = rec.Level
		} else {
			m := slogText.FindStringSubmatch(l)
			if m == nil {
				t.Errorf("node :%d: not a text log line: %q", n.port, l)
				continue
			}
			level = m[1]
		}
		switch {
		case !strings.HasPrefix(level, "WARN") && !strings.HasPrefix(level, "ERROR"):
		case loadElection(l):
			t.Logf("node :%d: an election on a loaded machine, not a start: %q", n.port, l)
		default:
			t.Errorf("node :%d: %s on a healthy start: %q", n.port, level, l)
		}
	}
}

// loadElection reports whether a warning is Raft's about a leader that
// missed its heartbeats (a loaded machine can starve it): an election
// after a leader was known, not the start of a cluster.
func loadElection(line string) bool {
	for _, msg := range []string{"failed to contact", "Election timeout reached, restarting election"} {
		if strings.Contains(line, msg) {
			return true
		}
	}
	return strings.Contains(line, "heartbeat timeout reached, starting election") &&
		!strings.Contains(line, `last-leader-id=""`) && !strings.Contains(line, "last-leader-id= ") &&
		!strings.HasSuffix(line, "last-leader-id=") && !strings.Contains(line, `"last-leader-id":""`)
}
