package main

import (
	"strconv"
	"strings"
	"testing"
)

// slowlogSteps are SLOWLOG, LATENCY and COMMAND GETKEYSANDFLAGS calls whose
// replies do not depend on time: redis-server 7.0.15 and geetcache must
// answer them byte for byte.
var slowlogSteps = [][]string{
	{"SLOWLOG", "HELP"}, {"SLOWLOG", "GET", "-2"}, {"SLOWLOG", "GET", "abc"}, {"SLOWLOG", "GET", "1", "2"},
	{"SLOWLOG", "LEN", "x"}, {"SLOWLOG", "RESET", "x"}, {"SLOWLOG", "FOO"}, {"SLOWLOG"},
	{"CONFIG", "GET", "slowlog-max-len"}, {"CONFIG", "GET", "slowlog-log-slower-than"}, {"CONFIG", "SET", "slowlog-log-slower-than", "-2"},
	{"CONFIG", "SET", "slowlog-log-slower-than", "abc"}, {"CONFIG", "SET", "slowlog-max-len", "-1"},
	{"CONFIG", "GET", "latency-monitor-threshold"}, {"CONFIG", "SET", "latency-monitor-threshold", "-1"},
	{"LATENCY", "HELP"}, {"LATENCY", "DOCTOR"}, {"LATENCY", "LATEST"}, {"LATENCY", "HISTORY", "command"},
	{"LATENCY", "GRAPH", "command"}, {"LATENCY", "RESET", "nosuch"}, {"LATENCY", "HISTORY"}, {"LATENCY", "FOO"},
	{"LATENCY", "HISTOGRAM", "nosuch"}, {"LATENCY", "HELP", "x"},
	{"COMMAND", "GETKEYSANDFLAGS", "set", "k1", "v1"}, {"COMMAND", "GETKEYSANDFLAGS", "set", "k", "v", "get"},
	{"COMMAND", "GETKEYSANDFLAGS", "bitfield", "k", "get", "u8", "0"}, {"COMMAND", "GETKEYSANDFLAGS", "bitfield", "k", "set", "u8", "0", "1"},
	{"COMMAND", "GETKEYSANDFLAGS", "mset", "k1", "v1", "k2", "v2"},
	{"COMMAND", "GETKEYSANDFLAGS", "lmove", "k1", "k2", "left", "right"},
	{"COMMAND", "GETKEYSANDFLAGS", "sort", "k1", "store", "k2"}, {"COMMAND", "GETKEYSANDFLAGS", "getdel", "a"},
	{"COMMAND", "GETKEYSANDFLAGS", "zunionstore", "d", "2", "a", "b"}, {"COMMAND", "GETKEYSANDFLAGS", "eval", "", "1", "k"},
	{"COMMAND", "GETKEYSANDFLAGS", "xread", "count", "2", "streams", "s1", "s2", "0", "0"},
	{"COMMAND", "GETKEYSANDFLAGS", "rename", "a", "b"}, {"COMMAND", "GETKEYSANDFLAGS", "get"},
	{"COMMAND", "GETKEYSANDFLAGS", "ping"}, {"COMMAND", "GETKEYSANDFLAGS", "nosuch", "x"},
	{"COMMAND", "GETKEYS", "eval", "return 1", "0"}, {"COMMAND", "GETKEYS", "eval", "return 1", "1", "k"},
	{"COMMAND", "GETKEYSANDFLAGS", "memory", "usage", "k"}, {"COMMAND", "GETKEYSANDFLAGS", "xgroup", "create", "k", "g", "$"},
}

// TestSlowlogMatchRedis runs slowlogSteps on both, then logs every call
// (slowlog-log-slower-than 0) and requires the same entries but for their
// ids, times and client ports: arguments trimmed as Redis trims them (past
// 32 arguments, past 128 bytes), client names, EXEC left out; and the
// same LATENCY HISTOGRAM calls (but for the commands inside EXEC, which
// geetcache does not time: docs/compatibility.md).
func TestSlowlogMatchRedis(t *testing.T) {
	redisAddr := startRedisServer(t)
	n := startNode(t)
	p := newDiffPair(t, 2, redisAddr, n.addr())
	requireRedis70(t, p.redis)
	p.requireSame(t, "step", slowlogSteps)
	many := []string{"SADD", "set"}
	for i := 3; i <= 33; i++ {
		many = append(many, strconv.Itoa(i))
	}
	p.requireSame(t, "log", [][]string{{"CONFIG", "SET", "slowlog-log-slower-than", "0"}, {"CONFIG", "RESETSTAT"},
		{"SLOWLOG", "RESET"}, {"CLIENT", "SETNAME", "foobar"}, many, {"SADD", "set", "foo", strings.Repeat("A", 129)},
		{"MULTI"}, {"SET", "a", "1"}, {"GET", "a"}, {"EXEC"}, {"SLOWLOG", "LEN"}})
	fromRedis, fromGC := p.batch(t, [][]string{{"SLOWLOG", "GET", "-1"}, {"LATENCY", "HISTOGRAM", "sadd", "client", "multi"}})
	if r, g := slowlogShape(fromRedis[0]), slowlogShape(fromGC[0]); r != g {
		t.Errorf("SLOWLOG GET:\n redis:     %s\n geetcache: %s", r, g)
	}
	if r, g := histogramCalls(fromRedis[1]), histogramCalls(fromGC[1]); r != g {
		t.Errorf("LATENCY HISTOGRAM:\n redis:     %s\n geetcache: %s", r, g)
	}
}

// slowlogShape is a SLOWLOG GET reply without what differs between two
// servers: each entry's arguments, client name and whether it has an id,
// a time and an address.
func slowlogShape(rep respReply) string {
	var b strings.Builder
	for _, e := range rep.elems {
		if len(e.elems) != 6 {
			b.WriteString("bad entry " + string(e.raw) + ";")
			continue
		}
		for _, a := range e.elems[3].elems {
			b.WriteString(replyText(a) + " ")
		}
		b.WriteString("| " + replyText(e.elems[5]))
		if !strings.HasPrefix(replyText(e.elems[4]), "127.0.0.1:") {
			b.WriteString(" bad address " + replyText(e.elems[4]))
		}
		b.WriteString(";\n")
	}
	return b.String()
}

// histogramCalls is a LATENCY HISTOGRAM reply's commands and calls.
func histogramCalls(rep respReply) string {
	var b strings.Builder
	for i := 0; i+1 < len(rep.elems); i += 2 {
		h := rep.elems[i+1].elems
		if len(h) != 4 {
			return "bad histogram " + string(rep.raw)
		}
		b.WriteString(replyText(rep.elems[i]) + " " + replyText(h[0]) + "=" + replyText(h[1]) + "; ")
	}
	return b.String()
}
