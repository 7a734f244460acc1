package main

import (
	"bufio"
	"fmt"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// monitorSteps are commands whose MONITOR lines redis-server 7.0.15 and
// geetcache must show alike: data commands, a script and the commands it
// calls, a transaction (and one that fails), a blocking command, escapes,
// a redacted AUTH; admin commands (CONFIG GET, DEBUG) are not shown.
var monitorSteps = [][]string{
	{"SET", "foo", "bar"}, {"GET", "foo"}, {"EVAL", "redis.call('set',KEYS[1],ARGV[1])", "1", "foo", "bar"},
	{"MULTI"}, {"SET", "foo", "bar"}, {"EXEC"}, {"MULTI"}, {"SYNTAX", "error"}, {"EXEC"},
	{"CLIENT", "SETNAME", "x"}, {"CONFIG", "GET", "maxmemory"}, {"BLPOP", "nolist", "0.01"},
	{"SET", "a\x01b\"c\\d", "é"}, {"AUTH", "x"}, {"EVAL_RO", "return redis.call('get',KEYS[1])", "1", "foo"},
	{"DEBUG", "SLEEP", "0"}, {"PING"},
}

var monitorStamp = regexp.MustCompile(`^\+\d+\.\d{6} \[0 (lua|127\.0\.0\.1:\d+)\] `)

// TestMonitorMatchRedis runs monitorSteps on one connection of each server
// while another connection of each is a MONITOR, and requires the same
// lines but for their times and client ports, then RESET ends monitoring.
func TestMonitorMatchRedis(t *testing.T) {
	redisAddr := startRedisServer(t)
	n := startNode(t)
	p := newDiffPair(t, 2, redisAddr, n.addr())
	requireRedis70(t, p.redis)
	mon := newDiffPair(t, 2, redisAddr, n.addr())
	mon.requireSame(t, "monitor", [][]string{{"MONITOR"}})
	for _, step := range monitorSteps {
		p.batch(t, [][]string{step})
	}
	want := 16 // lines Redis shows for monitorSteps
	for _, side := range []*diffSide{mon.redis, mon.gc} {
		side.conn.SetDeadline(time.Now().Add(10 * time.Second))
	}
	var lines [2][]string
	for i, side := range []*diffSide{mon.redis, mon.gc} {
		for range want {
			rep, err := side.r.read()
			if err != nil {
				t.Fatalf("%s: %d lines, then %v", side.name, len(lines[i]), err)
			}
			line := string(rep.raw)
			if !monitorStamp.MatchString(line) {
				t.Errorf("%s: %q", side.name, line)
			}
			lines[i] = append(lines[i], monitorStamp.ReplaceAllString(line, "[$1] "))
		}
	}
	for i := range lines[0] {
		r, g := lines[0][i], lines[1][i]
		if strings.HasPrefix(r, "[127") && strings.HasPrefix(g, "[127") {
			r, g = r[strings.IndexByte(r, ']'):], g[strings.IndexByte(g, ']'):]
		}
		if r != g {
			t.Errorf("line %d:\n redis:     %q\n geetcache: %q", i, lines[0][i], lines[1][i])
		}
	}
	mon.requireSame(t, "reset", [][]string{{"RESET"}})
	p.requireSame(t, "not shown after RESET", [][]string{{"SET", "after", "1"}, {"PING"}})
	mon.requireSame(t, "next reply", [][]string{{"PING"}})
}

// TestMonitorNotReadingIsClosed: a MONITOR that never reads is closed once
// its unsent lines pass 64 MB (120 MB are written; its class, normal, has no limit by default;
// Redis would let them grow), and the node goes on serving.
func TestMonitorNotReadingIsClosed(t *testing.T) {
	n := startNode(t)
	mon := n.Dial()
	defer mon.Close()
	if _, err := mon.Write([]byte("*1\r\n$7\r\nMONITOR\r\n")); err != nil {
		t.Fatal(err)
	}
	c := n.Client(noRetries)
	waitFor(t, 5*time.Second, func() error {
		if l := c.ClientList(ctx).Val(); !strings.Contains(l, "flags=O") {
			return fmt.Errorf("no monitor in CLIENT LIST: %s", l)
		}
		return nil
	})
	value := strings.Repeat("v", 100<<10)
	for i := 0; i < 120 && strings.Contains(c.ClientList(ctx).Val(), "flags=O"); i++ {
		pipe := c.Pipeline()
		for range 10 {
			pipe.Set(ctx, "k", value, 0)
		}
		if _, err := pipe.Exec(ctx); err != nil {
			t.Fatalf("SET: %v", err)
		}
	}
	waitFor(t, 10*time.Second, func() error {
		if l := c.ClientList(ctx).Val(); strings.Contains(l, "flags=O") {
			return fmt.Errorf("the monitor is still connected")
		}
		return nil
	})
	if err := c.Ping(ctx).Err(); err != nil {
		t.Fatalf("PING after: %v", err)
	}
}

// TestMonitorOnFollowerShowsScriptCalls: a MONITOR on a follower shows a
// write script's EVAL and then the command the script called (Redis's
// unit/introspection "MONITOR can log commands issued by the scripting
// engine" through a follower), although the script runs on the leader and
// is applied here from the log.
func TestMonitorOnFollowerShowsScriptCalls(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	f := others(nodes, leader)[0]
	mon, err := net.Dial("tcp", f.addr())
	if err != nil {
		t.Fatal(err)
	}
	defer mon.Close()
	mon.SetDeadline(time.Now().Add(10 * time.Second))
	rd := bufio.NewReader(mon)
	if _, err := mon.Write([]byte("MONITOR\r\n")); err != nil {
		t.Fatal(err)
	}
	if line, err := rd.ReadString('\n'); err != nil || line != "+OK\r\n" {
		t.Fatalf("MONITOR: %q, %v", line, err)
	}
	if err := f.Client().Eval(ctx, "redis.call('set',KEYS[1],ARGV[1])", []string{"foo"}, "bar").Err(); err != nil && err != redis.Nil {
		t.Fatal(err)
	}
	var lines []string // from the EVAL on: the client's handshake comes first
	for len(lines) < 2 {
		line, err := rd.ReadString('\n')
		if err != nil {
			t.Fatalf("after %q: %v", lines, err)
		}
		if len(lines) > 0 || strings.Contains(line, `"eval"`) {
			lines = append(lines, line)
		}
	}
	if !strings.Contains(lines[0], `"eval"`) || !regexp.MustCompile(`\[0 lua\] "set" "foo" "bar"`).MatchString(lines[1]) {
		t.Fatalf("MONITOR on a follower showed %q, want the EVAL then the script's set", lines)
	}
}
