package main

import (
	"fmt"
	"sort"
	"testing"

	"github.com/redis/go-redis/v9"
)

// paramsSetHere are Redis's parameters that show a value of their own
// here (the node's address, its data directory, what it does), or that
// geetcache answers differently on purpose (docs/compatibility.md, the
// CONFIG row and "Parameters kept for Redis's tools"): TestRedisParamsKept
// checks only that they exist.
var paramsSetHere = map[string]string{
	"bind": "the node's", "port": "the node's", "dir": "the node's", "pidfile": "the node's",
	"appendfsync":          "every write is synced: always",
	"enable-debug-command": "DEBUG is always allowed",
	"save":                 "started with --save \"\" here and there",
	// Fixed at what geetcache does: any other value is refused.
	"activedefrag": "no defragmenter", "oom-score-adj": "not supported", "shutdown-on-sigint": "geetcache's own stop",
	"shutdown-on-sigterm": "geetcache's own stop", "tls-client-cert-file": "one certificate", "tls-client-key-file": "one certificate",
	"tls-client-key-file-pass": "no encrypted keys", "tls-key-file-pass": "no encrypted keys",
	// Parameters geetcache sets through its own flags or keeps fixed.
	"cluster-enabled": "fixed", "databases": "the flag", "daemonize": "fixed", "maxmemory": "replicated",
	"proto-max-bulk-len": "fixed", "replicaof": "REPLICAOF", "slaveof": "REPLICAOF", "client-query-buffer-limit": "fixed range",
	"maxmemory-clients": "no client eviction", "maxclients": "the process's limit differs", "appendonly": "started with it",
	"tls-port": "fixed at start", "tls-cert-file": "fixed at start", "tls-key-file": "fixed at start",
	"tls-ca-cert-file": "fixed at start", "tls-ca-cert-dir": "fixed at start", "tls-auth-clients": "fixed at start",
	"tls-cluster": "fixed at start", "tls-protocols": "fixed at start",
	"tls-ciphers": "fixed at start", "tls-ciphersuites": "fixed at start", "requirepass": "ACL",
	"min-replicas-to-write": "replicated", "min-slaves-to-write": "replicated",
}

// badValues are values CONFIG SET is given for every parameter: each
// parameter must refuse them (or take them) as Redis does, with Redis's
// words.
var badValues = []string{"x", "-1", "99999999999999999999", "YES", "1kb", "", "1  2", " 0"}

// TestRedisParamsKept: every parameter redis-server 7.0.15 reports with
// CONFIG GET * exists here; the ones geetcache keeps for Redis's tools show
// Redis's default and refuse (or take) the same values with the same
// words; a value both take reads back the same. A redis.conf's directives
// therefore load (TestStockRedisConfLoads).
func TestRedisParamsKept(t *testing.T) {
	n := startNode(t)
	g := n.Client(noRetries)
	r := redis.NewClient(&redis.Options{Addr: startRedisServer(t)})
	defer r.Close()
	ref, err := r.ConfigGet(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	here, err := g.ConfigGet(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(ref))
	for name := range ref {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, ok := here[name]; !ok {
			t.Errorf("CONFIG GET *: %s missing here", name)
			continue
		}
		if _, own := paramsSetHere[name]; own {
			continue
		}
		if here[name] != ref[name] {
			t.Errorf("CONFIG GET %s: %q here, Redis %q", name, here[name], ref[name])
		}
		for _, v := range append([]string{ref[name]}, badValues...) {
			want, got := configSet(r, name, v), configSet(g, name, v)
			if got != want {
				t.Errorf("CONFIG SET %s %q: %s here, Redis %s", name, v, got, want)
			}
			if back := configGet(g, name); want == "OK" && back != configGet(r, name) {
				t.Errorf("CONFIG SET %s %q then GET: %q here, Redis %q", name, v, back, configGet(r, name))
			}
			configSet(r, name, ref[name]) // back to the default, on both
			configSet(g, name, ref[name])
		}
	}
}

func configSet(c *redis.Client, name, value string) string {
	if err := c.ConfigSet(ctx, name, value).Err(); err != nil {
		return err.Error()
	}
	return "OK"
}

func configGet(c *redis.Client, name string) string {
	m, err := c.ConfigGet(ctx, name).Result()
	if err != nil {
		return fmt.Sprint(err)
	}
	return m[name]
}
