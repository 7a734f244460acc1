package main

import "testing"

// TestConfigCompatParamsMatchRedis checks, against redis-server 7.0.15,
// the parameters geetcache keeps for Redis's tools (server/settings_compat.go):
// their checks and error texts, the values kept, a hidden parameter, and a
// CONFIG SET of several parameters that fails on its second and changes
// nothing.
func TestConfigCompatParamsMatchRedis(t *testing.T) {
	redisAddr := startRedisServer(t)
	n := startNode(t)
	p := newDiffPair(t, 2, redisAddr, n.addr())
	requireRedis70(t, p.redis)
	p.requireSame(t, "config", [][]string{
		{"CONFIG", "SET", "save", "3000 x"}, {"CONFIG", "SET", "save", "3000"}, {"CONFIG", "SET", "save", "3000 5 10 1"},
		{"CONFIG", "GET", "save"}, {"CONFIG", "SET", "save", "0 5"}, {"CONFIG", "SET", "save", "3000 05 +30 -0"},
		{"CONFIG", "GET", "save"}, {"CONFIG", "SET", "save", ""}, {"CONFIG", "GET", "save"},
		{"CONFIG", "SET", "repl-backlog-size", "1"}, {"CONFIG", "GET", "repl-backlog-size"},
		{"CONFIG", "SET", "repl-backlog-size", "10000002"}, {"CONFIG", "GET", "repl-backlog-size"},
		{"CONFIG", "GET", "repl-ping-replica-period"}, {"CONFIG", "SET", "repl-ping-replica-period", "0"},
		{"CONFIG", "SET", "repl-ping-replica-period", "abc"}, {"CONFIG", "SET", "repl-ping-replica-period", "2147483648"},
		{"CONFIG", "SET", "repl-ping-replica-period", "05"}, {"CONFIG", "SET", "repl-ping-replica-period", "+5"},
		{"CONFIG", "SET", "repl-ping-replica-period", "-0"}, {"CONFIG", "SET", "repl-ping-replica-period", "3600"},
		{"CONFIG", "GET", "repl-ping-slave-period"}, {"CONFIG", "SET", "repl-ping-slave-period", "7"},
		{"CONFIG", "GET", "repl-ping-replica-period"},
		{"CONFIG", "SET", "maxmemory-clients", "200%"}, {"CONFIG", "SET", "maxmemory-clients", "abc"},
		{"CONFIG", "SET", "maxmemory-clients", "+0%"}, {"CONFIG", "SET", "maxmemory-clients", "00%"},
		{"CONFIG", "SET", "maxmemory-clients", "0"}, {"CONFIG", "GET", "maxmemory-clients"},
		{"CONFIG", "SET", "client-query-buffer-limit", "1"}, {"CONFIG", "SET", "client-query-buffer-limit", "invalid"},
		{"CONFIG", "SET", "client-query-buffer-limit", "2mb"}, {"CONFIG", "GET", "client-query-buffer-limit"},
		{"CONFIG", "SET", "client-query-buffer-limit", "1gb"}, {"CONFIG", "GET", "client-query-buffer-limit"},
		{"CONFIG", "GET", "key-load-delay"}, {"CONFIG", "GET", "replicaof"}, {"CONFIG", "GET", "slaveof"},
		{"CONFIG", "GET", "key-load-*"},
		{"CONFIG", "SET", "maxmemory", "10000001", "maxmemory-clients", "200%", "client-query-buffer-limit", "invalid"},
		{"CONFIG", "GET", "maxmemory"}, {"CONFIG", "SET", "maxmemory", "10000001", "maxmemory", "10000002"},
	})
}
