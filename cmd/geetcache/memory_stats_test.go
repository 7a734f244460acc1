package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// memoryStatsLeftOut are Redis's MEMORY STATS fields geetcache leaves out:
// what it does not have or does not count in used_memory
// (docs/compatibility.md, MEMORY STATS).
var memoryStatsLeftOut = []string{"replication.backlog", "clients.slaves", "clients.normal",
	"lua.caches", "functions.caches", "db.0"}

// TestMemoryStatsMatchesRedis: MEMORY STATS beside redis-server 7.0.15 has
// Redis's fields, in Redis's order and of Redis's types, less those left
// out; MEMORY DOCTOR, HELP and the arity errors answer as Redis's, byte for
// byte, on a server that holds next to nothing; once a node holds more than
// 5 MB its doctor reports (an issue or none) instead of the empty text.
func TestMemoryStatsMatchesRedis(t *testing.T) {
	redisAddr, n := startRedisServer(t), startNode(t)
	for _, proto := range []int{2, 3} {
		p := newDiffPair(t, proto, redisAddr, n.addr())
		p.requireSame(t, fmt.Sprintf("RESP%d", proto), [][]string{{"SET", "k", "v"}, {"MEMORY", "DOCTOR"}, {"MEMORY", "HELP"},
			{"MEMORY", "STATS", "x"}, {"MEMORY", "DOCTOR", "x"}})
		fromRedis, fromGC := p.batch(t, [][]string{{"MEMORY", "STATS"}})
		compareMemoryStats(t, proto, fromRedis[0], fromGC[0])
		p.requireSame(t, fmt.Sprintf("RESP%d", proto), [][]string{{"DEL", "k"}})
	}

	c := n.Client(noRetries)
	pipe := c.Pipeline()
	for i := range 60000 {
		pipe.Set(ctx, fmt.Sprint("key:", i), strings.Repeat("v", 100), 0)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	stats, err := c.Do(ctx, "MEMORY", "STATS").Result()
	if err != nil {
		t.Fatal(err)
	}
	m := stats.(map[any]any)
	if m["keys.count"] != int64(60000) || m["total.allocated"].(int64) < 5<<20 {
		t.Errorf("MEMORY STATS after 60,000 SETs: keys.count %v, total.allocated %v", m["keys.count"], m["total.allocated"])
	}
	doctor, err := c.Do(ctx, "MEMORY", "DOCTOR").Text()
	if err != nil || !(strings.HasPrefix(doctor, "Hi Sam, I can't find any memory issue") ||
		strings.HasPrefix(doctor, "Sam, I detected a few issues")) {
		t.Errorf("MEMORY DOCTOR holding %v bytes: %q (%v)", m["total.allocated"], doctor, err)
	}
	t.Logf("MEMORY DOCTOR holding %v bytes (allocator.resident %v): %q", m["total.allocated"], m["allocator.resident"], doctor)
}

// compareMemoryStats checks geetcache's MEMORY STATS reply against Redis's
// fields, order and types.
func compareMemoryStats(t *testing.T, proto int, fromRedis, fromGC respReply) {
	t.Helper()
	if fromGC.kind != fromRedis.kind {
		t.Fatalf("RESP%d MEMORY STATS: geetcache's reply is a %q, Redis's a %q", proto, fromGC.kind, fromRedis.kind)
	}
	var want, got []string
	for i := 0; i+1 < len(fromRedis.elems); i += 2 {
		if name := bulkText(fromRedis.elems[i]); !slices.Contains(memoryStatsLeftOut, name) {
			want = append(want, name+" "+string(fromRedis.elems[i+1].kind))
		}
	}
	for i := 0; i+1 < len(fromGC.elems); i += 2 {
		got = append(got, bulkText(fromGC.elems[i])+" "+string(fromGC.elems[i+1].kind))
	}
	if !slices.Equal(got, want) {
		t.Errorf("RESP%d MEMORY STATS fields and types:\n geetcache %q\n     redis %q", proto, got, want)
	}
}
