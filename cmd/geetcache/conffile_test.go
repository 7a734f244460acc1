package main

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/server"
	"github.com/geetcache/geetcache/tlsconf"
)

// everyFlagConf sets every flag but join (which excludes peers; see
// joinConf) to a value other than its default, in redis.conf's syntax.
const everyFlagConf = `# every flag geetcache has, as a directive
port 7001
bind 127.0.0.1   "-::1"
dir '/var/lib/geetcache'
raft-log bolt
node-id n9
raft-addr 127.0.0.1:17001
loglevel verbose
raft-snapshot-threshold 100
raft-snapshot-interval 5s
raft-trailing-logs 50
raft-snapshot-threshold-bytes 1048576
raft-trailing-bytes 65536

peers n9=127.0.0.1:17001,n8=127.0.0.1:17002
BOOTSTRAP yes
advertise 127.0.0.1:7001
election-wait 3s
follower-reads forward
timeout 30
requirepass "s3cret pass"
shutdown-timeout 4
master-name mymaster
databases 8
metrics-addr 127.0.0.1:9121
log-format json
maxmemory 1gb
maxmemory-policy allkeys-lru
tls-port 7443
tls-cert-file /etc/geetcache/node.crt
tls-key-file /etc/geetcache/node.key
tls-ca-cert-file /etc/geetcache/ca.crt
tls-ca-cert-dir /etc/geetcache/ca.d
tls-auth-clients optional
tls-protocols "TLSv1.2 TLSv1.3"
tls-ciphers ECDHE-RSA-AES128-GCM-SHA256
tls-ciphersuites TLS_AES_128_GCM_SHA256
protected-mode no
tls-cluster yes
logfile "/var/log/geetcache/geetcache.log"
pidfile /run/geetcache.pid
supervised systemd
enable-debug-command local
`

// everySettingConf sets the CONFIG parameters a file may set: each one
// CONFIG SET changes, and fixed or replicated ones at their value.
const everySettingConf = `maxclients 100
client-output-buffer-limit "normal 0 0 0 pubsub 64mb 16mb 60"
busy-reply-threshold 6000
latency-tracking no
latency-tracking-info-percentiles "50 99"
appendonly yes
aof-use-rdb-preamble no
save ""
daemonize no
appendfsync always
hash-max-listpack-entries 512
`

const joinConf = "join 127.0.0.1:6379\n"

// writeConf writes text into a file of the test's and returns its path.
func writeConf(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "geetcache.conf")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestConfigFileEveryDirective: a file that sets every flag (and the CONFIG
// parameters) gives the same configuration as the flags; the command line
// wins over the environment, which wins over the file. A new flag must be
// added to everyFlagConf.
func TestConfigFileEveryDirective(t *testing.T) {
	var probe config
	every := strings.ToLower("\n" + everyFlagConf + joinConf)
	newFlagSet(&probe).VisitAll(func(f *flag.Flag) {
		if !strings.Contains(every, "\n"+f.Name+" ") {
			t.Errorf("everyFlagConf does not set --%s: add it", f.Name)
		}
	})
	noEnv := func(string) string { return "" }
	got, err := parseConfig([]string{writeConf(t, everyFlagConf+everySettingConf)}, noEnv, io.Discard)
	if err != nil {
		t.Fatalf("parseConfig: %v", err)
	}
	want := config{port: 7001, bind: "127.0.0.1 -::1", dir: "/var/lib/geetcache", raftLog: cluster.RaftLogBolt, nodeID: "n9",
		raftAddr: "127.0.0.1:17001", logLevel: "verbose", snapshotThreshold: 100, snapshotInterval: 5 * time.Second,
		trailingLogs: 50, snapshotBytes: 1 << 20, trailingBytes: 65536, peersFlag: "n9=127.0.0.1:17001,n8=127.0.0.1:17002",
		peers:     []cluster.Peer{{ID: "n9", RaftAddr: "127.0.0.1:17001"}, {ID: "n8", RaftAddr: "127.0.0.1:17002"}},
		bootstrap: optBool{set: true, value: true}, advertise: "127.0.0.1:7001", electionWait: 3 * time.Second,
		followerReads: server.ForwardReads, timeout: 30, requirepass: "s3cret pass", shutdownTimeout: 4, masterName: "mymaster", databases: 8, metricsAddr: "127.0.0.1:9121", logFormat: "json",
		logFile: "/var/log/geetcache/geetcache.log", pidFile: "/run/geetcache.pid", supervised: "systemd", enableDebug: "local", maxMemory: "1gb", maxMemoryPolicy: "allkeys-lru",
		tlsPort: 7443, protectedMode: "no", tlsCluster: "yes", tls: tlsconf.Settings{CertFile: "/etc/geetcache/node.crt", KeyFile: "/etc/geetcache/node.key",
			CACertFile: "/etc/geetcache/ca.crt", CACertDir: "/etc/geetcache/ca.d", AuthClients: "optional", Protocols: "TLSv1.2 TLSv1.3",
			Ciphers: "ECDHE-RSA-AES128-GCM-SHA256", Ciphersuites: "TLS_AES_128_GCM_SHA256"},
		settings: [][2]string{{"maxclients", "100"},
			{"client-output-buffer-limit", "normal 0 0 0 pubsub 64mb 16mb 60"}, {"busy-reply-threshold", "6000"},
			{"latency-tracking", "no"}, {"latency-tracking-info-percentiles", "50 99"}, {"appendonly", "yes"},
			{"aof-use-rdb-preamble", "no"}, {"save", ""}, {"daemonize", "no"}, {"appendfsync", "always"},
			{"hash-max-listpack-entries", "512"}}}
	if len(got.fromFile) != 41 {
		t.Errorf("the file set %d flags, want 41: %v", len(got.fromFile), got.fromFile)
	}
	got.fromFile, got.file = nil, ""
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseConfig of the file:\n got %+v\nwant %+v", got, want)
	}
	got, err = parseConfig([]string{writeConf(t, joinConf)}, noEnv, io.Discard)
	if err != nil || got.join != "127.0.0.1:6379" {
		t.Errorf("join from a file: %q, %v", got.join, err)
	}
	env := func(k string) string { return map[string]string{"GEETCACHE_TIMEOUT": "9", "GEETCACHE_PORT": "7003"}[k] }
	got, err = parseConfig([]string{writeConf(t, everyFlagConf), "--port", "7002", "--advertise", "127.0.0.1:7002"}, env, io.Discard)
	if err != nil || got.port != 7002 || got.timeout != 9 || got.nodeID != "n9" {
		t.Errorf("flags over environment over file: port %d (want 7002), timeout %d (want 9), node-id %q (want n9); %v",
			got.port, got.timeout, got.nodeID, err)
	}
}

// TestConfigFileStartsANode: geetcache started with a file serves on the
// file's settings, the command line's port winning over the file's.
func TestConfigFileStartsANode(t *testing.T) {
	ports := freePorts(t, 2)
	n := &node{t: t, port: ports[0], raftPort: ports[1], dir: t.TempDir(), env: []string{"GEETCACHE_TIMEOUT=9"}}
	conf := writeConf(t, "port 1\nbind 127.0.0.1\ndir "+strconv.Quote(n.dir)+"\nraft-addr 127.0.0.1:"+strconv.Itoa(n.raftPort)+
		"\ntimeout 30\nmaxmemory 1gb\n"+everySettingConf)
	n.args = []string{conf, "--port", strconv.Itoa(n.port)}
	n.launch()
	c := n.Client(noRetries)
	for name, want := range map[string]string{"maxmemory": "1073741824", "maxclients": "100", "timeout": "9",
		"client-output-buffer-limit": "normal 0 0 0 slave 268435456 67108864 60 pubsub 67108864 16777216 60",
		"busy-reply-threshold":       "6000", "latency-tracking": "no", "latency-tracking-info-percentiles": "50 99",
		"appendonly": "yes", "aof-use-rdb-preamble": "no", "save": "", "dir": n.dir} {
		got, err := c.ConfigGet(ctx, name).Result()
		if err != nil || got[name] != want {
			t.Errorf("CONFIG GET %s: %q, %v; want %q", name, got[name], err, want)
		}
	}
}

// TestConfigFileBadLine: a bad line stops geetcache before it starts,
// with one line on stderr naming the file and the line, and exit code 2.
func TestConfigFileBadLine(t *testing.T) {
	for _, tc := range []struct {
		name, text, want string
	}{
		{"unknown directive", "port 7001\n\n# fine so far\nfoo bar\n", `:4: unknown directive "foo"`},
		{"user directive", "user alice on >pw ~* +@all\n", `:1: user is not supported: users live in the Raft log: create them once with ACL SETUSER`},
		{"rename-command", "rename-command FLUSHALL \"\"\n", `:1: rename-command is not supported: restrict commands with ACL rules instead`},
		{"bad flag value", "port abc\n", `:1: invalid value "abc" for port`},
		{"bad bool", "bootstrap maybe\n", `:1: invalid value "maybe" for bootstrap`},
		{"bad setting value", "maxclients lots\n", `:1: invalid value "lots" for maxclients: argument couldn't be parsed into an integer`},
		{"bad maxmemory", "maxmemory lots\n", `:1: invalid value "lots" for -maxmemory: argument must be a memory value`},
		{"immutable setting", "cluster-enabled yes\n", `:1: invalid value "yes" for cluster-enabled: can't set immutable config`},
		{"replicated setting", "hash-max-listpack-entries 5\n", `:1: invalid value "5" for hash-max-listpack-entries: it is replicated`},
		{"unbalanced quotes", "port 7001\nbind \"127.0.0.1\n", ":2: unbalanced quotes"},
		{"value out of range", "port 7001\ntimeout -1\n", `:2: invalid value -1 for -timeout: must be from 0 to 2147483647`},
		{"bad value overridden", "port abc\n", `:1: invalid value "abc" for port`},
		{"include missing", "include /nonexistent/geetcache.conf\n", ":1: include /nonexistent/geetcache.conf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conf := writeConf(t, tc.text)
			stdout, stderr, code := runBinary(t, nil, conf, "--dir", t.TempDir(), "--port", "0")
			if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 {
				t.Fatalf("exit code %d (want 2), stdout %q, stderr %q (want one line)", code, stdout, stderr)
			}
			if !strings.Contains(stderr, conf+tc.want) {
				t.Errorf("stderr %q does not contain %q", stderr, conf+tc.want)
			}
		})
	}
}

// TestConfigFileInclude: include reads another file in place.
func TestConfigFileInclude(t *testing.T) {
	inner := writeConf(t, "node-id n7\n")
	outer := writeConf(t, "include "+strconv.Quote(inner)+"\ntimeout 3\n")
	got, err := parseConfig([]string{outer}, func(string) string { return "" }, io.Discard)
	if err != nil || got.nodeID != "n7" || got.timeout != 3 {
		t.Fatalf("node-id %q, timeout %d, %v; want n7, 3", got.nodeID, got.timeout, err)
	}
}

// TestConfigRewrite: CONFIG REWRITE writes the parameters CONFIG SET
// changed into the file the node started with, on their own lines (a
// comment and other lines kept), the others after "# Generated by CONFIG
// REWRITE", as redis-server 7.0.15 does; a node started without a file
// answers Redis's error.
func TestConfigRewrite(t *testing.T) {
	ports := freePorts(t, 2)
	n := &node{t: t, port: ports[0], raftPort: ports[1], dir: t.TempDir()}
	conf := writeConf(t, "# my settings\nport "+strconv.Itoa(n.port)+"\nbind 127.0.0.1\ndir "+strconv.Quote(n.dir)+
		"\nraft-addr 127.0.0.1:"+strconv.Itoa(n.raftPort)+"\ntimeout 5\nmaxclients 100\n")
	n.args = []string{conf}
	n.launch()
	c := n.Client(noRetries)
	for _, kv := range [][2]string{{"timeout", "0"}, {"maxclients", "55"}, {"busy-reply-threshold", "6000"}} {
		if err := c.ConfigSet(ctx, kv[0], kv[1]).Err(); err != nil {
			t.Fatalf("CONFIG SET %s %s: %v", kv[0], kv[1], err)
		}
	}
	if err := c.ConfigRewrite(ctx).Err(); err != nil {
		t.Fatalf("CONFIG REWRITE: %v", err)
	}
	got, _ := os.ReadFile(conf)
	want := "# my settings\nport " + strconv.Itoa(n.port) + "\nbind 127.0.0.1\ndir " + strconv.Quote(n.dir) +
		"\nraft-addr 127.0.0.1:" + strconv.Itoa(n.raftPort) + "\ntimeout 0\nmaxclients 55\n\n# Generated by CONFIG REWRITE\nbusy-reply-threshold 6000\n"
	if string(got) != want {
		t.Fatalf("the file after CONFIG REWRITE:\n%s\nwant:\n%s", got, want)
	}
	if code := n.Term(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	n.Restart() // the rewritten file starts the node with those values
	if v, err := n.Client(noRetries).ConfigGet(ctx, "maxclients").Result(); err != nil || v["maxclients"] != "55" {
		t.Fatalf("CONFIG GET maxclients after restart: %v, %v", v, err)
	}
	plain := startNode(t)
	if err := plain.Client(noRetries).ConfigRewrite(ctx).Err(); err == nil || err.Error() != "ERR The server is running without a config file" {
		t.Fatalf("CONFIG REWRITE without a file: %v", err)
	}
}
