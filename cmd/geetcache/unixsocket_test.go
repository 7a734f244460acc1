package main

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"
)

// TestUnixSocket: with unixsocket and unixsocketperm in its configuration
// file a node also serves clients on a Unix socket, created with those
// permissions (over a file an earlier run left) and removed at exit. Its
// clients show in CLIENT INFO and MONITOR as redis-server 7.0.15 shows
// its own Unix socket clients; redis-cli -s reaches it.
func TestUnixSocket(t *testing.T) {
	dir := t.TempDir()
	sock := filepath.Join(dir, "geetcache.sock")
	if err := os.WriteFile(sock, []byte("left by an earlier run"), 0o600); err != nil {
		t.Fatal(err)
	}
	ports := freePorts(t, 2)
	n := &node{t: t, port: ports[0], raftPort: ports[1], dir: t.TempDir()}
	n.args = []string{writeConf(t, "unixsocket "+strconv.Quote(sock)+"\nunixsocketperm 700\n"),
		"--port", strconv.Itoa(n.port), "--bind", "127.0.0.1", "--dir", n.dir, "--raft-addr", "127.0.0.1:" + strconv.Itoa(n.raftPort)}
	n.launch()
	if fi, err := os.Stat(sock); err != nil || fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o700 {
		t.Fatalf("socket file: %v, %v; want a socket with mode 0700", fi.Mode(), err)
	}
	g := redis.NewClient(&redis.Options{Network: "unix", Addr: sock, MaxRetries: -1})
	defer g.Close()
	if err := g.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatalf("SET over the socket: %v", err)
	}
	if got, err := g.Get(ctx, "k").Result(); err != nil || got != "v" {
		t.Fatalf("GET over the socket: %q, %v", got, err)
	}
	if cli, err := exec.LookPath("redis-cli"); err == nil {
		out, err := exec.Command(cli, "-s", sock, "GET", "k").CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != "v" {
			t.Errorf("redis-cli -s GET k: %q, %v", out, err)
		}
	}
	rsock := filepath.Join(t.TempDir(), "redis.sock")
	startRedisServer(t, "--unixsocket", rsock, "--unixsocketperm", "700")
	r := redis.NewClient(&redis.Options{Network: "unix", Addr: rsock})
	defer r.Close()
	if got, want := unixClientInfo(t, g, sock), unixClientInfo(t, r, rsock); got != want {
		t.Errorf("CLIENT INFO over the socket:\n got %s\nwant %s (Redis's)", got, want)
	}
	if got, want := monitorName(t, g, sock), monitorName(t, r, rsock); got != want {
		t.Errorf("MONITOR names a socket client %q, Redis %q", got, want)
	}
	if code := n.Term(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	if _, err := os.Stat(sock); !os.IsNotExist(err) {
		t.Errorf("socket file left after exit: %v", err)
	}
}

// unixClientInfo is CLIENT INFO's addr, laddr and flags over a socket at
// path, the path written as SOCK.
func unixClientInfo(t *testing.T, c *redis.Client, path string) string {
	t.Helper()
	info, err := c.ClientInfo(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(info.Addr+" "+info.LAddr+" "+fieldOf(c, "flags"), path, "SOCK")
}

func fieldOf(c *redis.Client, name string) string {
	line, _ := c.Do(ctx, "CLIENT", "INFO").Text()
	m := regexp.MustCompile(`\b` + name + `=(\S*)`).FindStringSubmatch(line)
	if m == nil {
		return ""
	}
	return m[1]
}

// monitorName is how a MONITOR line names a client of the socket at path
// (written as SOCK).
func monitorName(t *testing.T, c *redis.Client, path string) string {
	t.Helper()
	conn, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.Write([]byte("MONITOR\r\n"))
	buf := make([]byte, 512)
	if k, err := conn.Read(buf); err != nil || string(buf[:k]) != "+OK\r\n" {
		t.Fatalf("MONITOR: %q, %v", buf[:k], err)
	}
	c.Ping(ctx)
	k, err := conn.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`\[0 ([^\]]*)\]`).FindSubmatch(buf[:k])
	if m == nil {
		t.Fatalf("MONITOR line %q", buf[:k])
	}
	return strings.ReplaceAll(string(m[1]), path, "SOCK")
}
