// Package metrics serves a node's figures in Prometheus's text format:
// everything INFO reports (server, clients, memory, stats, command and
// error statistics, latency percentiles, keyspace, Raft), read from one
// INFO EVERYTHING per scrape, plus the Go runtime's and the process's own
// (client_golang's collectors). docs/operations.md lists the series.
package metrics

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
)

// namespace prefixes every series of this package.
const namespace = "geetcache"

// InfoSource gives the text of INFO EVERYTHING (server.Server).
type InfoSource interface {
	InfoEverything() []byte
}

// Collector turns one INFO per scrape into metrics. It is an unchecked
// collector: the series it reports depend on what INFO says (a command
// appears once called).
type Collector struct {
	src InfoSource
}

var _ prometheus.Collector = (*Collector)(nil)

// NewCollector returns a collector over src.
func NewCollector(src InfoSource) *Collector { return &Collector{src: src} }

// Describe sends nothing: the collector is unchecked.
func (c *Collector) Describe(chan<- *prometheus.Desc) {}

// Collect reads INFO once and sends a metric for each figure in it.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	sc := bufio.NewScanner(bytes.NewReader(c.src.InfoEverything()))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		key, value, ok := strings.Cut(strings.TrimRight(sc.Text(), "\r"), ":")
		if !ok || key == "" || key[0] == '#' {
			continue
		}
		collectLine(ch, key, value)
	}
}

// collectLine sends the metrics of one INFO line.
func collectLine(ch chan<- prometheus.Metric, key, value string) {
	switch {
	case strings.HasPrefix(key, "cmdstat_"):
		commandStats(ch, strings.TrimPrefix(key, "cmdstat_"), fields(value))
	case strings.HasPrefix(key, "errorstat_"):
		counter(ch, "errors_total", "Error replies by error code (INFO errorstats).", fields(value)["count"],
			"err", strings.TrimPrefix(key, "errorstat_"))
	case strings.HasPrefix(key, "latency_percentiles_usec_"):
		latency(ch, strings.TrimPrefix(key, "latency_percentiles_usec_"), fields(value))
	case strings.HasPrefix(key, "db") && strings.Contains(value, "keys="):
		keyspace(ch, key, fields(value))
	case strings.HasPrefix(key, "raft_member") && strings.Contains(value, "id="):
		raftMember(ch, fields(value))
	case key == "raft_state":
		gauge(ch, "raft_state", "1 for this node's Raft state (Leader, Follower, Candidate, Shutdown).", "1", "state", value)
		gauge(ch, "raft_leader", "1 while this node is the Raft leader.", boolValue(value == "Leader"))
	case key == "raft_last_contact":
		if ms, err := strconv.ParseFloat(value, 64); err == nil {
			gauge(ch, "raft_last_contact_seconds", "Time since this node last heard from a leader (0 on the leader).",
				strconv.FormatFloat(ms/1000, 'f', -1, 64))
		}
	default:
		plain(ch, key, value)
	}
}

// plain sends a numeric INFO field as geetcache_<key>: a counter for the
// running totals, a gauge for the rest. Text fields are left out.
func plain(ch chan<- prometheus.Metric, key, value string) {
	if _, err := strconv.ParseFloat(value, 64); err != nil || skipped[key] {
		return
	}
	help := "INFO field " + key + "."
	if counters[key] {
		counter(ch, strings.TrimPrefix(key, "total_")+"_total", help, value)
		return
	}
	gauge(ch, key, help, value)
}

// skipped are numeric INFO fields that are no measurement.
var skipped = map[string]bool{"process_id": true, "tcp_port": true, "server_time_usec": true, "arch_bits": true,
	"configured_hz": true, "hz": true, "uptime_in_days": true}

// counters are the INFO fields that only grow (until CONFIG RESETSTAT).
var counters = map[string]bool{
	"total_connections_received": true, "total_commands_processed": true, "total_net_input_bytes": true,
	"total_net_output_bytes": true, "rejected_connections": true, "expired_keys": true, "evicted_keys": true,
	"evicted_clients": true, "keyspace_hits": true, "keyspace_misses": true, "total_error_replies": true,
	"unexpected_error_replies": true, "total_forks": true, "rdb_saves": true, "aof_rewrites": true,
}

func commandStats(ch chan<- prometheus.Metric, cmd string, f map[string]string) {
	counter(ch, "commands_total", "Calls of each command (INFO commandstats).", f["calls"], "cmd", cmd)
	if usec, err := strconv.ParseFloat(f["usec"], 64); err == nil {
		counter(ch, "commands_duration_seconds_total", "Time spent in each command (INFO commandstats).",
			strconv.FormatFloat(usec/1e6, 'f', -1, 64), "cmd", cmd)
	}
	counter(ch, "commands_rejected_calls_total", "Calls of each command refused before running (INFO commandstats).",
		f["rejected_calls"], "cmd", cmd)
	counter(ch, "commands_failed_calls_total", "Calls of each command that failed while running (INFO commandstats).",
		f["failed_calls"], "cmd", cmd)
}

// latency sends each command's latency percentiles (INFO latencystats,
// p50=... in microseconds) as quantiles in seconds.
func latency(ch chan<- prometheus.Metric, cmd string, f map[string]string) {
	for p, v := range f {
		us, err := strconv.ParseFloat(v, 64)
		q, qerr := strconv.ParseFloat(strings.TrimPrefix(p, "p"), 64)
		if err != nil || qerr != nil {
			continue
		}
		gauge(ch, "command_latency_seconds", "Latency percentiles of each command (INFO latencystats).",
			strconv.FormatFloat(us/1e6, 'f', -1, 64), "cmd", cmd, "quantile", strconv.FormatFloat(q/100, 'g', 10, 64))
	}
}

func keyspace(ch chan<- prometheus.Metric, db string, f map[string]string) {
	gauge(ch, "db_keys", "Keys in each database (INFO keyspace).", f["keys"], "db", db)
	gauge(ch, "db_keys_expiring", "Keys with a time to live in each database (INFO keyspace).", f["expires"], "db", db)
	if ms, err := strconv.ParseFloat(f["avg_ttl"], 64); err == nil {
		gauge(ch, "db_avg_ttl_seconds", "Average time to live of the keys that have one (INFO keyspace).",
			strconv.FormatFloat(ms/1000, 'f', -1, 64), "db", db)
	}
}

// raftMember sends a member's last contact with the leader, as the
// leader sees it (INFO raft's raft_memberN lines).
func raftMember(ch chan<- prometheus.Metric, f map[string]string) {
	gauge(ch, "raft_member", "1 for each member of the Raft configuration, with its role.", "1",
		"id", f["id"], "role", f["role"])
	if ms, err := strconv.ParseFloat(f["last_contact_ms"], 64); err == nil {
		gauge(ch, "raft_member_last_contact_seconds", "Time since the leader last heard from each member (on the leader).",
			strconv.FormatFloat(ms/1000, 'f', -1, 64), "id", f["id"])
	}
}

// fields splits "a=1,b=2".
func fields(v string) map[string]string {
	out := map[string]string{}
	for _, kv := range strings.Split(v, ",") {
		if k, val, ok := strings.Cut(kv, "="); ok {
			out[k] = val
		}
	}
	return out
}

func boolValue(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func gauge(ch chan<- prometheus.Metric, name, help, value string, labels ...string) {
	send(ch, prometheus.GaugeValue, name, help, value, labels)
}

func counter(ch chan<- prometheus.Metric, name, help, value string, labels ...string) {
	send(ch, prometheus.CounterValue, name, help, value, labels)
}

// send makes one constant metric; labels are name, value pairs. A value
// that is not a number is left out.
func send(ch chan<- prometheus.Metric, t prometheus.ValueType, name, help, value string, labels []string) {
	v, err := strconv.ParseFloat(value, 64)
	if err != nil {
		return
	}
	var names, values []string
	for i := 0; i+1 < len(labels); i += 2 {
		names, values = append(names, labels[i]), append(values, labels[i+1])
	}
	desc := prometheus.NewDesc(prometheus.BuildFQName(namespace, "", name), help, names, nil)
	m, err := prometheus.NewConstMetric(desc, t, v, values...)
	if err == nil {
		ch <- m
	}
}
