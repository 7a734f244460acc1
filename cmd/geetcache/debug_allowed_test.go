package main

import (
	"path/filepath"
	"strconv"
	"testing"

	"github.com/redis/go-redis/v9"
)

// TestEnableDebugCommand: enable-debug-command no refuses DEBUG with
// Redis's words (Redis's default: a redis-server started without it is
// the reference), in MULTI too, where EXEC then answers EXECABORT; local
// lets loopback and Unix socket clients run it; geetcache's default, yes,
// lets anyone.
func TestEnableDebugCommand(t *testing.T) {
	r := redis.NewClient(&redis.Options{Addr: startRedisServer(t)})
	defer r.Close()
	n := startNode(t, "--enable-debug-command", "no")
	g := n.Client(noRetries)
	for _, cmd := range [][]any{{"DEBUG", "DIGEST"}, {"DEBUG", "HELP"}, {"DEBUG", "SLEEP", "0"}, {"DEBUG"}} {
		if got, want := doText(g, cmd...), doText(r, cmd...); got != want {
			t.Errorf("%v with enable-debug-command no: %q, Redis %q", cmd, got, want)
		}
	}
	if got, want := debugInMulti(t, g), debugInMulti(t, r); got != want {
		t.Errorf("MULTI, DEBUG DIGEST, EXEC with enable-debug-command no: %q, Redis %q", got, want)
	}
	if got := configGet(g, "enable-debug-command"); got != "no" {
		t.Errorf("CONFIG GET enable-debug-command: %q, want no", got)
	}

	sock := filepath.Join(t.TempDir(), "g.sock")
	ports := freePorts(t, 2)
	local := &node{t: t, port: ports[0], raftPort: ports[1], dir: t.TempDir()}
	local.args = []string{writeConf(t, "unixsocket "+strconv.Quote(sock)+"\n"), "--enable-debug-command", "local",
		"--port", strconv.Itoa(local.port), "--bind", "127.0.0.1", "--dir", local.dir, "--raft-addr", "127.0.0.1:" + strconv.Itoa(local.raftPort)}
	local.launch()
	viaUnix := redis.NewClient(&redis.Options{Network: "unix", Addr: sock, MaxRetries: -1})
	defer viaUnix.Close()
	for name, c := range map[string]*redis.Client{"loopback": local.Client(noRetries), "unix socket": viaUnix} {
		if got := doText(c, "DEBUG", "SLEEP", "0"); got != "OK" {
			t.Errorf("DEBUG SLEEP 0 over %s with enable-debug-command local: %q, want OK", name, got)
		}
	}
	if got := doText(startNode(t).Client(noRetries), "DEBUG", "SLEEP", "0"); got != "OK" {
		t.Errorf("DEBUG SLEEP 0 by default: %q, want OK", got)
	}
}

func doText(c *redis.Client, args ...any) string {
	v, err := c.Do(ctx, args...).Result()
	if err != nil {
		return err.Error()
	}
	if s, ok := v.(string); ok {
		return s
	}
	return "(not an error)"
}

// debugInMulti is EXEC's error after DEBUG DIGEST was queued.
func debugInMulti(t *testing.T, c *redis.Client) string {
	t.Helper()
	_, err := c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Do(ctx, "DEBUG", "DIGEST")
		return nil
	})
	if err == nil {
		return "EXEC ran"
	}
	return err.Error()
}
