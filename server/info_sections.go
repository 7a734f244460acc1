package server

import (
	"cmp"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/pubsub"
)

// Each section prints the fields of Redis 7.0.15's section that geetcache
// can fill truthfully, in Redis's order, plus a few of its own
// (geetcache_version, go_version). A field Redis has that
// geetcache does not track is left out rather than shown as 0.

func (s *Server) infoServer(b []byte) []byte {
	now := time.Now()
	uptime := int64(now.Sub(s.started).Seconds())
	b = infoLine(b, "redis_version", RedisVersion)
	b = infoLine(b, "geetcache_version", geetcacheVersion())
	b = infoLine(b, "go_version", runtime.Version())
	b = infoLine(b, "redis_mode", "standalone")
	b = infoLine(b, "os", osName())
	b = infoInt(b, "arch_bits", strconv.IntSize)
	b = infoLine(b, "multiplexing_api", "epoll") // Go's network poller's, on Linux
	b = infoInt(b, "process_id", int64(os.Getpid()))
	b = infoLine(b, "process_supervised", cmp.Or(s.cfg.Supervisor, "no"))
	b = infoLine(b, "run_id", runID)
	b = infoInt(b, "tcp_port", int64(s.tcpPort()))
	b = infoInt(b, "server_time_usec", now.UnixMicro())
	b = infoInt(b, "uptime_in_seconds", uptime)
	b = infoInt(b, "uptime_in_days", uptime/(3600*24))
	hz := *s.settings.kept["hz"].Load() // kept: the node's timers have their own pace (settings_kept.go)
	b = infoLine(b, "hz", hz)
	b = infoLine(b, "configured_hz", hz)
	b = infoLine(b, "executable", executable())
	return infoLine(b, "config_file", s.cfg.ConfigFile)
}

// geetcacheVersion is the main module's version, "devel" in a build from a
// work tree.
func geetcacheVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

func executable() string {
	p, err := os.Executable()
	if err != nil {
		return ""
	}
	return p
}

func (s *Server) infoClients(b []byte) []byte {
	s.mu.Lock()
	n := len(s.clients)
	s.mu.Unlock()
	b = infoInt(b, "connected_clients", int64(n))
	b = infoLine(b, "cluster_connections", "0")
	b = infoInt(b, "maxclients", s.settings.maxClients.Load())
	blocked := s.blocker.blocked.Load() + s.blocker.forwarded.Load()
	b = infoInt(b, "blocked_clients", blocked+s.pause.held.Load()) // a paused client has no timeout, as in Redis
	b = infoInt(b, "tracking_clients", int64(s.tracking.Stats().Clients))
	return infoInt(b, "clients_in_timeout_table", blocked)
}

// infoMemory reports the memory figure maxmemory is judged by as
// used_memory (a deterministic estimate of the keyspace plus a fixed base,
// the same on every replica: maxmemory.go), the Go heap's live objects as
// allocator_allocated, and the process's RSS.
func (s *Server) infoMemory(b []byte) []byte {
	used := uint64(s.usedMemory())
	peak := s.metrics.notePeak(used)
	rss := processRSS()
	total := totalSystemMemory()
	b = infoInt(b, "used_memory", int64(used))
	b = infoLine(b, "used_memory_human", bytesToHuman(used))
	b = infoInt(b, "used_memory_rss", int64(rss))
	b = infoLine(b, "used_memory_rss_human", bytesToHuman(rss))
	b = infoInt(b, "used_memory_peak", int64(peak))
	b = infoLine(b, "used_memory_peak_human", bytesToHuman(peak))
	b = infoLine(b, "used_memory_peak_perc", percent(used, peak))
	if s.evict != nil {
		dataset := uint64(s.evict.DatasetMemory())
		b = infoInt(b, "used_memory_dataset", int64(dataset))
		b = infoLine(b, "used_memory_dataset_perc", percent(dataset, used))
	}
	b = infoInt(b, "allocator_allocated", int64(heapBytes()))
	b = infoInt(b, "total_system_memory", int64(total))
	b = infoLine(b, "total_system_memory_human", bytesToHuman(total))
	ev := s.eviction()
	b = infoInt(b, "maxmemory", ev.MaxMemory)
	b = infoLine(b, "maxmemory_human", bytesToHuman(uint64(ev.MaxMemory)))
	b = infoLine(b, "maxmemory_policy", ev.Policy.String())
	b = infoLine(b, "mem_fragmentation_ratio", ratio(rss, used))
	b = infoInt(b, "mem_not_counted_for_evict", 0) // used_memory counts no buffer to leave out
	b = s.infoScripts(b)
	b = infoLine(b, "mem_allocator", "go")
	// No value is freed by a thread of its own, as Redis's lazyfree does: a
	// deleted one is the collector's, which keeps no count of objects.
	b = infoInt(b, "lazyfree_pending_objects", 0)
	return infoInt(b, "lazyfreed_objects", 0)
}

// infoScripts adds the script cache's and the function libraries' counts
// and the bytes of the script bodies; the Lua VM's own memory is not
// tracked (gopher-lua's states live in the Go heap), so its fields are left
// out.
func (s *Server) infoScripts(b []byte) []byte {
	if s.cfg.Scripts != nil {
		n, size := s.cfg.Scripts.CachedScripts()
		b = infoInt(b, "used_memory_scripts_eval", int64(size))
		b = infoInt(b, "number_of_cached_scripts", int64(n))
	}
	if s.cfg.Functions != nil {
		libs, fns := s.cfg.Functions.FunctionCount()
		b = infoInt(b, "number_of_functions", int64(fns))
		b = infoInt(b, "number_of_libraries", int64(libs))
	}
	return b
}

// percent formats part/whole as Redis's "%.2f%%".
func percent(part, whole uint64) string {
	if whole == 0 {
		return "0.00%"
	}
	return strconv.FormatFloat(float64(part)*100/float64(whole), 'f', 2, 64) + "%"
}

func ratio(a, b uint64) string {
	if b == 0 {
		return "0.00"
	}
	return strconv.FormatFloat(float64(a)/float64(b), 'f', 2, 64)
}

// infoPersistence describes saves in RDB terms (see saveState). There is
// no AOF; loading is 1 while a restarted node has yet to apply what it had
// applied before (cluster.Node.Loading): READONLY reads get LOADING.
func (s *Server) infoPersistence(b []byte) []byte {
	st := &s.saves
	st.mu.Lock()
	running, bg, started, bgFailed, bgDone, bgSeconds, count := st.running, st.background, st.started, st.bgFailed, st.bgDone, st.bgSeconds, st.count
	st.mu.Unlock()
	b = infoLine(b, "loading", boolDigit(s.linear.Loading()))
	b = infoLine(b, "async_loading", "0")
	b = infoInt(b, "rdb_changes_since_last_save", s.dirty())
	b = infoLine(b, "rdb_bgsave_in_progress", boolDigit(running && bg))
	b = infoInt(b, "rdb_last_save_time", s.lastSaveTime().Unix())
	b = infoLine(b, "rdb_last_bgsave_status", okOrErr(!bgFailed))
	b = infoInt(b, "rdb_last_bgsave_time_sec", ifElse(bgDone, bgSeconds, -1))
	b = infoInt(b, "rdb_current_bgsave_time_sec", ifElse(running && bg, int64(time.Since(started).Seconds()), -1))
	b = infoInt(b, "rdb_saves", count)
	b = infoLine(b, "aof_enabled", "0")
	b = infoLine(b, "aof_rewrite_in_progress", "0")
	b = infoLine(b, "aof_rewrite_scheduled", "0")
	b = infoLine(b, "aof_last_rewrite_time_sec", "-1")
	b = infoLine(b, "aof_current_rewrite_time_sec", "-1")
	b = infoLine(b, "aof_last_bgrewrite_status", "ok")
	b = infoLine(b, "aof_rewrites", "0")
	return infoLine(b, "aof_last_write_status", "ok")
}

func boolDigit(v bool) string { return ifElse(v, "1", "0") }

func okOrErr(ok bool) string { return ifElse(ok, "ok", "err") }

func ifElse[T any](cond bool, a, b T) T {
	if cond {
		return a
	}
	return b
}

func (s *Server) infoStats(b []byte) []byte {
	ops, inKB, outKB := s.metrics.rates()
	b = infoInt(b, "total_connections_received", s.stats.connections.Load())
	b = infoInt(b, "total_commands_processed", s.stats.commands.Load())
	b = infoInt(b, "instantaneous_ops_per_sec", int64(ops))
	b = infoInt(b, "total_net_input_bytes", s.stats.netIn.Load())
	b = infoInt(b, "total_net_output_bytes", s.stats.netOut.Load())
	b = infoLine(b, "instantaneous_input_kbps", strconv.FormatFloat(inKB, 'f', 2, 64))
	b = infoLine(b, "instantaneous_output_kbps", strconv.FormatFloat(outKB, 'f', 2, 64))
	b = infoInt(b, "rejected_connections", s.stats.rejectedConns.Load())
	b = infoInt(b, "expired_keys", s.expiredKeys())
	b = infoInt(b, "evicted_keys", s.evictedKeys())
	b = infoLine(b, "evicted_clients", "0")
	hits, misses := s.keyspaceHits()
	b = infoInt(b, "keyspace_hits", hits)
	b = infoInt(b, "keyspace_misses", misses)
	b = infoInt(b, "pubsub_channels", int64(s.broker.Count(pubsub.Channel)))
	b = infoInt(b, "pubsub_patterns", int64(s.broker.Count(pubsub.Pattern)))
	b = infoInt(b, "pubsubshard_channels", int64(s.broker.Count(pubsub.Shard)))
	b = infoLine(b, "total_forks", "0")
	b = infoLine(b, "migrate_cached_sockets", "0") // no MIGRATE connection cache
	ts := s.tracking.Stats()
	b = infoInt(b, "tracking_total_keys", int64(ts.Keys))
	b = infoInt(b, "tracking_total_items", int64(ts.Items))
	b = infoInt(b, "tracking_total_prefixes", int64(ts.Prefixes))
	b = infoLine(b, "unexpected_error_replies", "0") // errors from a master or an AOF: none here
	return infoInt(b, "total_error_replies", s.errors.total.Load())
}

func (s *Server) infoCPU(b []byte) []byte {
	self, children := cpuTimes()
	b = infoLine(b, "used_cpu_sys", self.sys)
	b = infoLine(b, "used_cpu_user", self.user)
	b = infoLine(b, "used_cpu_sys_children", children.sys)
	return infoLine(b, "used_cpu_user_children", children.user)
}

// infoCluster says Redis Cluster is off: geetcache's cluster is Raft, to
// which clients talk as to one server.
// infoCluster says cluster_enabled:1: every node answers Redis Cluster's
// discovery commands (cluster_cmd.go), and redis-py's RedisCluster checks
// this line before it asks CLUSTER SLOTS.
func (s *Server) infoCluster(b []byte) []byte { return infoLine(b, "cluster_enabled", "1") }

// infoKeyspace prints one line per non-empty database, counting keys as
// Redis does, logically expired ones not yet removed included; average
// TTLs are not estimated, so avg_ttl is 0.
func (s *Server) infoKeyspace(b []byte) []byte {
	s.view.View(func(dbs *datatypes.DBs) {
		dbs.Each(func(i int, ks *datatypes.Keyspace) {
			if keys, volatile := ks.Len(), ks.VolatileLen(); keys > 0 || volatile > 0 {
				b = infoLine(b, "db"+strconv.Itoa(i), "keys="+strconv.Itoa(keys)+",expires="+strconv.Itoa(volatile)+",avg_ttl=0")
			}
		})
	})
	return b
}

// infoRaft prints the node's Raft facts, then one line per member in
// configuration order, shaped like Redis's slaveN lines:
// raft_member0:id=n1,raft_addr=...,client_addr=...,role=leader,last_contact_ms=0.
// The member lines are left out when the configuration cannot be read.
func (s *Server) infoRaft(b []byte) []byte {
	for _, kv := range s.admin.Stats() {
		b = infoLine(b, kv[0], kv[1])
	}
	ms, err := s.admin.Members()
	if err != nil {
		return b
	}
	b = infoInt(b, "raft_members", int64(len(ms)))
	for i, m := range ms {
		b = infoLine(b, "raft_member"+strconv.Itoa(i), memberInfo(m))
	}
	return b
}

func memberInfo(m cluster.Member) string {
	return "id=" + infoField(m.ID) + ",raft_addr=" + infoField(m.RaftAddr) + ",client_addr=" + infoField(m.ClientAddr) +
		",role=" + memberRole(m) + ",last_contact_ms=" + strconv.FormatInt(contactMillis(m), 10)
}

// infoField keeps a free-form value (a member ID is any string) from
// breaking an INFO line or its comma-separated fields: control characters,
// ',' and '=' become '_'.
func infoField(v string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r == ',' || r == '=' {
			return '_'
		}
		return r
	}, v)
}
