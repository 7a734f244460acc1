package main

import (
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMigrateFromRedisClusterNode: a Redis Cluster node's MIGRATE sends
// RESTORE-ASKING, not RESTORE; keys moved from a cluster-enabled
// redis-server 7.0.15 into a node arrive whole, TTL included. RESTORE-ASKING
// sent directly answers as Redis's, errors included.
func TestMigrateFromRedisClusterNode(t *testing.T) {
	source := dialDiffSide(t, "redis cluster node", startRedisServer(t, "--cluster-enabled", "yes",
		"--cluster-config-file", filepath.Join(t.TempDir(), "nodes.conf")))
	n := startNode(t)
	host, port, _ := net.SplitHostPort(n.addr())
	mustReply(t, source, "+OK\r\n", "CLUSTER", "ADDSLOTSRANGE", "0", "16383")
	waitFor(t, 10*time.Second, func() error { // the node's cron marks the cluster ok
		rep, err := source.roundTrip([]string{"CLUSTER", "INFO"})
		if err != nil || !strings.Contains(string(rep.raw), "cluster_state:ok") {
			return fmt.Errorf("cluster not ok yet: %q %v", rep.raw, err)
		}
		return nil
	})
	for _, c := range [][]string{{"SET", "{t}a", "v"}, {"RPUSH", "{t}l", "x", "y"}, {"PEXPIRE", "{t}l", "100000"}} {
		mustRun(t, source, c)
	}
	mustReply(t, source, "+OK\r\n", "MIGRATE", host, port, "", "0", "2000", "KEYS", "{t}a", "{t}l")
	mustRun(t, source, []string{"SET", "{t}a", "w"})
	mustReply(t, source, "-ERR Target instance replied with error: BUSYKEY Target key name already exists.\r\n",
		"MIGRATE", host, port, "{t}a", "0", "2000", "COPY")
	gc := dialDiffSide(t, "geetcache", n.addr())
	mustReply(t, gc, "$1\r\nv\r\n", "GET", "{t}a")
	mustReply(t, gc, "*2\r\n$1\r\nx\r\n$1\r\ny\r\n", "LRANGE", "{t}l", "0", "-1")
	if rep, _ := gc.roundTrip([]string{"TTL", "{t}l"}); string(rep.raw) != ":100\r\n" && string(rep.raw) != ":99\r\n" {
		t.Errorf("TTL after MIGRATE: %q", rep.raw)
	}

	p := newDiffPair(t, 2, startRedisServer(t), n.addr())
	p.requireSame(t, "RESTORE-ASKING", [][]string{
		{"FLUSHALL"}, {"SET", "s", "hello"}, {"DUMP", "s"},
		{"RESTORE-ASKING", "k", "0", "junk"}, {"RESTORE-ASKING", "k"}, {"RESTORE-ASKING", "s", "0", "x", "REPLACE"},
		{"RESTORE-ASKING", "k", "-1", "x"}, {"RESTORE-ASKING", "k", "0", "x", "NOPE"},
	})
	// COMMAND INFO alike up to the key specs (geetcache shows none).
	var infos []string
	for _, side := range []*diffSide{p.redis, p.gc} {
		rep, err := side.roundTrip([]string{"COMMAND", "INFO", "restore-asking"})
		if err != nil {
			t.Fatal(err)
		}
		head, _, _ := strings.Cut(string(rep.raw), "+@dangerous\r\n")
		infos = append(infos, head)
	}
	if infos[0] != infos[1] || !strings.Contains(infos[0], "+asking\r\n") {
		t.Errorf("COMMAND INFO restore-asking: redis %q, geetcache %q", infos[0], infos[1])
	}
	rep, err := p.redis.roundTrip([]string{"DUMP", "s"})
	if err != nil {
		t.Fatal(err)
	}
	payload := replyText(rep)
	p.requireSame(t, "RESTORE-ASKING of a payload", [][]string{
		{"RESTORE-ASKING", "k", "0", payload}, {"GET", "k"}, {"RESTORE-ASKING", "k", "0", payload},
		{"RESTORE-ASKING", "k", "5000", payload, "REPLACE"}, {"PTTL", "k"}, {"OBJECT", "ENCODING", "k"},
	})
}
