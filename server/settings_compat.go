package server

import (
	"math"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/geetcache/geetcache/protocol"
)

// Parameters geetcache keeps for Redis's tools and tests but that change
// nothing here (docs/compatibility.md, "CONFIG"): save (durability is the
// Raft log; no RDB is written on a schedule), repl-backlog-size (there
// is no replication backlog: followers catch up from the Raft log) and
// repl-ping-replica-period (Raft's heartbeats) are kept and reported back; maxmemory-clients and client-query-buffer-limit
// are checked as Redis checks them, and only their current value is
// accepted; key-load-delay (hidden: only CONFIG GET by its name shows it),
// replicaof and slaveof are fixed.
var compatParams = []*param{
	{name: "save", get: func(st *settings) string { return *st.save.Load() }, set: setSave},
	{name: "repl-backlog-size", get: func(st *settings) string { return strconv.FormatInt(st.backlog.Load(), 10) },
		set: setBacklogSize},
	{name: "repl-ping-replica-period", get: getPingPeriod, set: setPingPeriod},
	{name: "repl-ping-slave-period", get: getPingPeriod, set: setPingPeriod},
	{name: "maxmemory-clients", get: fixed("0"), set: setMaxMemoryClients, fixedValue: true},
	{name: "client-query-buffer-limit", get: func(st *settings) string { return strconv.FormatInt(st.maxQuery.Load(), 10) },
		set: setQueryBufferLimit},
	{name: "key-load-delay", hidden: true, get: fixed("0")},
	{name: "replicaof", get: getReplicaOf, fileSet: fileReplicaOf},
	{name: "slaveof", get: getReplicaOf, fileSet: fileReplicaOf},
}

// compatSettings are the values of compatParams that are kept.
type compatSettings struct {
	save       atomic.Pointer[string]
	backlog    atomic.Int64
	pingPeriod atomic.Int64
	replicaOf  atomic.Pointer[string] // "host port" while REPLICAOF runs (replicaof.go), else ""
}

func (cs *compatSettings) init() {
	empty := ""
	cs.save.Store(&empty)
	cs.replicaOf.Store(&empty)
	cs.backlog.Store(1 << 20)
	cs.pingPeriod.Store(10)
}

// repl-ping-replica-period (old name repl-ping-slave-period): seconds
// between a Redis master's pings to its replicas, 1 to INT_MAX, default
// 10. Kept and reported back; Raft's heartbeats (every 50-100 ms) do
// this here.
func getPingPeriod(st *settings) string { return strconv.FormatInt(st.pingPeriod.Load(), 10) }

func setPingPeriod(st *settings, v []byte) (func(), string) {
	n, reason := parseIntConfig(v, 1, math.MaxInt32)
	if reason != "" {
		return nil, reason
	}
	return func() { st.pingPeriod.Store(n) }, ""
}

// setSave checks save as Redis does: pairs of seconds (at least 1) and
// changes (none for no saving), each as strtoll reads it, kept as Redis
// prints them back.
func setSave(st *settings, v []byte) (func(), string) {
	f := configArgs(string(v))
	if len(f)%2 != 0 {
		return nil, "Invalid save parameters"
	}
	for i, x := range f {
		n, err := strconv.ParseInt(x, 10, 64)
		if err != nil || n < int64(1-i%2) {
			return nil, "Invalid save parameters"
		}
		f[i] = strconv.FormatInt(n, 10)
	}
	s := strings.Join(f, " ")
	return func() { st.save.Store(&s) }, ""
}

// setBacklogSize takes a memory value, at least Redis's 16 KiB.
func setBacklogSize(st *settings, v []byte) (func(), string) {
	n, reason := parseMemoryConfig(string(v), 1, 1<<63-1)
	if reason != "" {
		return nil, reason
	}
	return func() { st.backlog.Store(max(int64(n), 16384)) }, ""
}

// setMaxMemoryClients checks a memory or percent value as Redis does;
// client eviction is not implemented, so only 0 (off) is taken.
func setMaxMemoryClients(_ *settings, v []byte) (func(), string) {
	s := string(v)
	if p, ok := strings.CutSuffix(s, "%"); ok {
		n, ok := protocol.ParseInt([]byte(p))
		switch {
		case !ok || n < 0:
			return nil, "argument must be a memory or percent value"
		case n > 100:
			return nil, "percentage argument must be less or equal to 100"
		case n != 0:
			return nil, "client eviction (maxmemory-clients) is not supported"
		}
		return func() {}, ""
	}
	n, ok := memToUint64(s)
	if !ok {
		return nil, "argument must be a memory or percent value"
	}
	if n != 0 {
		return nil, "client eviction (maxmemory-clients) is not supported"
	}
	return func() {}, ""
}

// setQueryBufferLimit sets client-query-buffer-limit as Redis does: every
// client's next command is held to it.
func setQueryBufferLimit(st *settings, v []byte) (func(), string) {
	n, ok := memToUint64(string(v))
	if !ok {
		return nil, "argument must be a memory value"
	}
	if n < 1<<20 || n > 1<<63-1 {
		return nil, "argument must be between 1048576 and 9223372036854775807 inclusive"
	}
	return func() { st.maxQuery.Store(int64(n)) }, ""
}

// getReplicaOf is CONFIG GET replicaof's value: the master REPLICAOF
// named, as "host port", or "" (replicaof.go; not settable, as in Redis).
func getReplicaOf(st *settings) string { return *st.replicaOf.Load() }

// fileReplicaOf is replicaof (or slaveof) in a configuration file or on
// the command line, "host port" or "no one", checked as Redis's loader
// checks it; the node starts replicating once it listens
// (startConfiguredUpstream).
func fileReplicaOf(st *settings, v []byte) (func(), string) {
	f := configArgs(string(v))
	if len(f) != 2 {
		return nil, "wrong number of arguments"
	}
	if strings.EqualFold(f[0], "no") && strings.EqualFold(f[1], "one") {
		return func() { empty := ""; st.replicaOf.Store(&empty) }, ""
	}
	if port, err := strconv.Atoi(f[1]); err != nil || port < 0 || port > 65535 {
		return nil, "Invalid master port"
	}
	return func() { value := string(v); st.replicaOf.Store(&value) }, ""
}
