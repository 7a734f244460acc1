package server

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// infoBody returns the text of an INFO reply and checks its framing: a bulk
// string (RESP2) or verbatim "txt" (RESP3) whose length is right.
func infoBody(t *testing.T, reply string) string {
	t.Helper()
	head, body, _ := strings.Cut(reply, "\r\n")
	n, err := strconv.Atoi(head[1:])
	if err != nil || len(body) != n+2 || (head[0] != '$' && head[0] != '=') {
		t.Fatalf("malformed INFO reply %q", reply)
	}
	if head[0] == '=' {
		if !strings.HasPrefix(body, "txt:") {
			t.Fatalf("verbatim INFO is not txt: %q", body)
		}
		body = body[4:]
	}
	return body[:len(body)-2]
}

// sectionTitles returns the "# Title" headers of an INFO text.
func sectionTitles(body string) []string {
	var titles []string
	for _, line := range strings.Split(body, "\r\n") {
		if strings.HasPrefix(line, "# ") {
			titles = append(titles, line[2:])
		}
	}
	return titles
}

func TestInfoSections(t *testing.T) {
	r := dialRaw(t, startServer(t))
	def := "Server Clients Memory Persistence Stats Replication CPU Modules Errorstats Cluster Keyspace Raft"
	all := "Server Clients Memory Persistence Stats Replication CPU Modules Commandstats Errorstats Latencystats Cluster Keyspace Raft"
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"default", nil, def},
		{"all", []string{"all"}, all},
		{"everything", []string{"EVERYTHING"}, all},
		{"one, any case", []string{"SERVER"}, "Server"},
		{"several in Redis's order", []string{"keyspace", "cpu", "server"}, "Server CPU Keyspace"},
		{"repeated", []string{"clients", "CLIENTS"}, "Clients"},
		{"modules", []string{"modules"}, "Modules"},
		{"raft", []string{"raft"}, "Raft"},
		{"unknown", []string{"nosuch"}, ""},
		{"stats of commands and errors", []string{"latencystats", "errorstats", "commandstats"}, "Commandstats Errorstats Latencystats"},
		{"default and more", []string{"default", "nosuch"}, def},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := infoBody(t, r.do(append([]string{"INFO"}, tc.args...)...))
			if got := strings.Join(sectionTitles(body), " "); got != tc.want {
				t.Errorf("sections %q, want %q", got, tc.want)
			}
		})
	}
}

var infoLineFormat = regexp.MustCompile(`^(# [A-Za-z]+|[a-z0-9_]+:[^\r\n]*|)$`)

func TestInfoFormat(t *testing.T) {
	r := dialRaw(t, startServer(t))
	body := infoBody(t, r.do("INFO", "all"))
	if !strings.HasPrefix(body, "# Server\r\nredis_version:7.0.15\r\n") || !strings.HasSuffix(body, "\r\n") {
		t.Errorf("INFO does not start with the server section: %q", body[:min(60, len(body))])
	}
	if strings.Contains(strings.ReplaceAll(body, "\r\n", ""), "\n") || strings.Contains(body, "\r\n\r\n\r\n") {
		t.Errorf("INFO lines must end in CRLF, sections be separated by one blank line: %q", body)
	}
	for _, line := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n") {
		if !infoLineFormat.MatchString(line) {
			t.Errorf("malformed INFO line %q", line)
		}
	}
	r.do("HELLO", "3")
	if got := r.do("INFO", "cluster"); got != "=34\r\ntxt:# Cluster\r\ncluster_enabled:1\r\n\r\n" {
		t.Errorf("RESP3 INFO cluster = %q", got)
	}
}

// TestInfoFields reads INFO through go-redis, as monitoring tools do.
func TestInfoFields(t *testing.T) {
	ts := startTestServer(t)
	rdb := redis.NewClient(&redis.Options{Addr: ts.addr})
	t.Cleanup(func() { rdb.Close() })
	ctx := context.Background()
	if got, err := rdb.Info(ctx, "keyspace").Result(); err != nil || got != "# Keyspace\r\n" {
		t.Errorf("empty keyspace section = %q, %v", got, err)
	}
	rdb.Set(ctx, "a", "1", 0)
	rdb.Set(ctx, "b", "1", time.Hour)
	info, err := rdb.InfoMap(ctx, "all").Result()
	if err != nil {
		t.Fatalf("INFO: %v", err)
	}
	want := map[string]map[string]string{
		"Server":      {"redis_version": "7.0.15", "redis_mode": "standalone", "tcp_port": strconv.Itoa(ts.srv.cfg.Port), "config_file": ""},
		"Clients":     {"connected_clients": "1", "maxclients": "10000"},
		"Memory":      {"maxmemory": "0", "maxmemory_human": "0B", "maxmemory_policy": "noeviction"},
		"Persistence": {"loading": "0", "aof_enabled": "0", "rdb_bgsave_in_progress": "0"},
		"Replication": {"role": "master", "connected_slaves": "0"},
		"Keyspace":    {"db0": "keys=2,expires=1,avg_ttl=0"},
		"Raft":        {"raft_state": "Leader", "raft_node_id": "node1"},
	}
	for sec, fields := range want {
		for k, v := range fields {
			if got, ok := info[sec][k]; !ok || got != v {
				t.Errorf("INFO %s %s = %q (present %v), want %q", sec, k, got, ok, v)
			}
		}
	}
	for _, k := range []string{"total_connections_received", "total_commands_processed", "total_net_input_bytes", "instantaneous_ops_per_sec"} {
		if n, err := strconv.Atoi(info["Stats"][k]); err != nil || n < 0 {
			t.Errorf("INFO stats %s = %q", k, info["Stats"][k])
		}
	}
	if n, _ := strconv.Atoi(info["Memory"]["used_memory"]); n <= 0 {
		t.Errorf("used_memory = %q", info["Memory"]["used_memory"])
	}
}

func TestBytesToHuman(t *testing.T) {
	cases := []struct {
		n    uint64
		want string
	}{
		{0, "0B"}, {1023, "1023B"}, {1024, "1.00K"}, {1217464, "1.16M"}, {7143424, "6.81M"},
		{25276502016, "23.54G"}, {1 << 40, "1.00T"}, {1 << 50, "1.00P"}, {1 << 60, "1152921504606846976B"},
	}
	for _, tc := range cases {
		if got := bytesToHuman(tc.n); got != tc.want {
			t.Errorf("bytesToHuman(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestStatsCountAndReset(t *testing.T) {
	r := dialRaw(t, startServer(t))
	r.do("PING")
	r.do("NOSUCHCOMMAND")
	r.do("GET")
	stats := infoBody(t, r.do("INFO", "stats"))
	// As Redis: refused calls, and the INFO being answered, are not counted
	// yet; INFO stats has no rejected_calls (commandstats has them).
	if strings.Contains(stats, "rejected_calls") {
		t.Errorf("INFO stats has rejected_calls:\n%s", stats)
	}
	for _, want := range []string{"total_commands_processed:1\r\n", "total_connections_received:1\r\n", "total_error_replies:2\r\n"} {
		if !strings.Contains(stats, want) {
			t.Errorf("INFO stats lacks %q:\n%s", want, stats)
		}
	}
	if got := r.do("CONFIG", "RESETSTAT"); got != "+OK\r\n" {
		t.Fatalf("CONFIG RESETSTAT = %q", got)
	}
	stats = infoBody(t, r.do("INFO", "stats"))
	for _, want := range []string{"total_commands_processed:1\r\n", "total_connections_received:0\r\n"} {
		if !strings.Contains(stats, want) {
			t.Errorf("after RESETSTAT INFO stats lacks %q:\n%s", want, stats)
		}
	}
}
