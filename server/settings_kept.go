package server

import (
	"math"
	"strconv"
	"strings"
	"sync/atomic"
)

// Redis 7.0's parameters that mean nothing here (an RDB or AOF file's
// knobs, the allocator's, a Redis replica's, Redis Cluster's bus, the
// process title...) are kept so that a redis.conf loads and Redis's tools
// find them (tcp-keepalive, unixsocket, unixsocketperm,
// enable-module-command, and for REPLICAOF masterauth, masteruser,
// replica-read-only, replica-serve-stale-data, repl-timeout,
// replica-announce-ip and -port and replica-ignore-maxmemory, are kept
// here too, and honoured: keepalive.go, unixsocket.go,
// protected_commands.go, upstream_link.go, replicaof.go, replica_stale.go,
// upstream_timeout.go):
// each is checked as Redis checks it, kept per node and reported back, and
// the others change nothing
// (docs/compatibility.md, "Parameters kept for Redis's tools"). Those
// Redis lets change only at start (IMMUTABLE_CONFIG) are set by a
// configuration file and refused by CONFIG SET, as in Redis.

// keptKind is how a kept parameter's value is checked.
type keptKind uint8

const (
	keptBool   keptKind = iota // yes or no
	keptInt                    // an integer in [lo, hi]
	keptMemory                 // a memory value (1kb, 2mb...) in [lo, hi]
	keptEnum                   // one of options
	keptString                 // any string (parseString, when set, may refuse or rewrite it)
	keptOctal                  // an octal integer in [lo, hi] (unixsocketperm)
)

// kept describes one kept parameter.
type kept struct {
	name string
	// alias is Redis's other name for it (slave-priority for
	// replica-priority): shown and set as the same value.
	alias     string
	kind      keptKind
	def       string
	lo, hi    int64
	options   []string
	startOnly bool // Redis's IMMUTABLE_CONFIG: the file sets it, CONFIG SET refuses
	// protected is Redis's PROTECTED_CONFIG: CONFIG SET refuses it while
	// enable-protected-configs is no (always, here).
	protected bool
	// parseString, for a string, is its own check: the value kept, or Redis's
	// reason for refusing it.
	parseString func(v string) (string, string)
	// keptWithin, when set, is the range an integer taken is then kept
	// in, as Redis keeps hz within 1..500.
	keptWithin *[2]int64
}

const maxInt = math.MaxInt32

// protectedA are the values of Redis's protected_action_enum.
var protectedA = []string{"no", "yes", "local"}

// keptList is every kept parameter, with Redis 7.0's checks and defaults.
var keptList = []kept{
	{name: "active-defrag-cycle-max", kind: keptInt, def: "25", lo: 1, hi: 99},
	{name: "active-defrag-cycle-min", kind: keptInt, def: "1", lo: 1, hi: 99},
	{name: "active-defrag-ignore-bytes", kind: keptMemory, def: "104857600", lo: 1, hi: math.MaxInt64},
	{name: "active-defrag-max-scan-fields", kind: keptInt, def: "1000", lo: 1, hi: math.MaxInt64},
	{name: "active-defrag-threshold-lower", kind: keptInt, def: "10", lo: 0, hi: 1000},
	{name: "active-defrag-threshold-upper", kind: keptInt, def: "100", lo: 0, hi: 1000},
	{name: "active-expire-effort", kind: keptInt, def: "1", lo: 1, hi: 10},
	{name: "activerehashing", kind: keptBool, def: "yes"},
	{name: "always-show-logo", kind: keptBool, def: "no", startOnly: true},
	{name: "aof-disable-auto-gc", kind: keptBool, def: "no"},
	{name: "aof-load-truncated", kind: keptBool, def: "yes"},
	{name: "aof-rewrite-incremental-fsync", kind: keptBool, def: "yes"},
	{name: "aof-timestamp-enabled", kind: keptBool, def: "no"},
	{name: "aof_rewrite_cpulist", kind: keptString, startOnly: true},
	{name: "appenddirname", kind: keptString, def: "appendonlydir", startOnly: true, parseString: baseName("appenddirname", "dirname")},
	{name: "appendfilename", kind: keptString, def: "appendonly.aof", startOnly: true, parseString: baseName("appendfilename", "filename")},
	{name: "auto-aof-rewrite-min-size", kind: keptMemory, def: "67108864", lo: 0, hi: math.MaxInt64},
	{name: "auto-aof-rewrite-percentage", kind: keptInt, def: "100", lo: 0, hi: maxInt},
	{name: "bgsave_cpulist", kind: keptString, startOnly: true},
	{name: "bind-source-addr", kind: keptString},
	{name: "bio_cpulist", kind: keptString, startOnly: true},
	{name: "cluster-allow-pubsubshard-when-down", kind: keptBool, def: "yes"},
	{name: "cluster-allow-reads-when-down", kind: keptBool, def: "no"},
	{name: "cluster-allow-replica-migration", kind: keptBool, def: "yes"},
	{name: "cluster-announce-bus-port", kind: keptInt, def: "0", lo: 0, hi: 65535},
	{name: "cluster-announce-hostname", kind: keptString, parseString: hostnameCheck},
	{name: "cluster-announce-ip", kind: keptString},
	{name: "cluster-announce-port", kind: keptInt, def: "0", lo: 0, hi: 65535},
	{name: "cluster-announce-tls-port", kind: keptInt, def: "0", lo: 0, hi: 65535},
	{name: "cluster-config-file", kind: keptString, def: "nodes.conf", startOnly: true},
	{name: "cluster-link-sendbuf-limit", kind: keptMemory, def: "0", lo: 0, hi: -1},
	{name: "cluster-migration-barrier", kind: keptInt, def: "1", lo: 0, hi: maxInt},
	{name: "cluster-node-timeout", kind: keptInt, def: "15000", lo: 0, hi: math.MaxInt64},
	{name: "cluster-port", kind: keptInt, def: "0", lo: 0, hi: 65535, startOnly: true},
	{name: "cluster-preferred-endpoint-type", kind: keptEnum, def: "ip", options: []string{"ip", "hostname", "unknown-endpoint"}},
	{name: "cluster-replica-no-failover", alias: "cluster-slave-no-failover", kind: keptBool, def: "no"},
	{name: "cluster-replica-validity-factor", alias: "cluster-slave-validity-factor", kind: keptInt, def: "10", lo: 0, hi: maxInt},
	{name: "cluster-require-full-coverage", kind: keptBool, def: "yes"},
	{name: "crash-log-enabled", kind: keptBool, def: "yes"},
	{name: "crash-memcheck-enabled", kind: keptBool, def: "yes"},
	{name: "dbfilename", kind: keptString, def: "dump.rdb", protected: true, parseString: baseName("dbfilename", "filename")},
	{name: "disable-thp", kind: keptBool, def: "yes", startOnly: true},
	{name: "dynamic-hz", kind: keptBool, def: "yes"},
	{name: "enable-module-command", kind: keptEnum, def: "no", options: protectedA, startOnly: true},
	{name: "hz", kind: keptInt, def: "10", lo: 0, hi: maxInt, keptWithin: &[2]int64{1, 500}},
	{name: "ignore-warnings", kind: keptString},
	{name: "io-threads", kind: keptInt, def: "1", lo: 1, hi: 128, startOnly: true},
	{name: "io-threads-do-reads", kind: keptBool, def: "no", startOnly: true},
	{name: "jemalloc-bg-thread", kind: keptBool, def: "yes"},
	{name: "lazyfree-lazy-eviction", kind: keptBool, def: "no"},
	{name: "lazyfree-lazy-expire", kind: keptBool, def: "no"},
	{name: "lazyfree-lazy-server-del", kind: keptBool, def: "no"},
	{name: "lazyfree-lazy-user-del", kind: keptBool, def: "no"},
	{name: "lazyfree-lazy-user-flush", kind: keptBool, def: "no"},
	{name: "masterauth", kind: keptString},
	{name: "masteruser", kind: keptString},
	{name: "no-appendfsync-on-rewrite", kind: keptBool, def: "no"},
	{name: "oom-score-adj-values", kind: keptString, def: "0 200 800", parseString: oomScoreAdjValues},
	{name: "proc-title-template", kind: keptString, def: "{title} {listen-addr} {server-mode}", parseString: procTitleCheck},
	{name: "propagation-error-behavior", kind: keptEnum, def: "ignore", options: []string{"ignore", "panic", "panic-on-replicas"}},
	{name: "rdb-del-sync-files", kind: keptBool, def: "no"},
	{name: "rdb-save-incremental-fsync", kind: keptBool, def: "yes"},
	{name: "rdbchecksum", kind: keptBool, def: "yes", startOnly: true},
	{name: "rdbcompression", kind: keptBool, def: "yes"},
	{name: "repl-backlog-ttl", kind: keptInt, def: "3600", lo: 0, hi: math.MaxInt64},
	{name: "repl-disable-tcp-nodelay", kind: keptBool, def: "no"},
	{name: "repl-diskless-load", kind: keptEnum, def: "disabled", options: []string{"disabled", "on-empty-db", "swapdb"}},
	{name: "repl-diskless-sync", kind: keptBool, def: "yes"},
	{name: "repl-diskless-sync-delay", kind: keptInt, def: "5", lo: 0, hi: maxInt},
	{name: "repl-diskless-sync-max-replicas", kind: keptInt, def: "0", lo: 0, hi: maxInt},
	{name: "repl-timeout", kind: keptInt, def: "60", lo: 1, hi: maxInt},
	{name: "replica-announce-ip", alias: "slave-announce-ip", kind: keptString},
	{name: "replica-announce-port", alias: "slave-announce-port", kind: keptInt, def: "0", lo: 0, hi: 65535},
	{name: "replica-announced", kind: keptBool, def: "yes"},
	{name: "replica-ignore-disk-write-errors", kind: keptBool, def: "no"},
	{name: "replica-ignore-maxmemory", alias: "slave-ignore-maxmemory", kind: keptBool, def: "yes"},
	{name: "replica-lazy-flush", alias: "slave-lazy-flush", kind: keptBool, def: "no"},
	{name: "replica-priority", alias: "slave-priority", kind: keptInt, def: "100", lo: 0, hi: maxInt},
	{name: "replica-read-only", alias: "slave-read-only", kind: keptBool, def: "yes"},
	{name: "replica-serve-stale-data", alias: "slave-serve-stale-data", kind: keptBool, def: "yes"},
	{name: "sanitize-dump-payload", kind: keptEnum, def: "no", options: []string{"no", "yes", "clients"}},
	{name: "server_cpulist", kind: keptString, startOnly: true},
	{name: "set-proc-title", kind: keptBool, def: "yes", startOnly: true},
	{name: "stop-writes-on-bgsave-error", kind: keptBool, def: "yes"},
	{name: "syslog-facility", kind: keptEnum, def: "local0", startOnly: true,
		options: []string{"user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"}},
	{name: "syslog-ident", kind: keptString, def: "redis", startOnly: true},
	{name: "tcp-backlog", kind: keptInt, def: "511", lo: 0, hi: maxInt, startOnly: true},
	{name: "tcp-keepalive", kind: keptInt, def: "300", lo: 0, hi: maxInt}, // honoured: keepalive.go
	{name: "tls-dh-params-file", kind: keptString},
	{name: "tls-prefer-server-ciphers", kind: keptBool, def: "no"},
	{name: "tls-session-cache-size", kind: keptInt, def: "20480", lo: 0, hi: maxInt},
	{name: "tls-session-cache-timeout", kind: keptInt, def: "300", lo: 0, hi: maxInt},
	{name: "tls-session-caching", kind: keptBool, def: "yes"},
	{name: "unixsocket", kind: keptString, startOnly: true},                                // honoured: unixsocket.go
	{name: "unixsocketperm", kind: keptOctal, def: "0", lo: 0, hi: 0o777, startOnly: true}, // likewise
}

// Parameters geetcache cannot honour but any other value: only Redis's
// default is taken (as a fixed parameter's), so that a file asking for
// what geetcache does not do stops it at start instead of being ignored.
var keptFixed = []*param{
	{name: "aclfile", immutable: true, get: fixed("")},
	{name: "activedefrag", get: fixed("no")},
	{name: "enable-protected-configs", immutable: true, get: fixed("no")},
	{name: "oom-score-adj", get: fixed("no")},
	{name: "shutdown-on-sigint", get: fixed("default")},
	{name: "shutdown-on-sigterm", get: fixed("default")},
	{name: "socket-mark-id", immutable: true, get: fixed("0")},
	{name: "syslog-enabled", immutable: true, get: fixed("no")},
	{name: "tls-client-cert-file", get: fixed("")},
	{name: "tls-client-key-file", get: fixed("")},
	{name: "tls-client-key-file-pass", get: fixed("")},
	{name: "tls-key-file-pass", get: fixed("")},
}

// keptParams are the CONFIG parameters of keptList and keptFixed.
func keptParams() []*param {
	var ps []*param
	for i := range keptList {
		k := &keptList[i]
		for _, name := range []string{k.name, k.alias} {
			if name != "" {
				ps = append(ps, k.param(name))
			}
		}
	}
	return append(ps, keptFixed...)
}

func (k *kept) param(name string) *param {
	key := k.name
	return &param{name: name, startOnly: k.startOnly, protected: k.protected,
		get: func(st *settings) string { return *st.kept[key].Load() },
		set: func(st *settings, v []byte) (func(), string) {
			val, reason := k.parse(string(v))
			if reason != "" {
				return nil, reason
			}
			return func() { st.kept[key].Store(&val) }, ""
		}}
}

// parse checks v as Redis checks the parameter and returns the value
// CONFIG GET then shows.
func (k *kept) parse(v string) (string, string) {
	switch k.kind {
	case keptBool:
		return parseYesNo(v)
	case keptInt:
		n, reason := parseIntConfig([]byte(v), k.lo, k.hi)
		if w := k.keptWithin; w != nil {
			n = min(max(n, w[0]), w[1])
		}
		return strconv.FormatInt(n, 10), reason
	case keptMemory:
		return k.parseMemory(v)
	case keptEnum:
		for _, o := range k.options {
			if strings.EqualFold(v, o) {
				return o, ""
			}
		}
		return "", "argument(s) must be one of the following: " + strings.Join(k.options, ", ")
	case keptOctal:
		n, err := strconv.ParseInt(v, 8, 64)
		if err != nil {
			return "", "argument couldn't be parsed into an integer"
		}
		if n < k.lo || n > k.hi {
			return "", "argument must be between " + strconv.FormatInt(k.lo, 8) + " and " + strconv.FormatInt(k.hi, 8) + " inclusive"
		}
		return strconv.FormatInt(n, 8), ""
	}
	if k.parseString != nil {
		return k.parseString(v)
	}
	return v, ""
}

// parseMemory takes a memory value in [lo, hi]; hi -1 is 2^64-1.
func (k *kept) parseMemory(v string) (string, string) {
	hi := uint64(k.hi)
	if k.hi < 0 {
		hi = math.MaxUint64
	}
	n, reason := parseMemoryConfig(v, uint64(k.lo), hi)
	return strconv.FormatUint(n, 10), reason
}

func parseYesNo(v string) (string, string) {
	switch strings.ToLower(v) {
	case "yes":
		return "yes", ""
	case "no":
		return "no", ""
	}
	return "", "argument must be 'yes' or 'no'"
}

// baseName refuses a path or nothing, as Redis's checks of its file names.
func baseName(name, what string) func(string) (string, string) {
	return func(v string) (string, string) {
		switch {
		case v == "":
			return "", name + " can't be empty"
		case strings.ContainsRune(v, '/'):
			return "", name + " can't be a path, just a " + what
		}
		return v, ""
	}
}

// hostnameCheck is Redis's check of cluster-announce-hostname.
func hostnameCheck(v string) (string, string) {
	for _, c := range v {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return "", "Hostnames may only contain alphanumeric characters, hyphens or dots"
		}
	}
	return v, ""
}

// procTitleVars are the variables a process title template may name;
// true for those that expand to nothing on a plain node here.
var procTitleVars = map[string]bool{"title": true, "listen-addr": false, "server-mode": true,
	"port": false, "tls-port": false, "unixsocket": true, "config-file": true}

// procTitleCheck is Redis's check of proc-title-template: only known
// {variables}, braces matched, and something left once expanded.
func procTitleCheck(v string) (string, string) {
	const invalid = "template format is invalid or contains unknown variables"
	shown := false
	for rest := v; rest != ""; {
		open := strings.IndexAny(rest, "{}")
		if open < 0 {
			shown = shown || strings.Trim(rest, " ") != ""
			break
		}
		shown = shown || strings.Trim(rest[:open], " ") != ""
		end := strings.IndexByte(rest[open:], '}')
		if rest[open] == '}' || end < 0 {
			return "", invalid
		}
		empty, ok := procTitleVars[rest[open+1:open+end]]
		if !ok {
			return "", invalid
		}
		shown = shown || !empty
		rest = rest[open+end+1:]
	}
	if !shown {
		return "", invalid
	}
	return v, ""
}

// oomScoreAdjValues checks oom-score-adj-values as Redis does: three
// integers from -2000 to 2000 as strtol reads them (an empty one, between
// two spaces, is 0), kept as Redis prints them. oom-score-adj
// stays no, so they change nothing, as in Redis.
func oomScoreAdjValues(v string) (string, string) {
	f := configArgs(v)
	if len(f) != 3 {
		return "", "wrong number of arguments"
	}
	for i, x := range f {
		n, rest := strtoll(x) // Redis's strtol: an empty argument is 0
		if rest != "" || n < -2000 || n > 2000 {
			return "", "Invalid oom-score-adj-values, elements must be between -2000 and 2000."
		}
		f[i] = strconv.FormatInt(n, 10)
	}
	return strings.Join(f, " "), ""
}

// initKept gives every kept parameter its default.
func (st *settings) initKept() {
	st.kept = map[string]*atomic.Pointer[string]{}
	for i := range keptList {
		k := &keptList[i]
		p := new(atomic.Pointer[string])
		def := k.def
		p.Store(&def)
		st.kept[k.name] = p
	}
}
