package main

import (
	"net"
	"strconv"
	"strings"
	"testing"
)

// migrateSteps are MIGRATE calls and the reads around them; "TARGET" is
// replaced by the target's host and port, "CLOSED" by a closed port.
var migrateSteps = [][]string{
	{"SET", "a", "1"}, {"RPUSH", "l", "x", "y"}, {"PEXPIRE", "l", "100000"}, {"PFADD", "h", "p", "q"},
	{"MIGRATE", "TARGET", "a", "0", "1000"}, {"EXISTS", "a"},
	{"MIGRATE", "TARGET", "", "0", "1000", "KEYS", "l", "nokey", "h"}, {"EXISTS", "l", "h"},
	{"SET", "a", "2"}, {"MIGRATE", "TARGET", "a", "0", "1000"}, {"GET", "a"},
	{"MIGRATE", "TARGET", "a", "0", "1000", "COPY", "REPLACE"}, {"GET", "a"},
	{"MIGRATE", "TARGET", "nokey", "0", "1000"},
	{"MIGRATE", "CLOSED", "a", "0", "1000"},
	{"MIGRATE", "TARGET", "a", "0", "1000", "KEYS", "a"},
	{"MIGRATE", "TARGET", "a", "x", "1000"}, {"MIGRATE", "TARGET", "a", "0", "1e3"},
	{"MIGRATE", "TARGET", "a", "00", "1000"}, {"MIGRATE", "TARGET", "a", "0", "+1000"},
	{"MIGRATE", "TARGET", "a", "0", "1000", "AUTH"}, {"MIGRATE", "TARGET", "a", "0", "1000", "AUTH2", "u"},
	{"MIGRATE", "TARGET", "a", "0", "1000", "NOPE"},
	{"MIGRATE", "TARGET", "a", "0", "1000", "AUTH", "pw"},
	{"MIGRATE", "TARGET", "a", "0", "1000", "AUTH2", "default", "pw"},
	{"MIGRATE", "TARGET", "a", "99", "1000", "REPLACE"},
	{"MIGRATE", "TARGET", "a", "0", "0", "REPLACE"}, {"EXISTS", "a"},
	{"MIGRATE", "TARGET", "a"},
}

// runMigrateSteps sends migrateSteps to source, with target's address.
func runMigrateSteps(t *testing.T, source *diffSide, target, closed string) []string {
	t.Helper()
	var out []string
	for _, step := range migrateSteps {
		var args []string
		for _, a := range step {
			switch a {
			case "TARGET", "CLOSED":
				addr := map[string]string{"TARGET": target, "CLOSED": closed}[a]
				host, port, _ := net.SplitHostPort(addr)
				args = append(args, host, port)
			default:
				args = append(args, a)
			}
		}
		rep, err := source.roundTrip(args)
		if err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		out = append(out, strings.Join(step, " ")+" -> "+string(rep.raw))
	}
	return out
}

// TestMigrateMatchesRedis: MIGRATE from geetcache to a redis-server 7.0.15
// answers as MIGRATE from a redis-server does (the same calls, each to a
// fresh redis-server target), moves the same values, and a redis-server
// migrates into geetcache as into another Redis.
func TestMigrateMatchesRedis(t *testing.T) {
	source, targetR, targetG := startRedisServer(t), startRedisServer(t), startRedisServer(t)
	n := startNode(t)
	closed := "127.0.0.1:" + strconv.Itoa(freePorts(t, 1)[0])
	p := newDiffPair(t, 2, source, n.addr())
	requireRedis70(t, p.redis)
	fromRedis := runMigrateSteps(t, p.redis, targetR, closed)
	fromGC := runMigrateSteps(t, p.gc, targetG, closed)
	for i := range fromRedis {
		if fromRedis[i] != fromGC[i] {
			t.Errorf("step %d:\n redis:     %q\n geetcache: %q", i, fromRedis[i], fromGC[i])
		}
	}
	// Both targets now hold what was migrated, alike.
	targets := newDiffPair(t, 2, targetR, targetG)
	targets.requireSame(t, "targets", [][]string{{"GET", "a"}, {"LRANGE", "l", "0", "-1"}, {"PFCOUNT", "h"},
		{"DUMP", "l"}, {"DUMP", "h"}, {"DBSIZE"}})
	if rep, _ := targets.gc.roundTrip([]string{"PTTL", "l"}); rep.kind != ':' || replyText(rep) < "9" {
		t.Errorf("PTTL l on the target after MIGRATE from geetcache: %q", rep.raw)
	}

	// Redis as the source, geetcache as the target.
	host, port, _ := net.SplitHostPort(n.addr())
	p.requireSame(t, "setup", [][]string{{"FLUSHALL"}})
	steps := [][]string{{"SET", "r1", "v"}, {"ZADD", "z", "1", "m"}, {"EXPIRE", "z", "1000"}}
	for _, c := range steps {
		if _, err := p.redis.roundTrip(c); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range [][]string{
		{"MIGRATE", host, port, "", "0", "2000", "KEYS", "r1", "z"},
		{"SET", "r1", "w"}, {"MIGRATE", host, port, "r1", "0", "2000"},
	} {
		rep, err := p.redis.roundTrip(c)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"MIGRATE": "+OK\r\n"}[c[0]]
		if c[0] == "MIGRATE" && len(c) == 6 {
			want = "-ERR Target instance replied with error: BUSYKEY Target key name already exists.\r\n"
		}
		if want != "" && string(rep.raw) != want {
			t.Errorf("%q on redis-server into geetcache: %q, want %q", c, rep.raw, want)
		}
	}
	got := map[string]string{}
	for _, c := range [][]string{{"GET", "r1"}, {"ZRANGE", "z", "0", "-1", "WITHSCORES"}, {"TTL", "z"}} {
		rep, _ := p.gc.roundTrip(c)
		got[c[0]] = string(rep.raw)
	}
	if got["GET"] != "$1\r\nv\r\n" || got["ZRANGE"] != "*2\r\n$1\r\nm\r\n$1\r\n1\r\n" || (got["TTL"] != ":1000\r\n" && !strings.HasPrefix(got["TTL"], ":99")) {
		t.Errorf("geetcache after MIGRATE from redis-server: %q", got)
	}
}
