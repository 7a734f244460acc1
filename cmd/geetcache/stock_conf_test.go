package main

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// stockRedisConf is the redis.conf Debian's redis-server package installs
// (Redis 7.0's own, with Debian's paths and daemonize yes).
const stockRedisConf = "/etc/redis/redis.conf"

// readStockRedisConf returns the stock redis.conf; the test is skipped
// without it, except under CI=true, where .ci/run installs redis-server.
func readStockRedisConf(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(stockRedisConf)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("read %s: %v", stockRedisConf, err)
		}
		t.Skipf("no %s: %v", stockRedisConf, err)
	}
	return string(b)
}

// TestStockRedisConfLoads: a node starts from Redis's stock redis.conf
// with its one line geetcache cannot honour changed (daemonize yes: it
// does not fork, and says so), the command line giving the node's own
// address, directory and files. The parameters kept for Redis's tools
// show the file's values; pidfile and logfile are honoured.
func TestStockRedisConfLoads(t *testing.T) {
	text := readStockRedisConf(t)
	if !strings.Contains(text, "\ndaemonize yes\n") {
		t.Fatalf("%s has no 'daemonize yes' line: not the stock file", stockRedisConf)
	}
	_, stderr, code := runBinary(t, nil, writeConf(t, text), "--dir", t.TempDir(), "--port", "0")
	if code != 2 || !strings.Contains(stderr, `invalid value "yes" for daemonize: geetcache does not fork`) {
		t.Fatalf("stock file as it is: exit %d, stderr %q; want exit 2 naming daemonize", code, stderr)
	}
	ports := freePorts(t, 2)
	tmp := t.TempDir()
	logFile, pidFile := filepath.Join(tmp, "geetcache.log"), filepath.Join(tmp, "geetcache.pid")
	n := &node{t: t, port: ports[0], raftPort: ports[1], dir: t.TempDir()}
	n.args = []string{writeConf(t, strings.Replace(text, "\ndaemonize yes\n", "\ndaemonize no\n", 1)),
		"--port", strconv.Itoa(n.port), "--bind", "127.0.0.1", "--dir", n.dir, "--raft-addr", "127.0.0.1:" + strconv.Itoa(n.raftPort),
		"--logfile", logFile, "--pidfile", pidFile}
	n.launch()
	c := n.Client(noRetries)
	for name, want := range map[string]string{"tcp-keepalive": "300", "tcp-backlog": "511", "appendfsync": "always",
		"dbfilename": "dump.rdb", "lazyfree-lazy-user-del": "no", "appendonly": "no", "pidfile": pidFile, "logfile": logFile} {
		if got := configGet(c, name); got != want {
			t.Errorf("CONFIG GET %s: %q, want %q", name, got, want)
		}
	}
	if b, err := os.ReadFile(pidFile); err != nil || strings.TrimSpace(string(b)) != strconv.Itoa(n.pid()) {
		t.Errorf("pidfile: %q, %v; want %d", b, err, n.pid())
	}
	if code := n.Term(); code != 0 {
		t.Fatalf("exit code %d after SIGTERM", code)
	}
	if _, err := os.Stat(pidFile); !os.IsNotExist(err) {
		t.Errorf("pidfile left after exit: %v", err)
	}
	if b, _ := os.ReadFile(logFile); !strings.Contains(string(b), "ready to accept connections") ||
		!strings.Contains(string(b), `directive=appendfsync value=everysec "in effect"=always`) {
		t.Errorf("logfile lacks the start and appendfsync's warning:\n%s", b)
	}
}

// TestSupervisedSystemd: with supervised systemd (or auto under systemd)
// the node sends READY=1 to $NOTIFY_SOCKET once it accepts connections,
// and STOPPING=1 when it stops.
func TestSupervisedSystemd(t *testing.T) {
	for _, mode := range []string{"systemd", "auto"} {
		t.Run(mode, func(t *testing.T) {
			sock := filepath.Join(t.TempDir(), "notify")
			ln, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			n := startNodeEnv(t, []string{"NOTIFY_SOCKET=" + sock}, "--supervised", mode)
			if got := readNotify(t, ln); !strings.Contains(got, "READY=1") {
				t.Fatalf("first notification %q, want READY=1", got)
			}
			if got := configGet(n.Client(noRetries), "supervised"); got != mode {
				t.Errorf("CONFIG GET supervised: %q, want %q", got, mode)
			}
			if info := n.Client(noRetries).Info(ctx, "server").Val(); !strings.Contains(info, "process_supervised:systemd\r\n") {
				t.Errorf("INFO server lacks process_supervised:systemd:\n%s", info)
			}
			n.Term()
			if got := readNotify(t, ln); got != "STOPPING=1\n" {
				t.Errorf("notification at stop %q, want STOPPING=1", got)
			}
		})
	}
}

// TestSupervisedWithoutSupervisor: supervised systemd or upstart with no
// $NOTIFY_SOCKET or $UPSTART_JOB is not supervised, as in Redis: a
// warning, INFO's process_supervised no, and the node serves (upstart's
// SIGSTOP would have stopped it for good).
func TestSupervisedWithoutSupervisor(t *testing.T) {
	if os.Getenv("NOTIFY_SOCKET") != "" || os.Getenv("UPSTART_JOB") != "" {
		t.Skip("the test runs under a supervisor")
	}
	for mode, warning := range map[string]string{"systemd": "NOTIFY_SOCKET not found", "upstart": "UPSTART_JOB not found"} {
		t.Run(mode, func(t *testing.T) {
			n := startNode(t, "--supervised", mode) // answers PING: not stopped
			if info := n.Client(noRetries).Info(ctx, "server").Val(); !strings.Contains(info, "process_supervised:no\r\n") {
				t.Errorf("INFO server lacks process_supervised:no:\n%s", info)
			}
			if !n.logged(warning) {
				t.Errorf("no warning %q logged", warning)
			}
		})
	}
}

func readNotify(t *testing.T, ln *net.UnixConn) string {
	t.Helper()
	ln.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 512)
	k, err := ln.Read(buf)
	if err != nil {
		t.Fatalf("no notification: %v", err)
	}
	return string(buf[:k])
}
