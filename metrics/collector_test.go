package metrics

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

type infoText string

func (t infoText) InfoEverything() []byte { return []byte(t) }

// TestCollector: INFO lines become the series docs/operations.md lists.
func TestCollector(t *testing.T) {
	info := "# Server\r\nredis_version:7.0.15\r\nprocess_id:42\r\nuptime_in_seconds:7\r\n\r\n" +
		"# Stats\r\ntotal_commands_processed:12\r\nrejected_connections:1\r\nmem_fragmentation_ratio:1.5\r\n" +
		"# Commandstats\r\ncmdstat_config|get:calls=3,usec=1500,usec_per_call=500.00,rejected_calls=1,failed_calls=0\r\n" +
		"# Errorstats\r\nerrorstat_WRONGTYPE:count=2\r\n" +
		"# Latencystats\r\nlatency_percentiles_usec_get:p50=5.023,p99.9=10\r\n" +
		"# Keyspace\r\ndb0:keys=3,expires=1,avg_ttl=2500\r\n" +
		"# Raft\r\nraft_state:Follower\r\nraft_last_contact:never\r\nraft_term:4\r\n" +
		"raft_member0:id=n1,raft_addr=a:1,client_addr=a:2,role=leader,last_contact_ms=1500\r\n"
	want := `# HELP geetcache_command_latency_seconds Latency percentiles of each command (INFO latencystats).
# TYPE geetcache_command_latency_seconds gauge
geetcache_command_latency_seconds{cmd="get",quantile="0.5"} 5.023e-06
geetcache_command_latency_seconds{cmd="get",quantile="0.999"} 1e-05
# HELP geetcache_commands_duration_seconds_total Time spent in each command (INFO commandstats).
# TYPE geetcache_commands_duration_seconds_total counter
geetcache_commands_duration_seconds_total{cmd="config|get"} 0.0015
# HELP geetcache_commands_failed_calls_total Calls of each command that failed while running (INFO commandstats).
# TYPE geetcache_commands_failed_calls_total counter
geetcache_commands_failed_calls_total{cmd="config|get"} 0
# HELP geetcache_commands_processed_total INFO field total_commands_processed.
# TYPE geetcache_commands_processed_total counter
geetcache_commands_processed_total 12
# HELP geetcache_commands_rejected_calls_total Calls of each command refused before running (INFO commandstats).
# TYPE geetcache_commands_rejected_calls_total counter
geetcache_commands_rejected_calls_total{cmd="config|get"} 1
# HELP geetcache_commands_total Calls of each command (INFO commandstats).
# TYPE geetcache_commands_total counter
geetcache_commands_total{cmd="config|get"} 3
# HELP geetcache_db_avg_ttl_seconds Average time to live of the keys that have one (INFO keyspace).
# TYPE geetcache_db_avg_ttl_seconds gauge
geetcache_db_avg_ttl_seconds{db="db0"} 2.5
# HELP geetcache_db_keys Keys in each database (INFO keyspace).
# TYPE geetcache_db_keys gauge
geetcache_db_keys{db="db0"} 3
# HELP geetcache_db_keys_expiring Keys with a time to live in each database (INFO keyspace).
# TYPE geetcache_db_keys_expiring gauge
geetcache_db_keys_expiring{db="db0"} 1
# HELP geetcache_errors_total Error replies by error code (INFO errorstats).
# TYPE geetcache_errors_total counter
geetcache_errors_total{err="WRONGTYPE"} 2
# HELP geetcache_mem_fragmentation_ratio INFO field mem_fragmentation_ratio.
# TYPE geetcache_mem_fragmentation_ratio gauge
geetcache_mem_fragmentation_ratio 1.5
# HELP geetcache_raft_leader 1 while this node is the Raft leader.
# TYPE geetcache_raft_leader gauge
geetcache_raft_leader 0
# HELP geetcache_raft_member 1 for each member of the Raft configuration, with its role.
# TYPE geetcache_raft_member gauge
geetcache_raft_member{id="n1",role="leader"} 1
# HELP geetcache_raft_member_last_contact_seconds Time since the leader last heard from each member (on the leader).
# TYPE geetcache_raft_member_last_contact_seconds gauge
geetcache_raft_member_last_contact_seconds{id="n1"} 1.5
# HELP geetcache_raft_state 1 for this node's Raft state (Leader, Follower, Candidate, Shutdown).
# TYPE geetcache_raft_state gauge
geetcache_raft_state{state="Follower"} 1
# HELP geetcache_raft_term INFO field raft_term.
# TYPE geetcache_raft_term gauge
geetcache_raft_term 4
# HELP geetcache_rejected_connections_total INFO field rejected_connections.
# TYPE geetcache_rejected_connections_total counter
geetcache_rejected_connections_total 1
# HELP geetcache_uptime_in_seconds INFO field uptime_in_seconds.
# TYPE geetcache_uptime_in_seconds gauge
geetcache_uptime_in_seconds 7
`
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(NewCollector(infoText(info)))
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want)); err != nil {
		t.Fatal(err)
	}
}
