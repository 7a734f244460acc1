package server

import (
	"fmt"
	"net"
	"regexp"
	"strings"
	"testing"

	"github.com/geetcache/geetcache/discovery"
)

// Field names of Redis 7.0.15's SENTINEL MASTER and REPLICAS replies, in
// its order (redis-server --sentinel monitoring a master with a replica).
var (
	sentinelMasterFields = []string{"name", "ip", "port", "runid", "flags", "link-pending-commands", "link-refcount",
		"last-ping-sent", "last-ok-ping-reply", "last-ping-reply", "down-after-milliseconds", "info-refresh",
		"role-reported", "role-reported-time", "config-epoch", "num-slaves", "num-other-sentinels", "quorum",
		"failover-timeout", "parallel-syncs"}
)

// flatStrings lists the bulk and simple strings of a RESP2 reply, in order.
func flatStrings(reply string) []string {
	var out []string
	lines := strings.Split(reply, "\r\n")
	for i := 0; i < len(lines); i++ {
		switch l := lines[i]; {
		case strings.HasPrefix(l, "$") && l != "$-1":
			out = append(out, lines[i+1])
			i++
		case strings.HasPrefix(l, "+"):
			out = append(out, l[1:])
		}
	}
	return out
}

// names is every other element of a flat key/value list.
func names(kv []string) []string {
	var out []string
	for i := 0; i < len(kv); i += 2 {
		out = append(out, kv[i])
	}
	return out
}

// TestSentinelReplies: a single node answers as the master of the
// Sentinel name, with Redis 7.0.15's shapes and error texts.
func TestSentinelReplies(t *testing.T) {
	ts := startTestServer(t)
	_, port, _ := net.SplitHostPort(ts.addr)
	id := discovery.RunID(ts.node.NodeID())
	r := dialRaw(t, ts.addr)
	cases := []struct{ args, want string }{
		{"SENTINEL GET-MASTER-ADDR-BY-NAME geetcache", fmt.Sprintf("*2\r\n$9\r\n127.0.0.1\r\n$%d\r\n%s\r\n", len(port), port)},
		{"SENTINEL get-master-addr-by-name nope", "*-1\r\n"},
		{"SENTINEL MASTER nope", "-ERR No such master with that name\r\n"},
		{"SENTINEL REPLICAS nope", "-ERR No such master with that name\r\n"},
		{"SENTINEL CKQUORUM nope", "-ERR No such master with that name\r\n"},
		{"SENTINEL REPLICAS geetcache", "*0\r\n"},
		{"SENTINEL SLAVES geetcache", "*0\r\n"},
		{"SENTINEL SENTINELS geetcache", "*0\r\n"},
		{"SENTINEL CKQUORUM geetcache", "+OK 1 usable Sentinels. Quorum and failover authorization can be reached\r\n"},
		{"SENTINEL MYID", "$40\r\n" + id + "\r\n"},
		{"SENTINEL IS-MASTER-DOWN-BY-ADDR 127.0.0.1 " + port + " 0 *", "*3\r\n:0\r\n$1\r\n*\r\n:0\r\n"},
		{"SENTINEL IS-MASTER-DOWN-BY-ADDR 127.0.0.1 x 0 *", "-ERR value is not an integer or out of range\r\n"},
		{"SENTINEL IS-MASTER-DOWN-BY-ADDR 127.0.0.1 1 y *", "-ERR value is not an integer or out of range\r\n"},
		{"SENTINEL foo", "-ERR unknown subcommand 'foo'. Try SENTINEL HELP.\r\n"},
		{"SENTINEL", "-ERR wrong number of arguments for 'sentinel' command\r\n"},
		{"SENTINEL MASTERS x", "-ERR wrong number of arguments for 'sentinel|masters' command\r\n"},
		{"SENTINEL MYID x", "-ERR wrong number of arguments for 'sentinel|myid' command\r\n"},
	}
	for _, tc := range cases {
		if got := r.do(strings.Fields(tc.args)...); got != tc.want {
			t.Errorf("%s = %q, want %q", tc.args, got, tc.want)
		}
	}
	master := flatStrings(r.do("SENTINEL", "MASTER", "geetcache"))
	if got := names(master); strings.Join(got, " ") != strings.Join(sentinelMasterFields, " ") {
		t.Errorf("SENTINEL MASTER fields %v, want %v", got, sentinelMasterFields)
	}
	if master[1] != "geetcache" || master[5] != port || master[7] != id || master[9] != "master" {
		t.Errorf("SENTINEL MASTER = %v", master)
	}
	if got := r.do("SENTINEL", "MASTERS"); !strings.HasPrefix(got, "*1\r\n*40\r\n$4\r\nname\r\n") {
		t.Errorf("SENTINEL MASTERS = %q", got)
	}
	r.do("HELLO", "3")
	if got := r.do("SENTINEL", "MASTERS"); !strings.HasPrefix(got, "*1\r\n%20\r\n$4\r\nname\r\n") {
		t.Errorf("RESP3 SENTINEL MASTERS = %q", got)
	}
	if got := r.do("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "nope"); got != "_\r\n" {
		t.Errorf("RESP3 SENTINEL GET-MASTER-ADDR-BY-NAME nope = %q", got)
	}
}

// TestClusterReplies: a single node answers as a one-shard cluster, with
// Redis 7.0.15's shapes and error texts.
func TestClusterReplies(t *testing.T) {
	ts := startTestServer(t)
	_, port, _ := net.SplitHostPort(ts.addr)
	id := discovery.RunID(ts.node.NodeID())
	r := dialRaw(t, ts.addr)
	r.do("SET", "foo", "1")
	r.do("SET", "{foo}x", "2")
	node := fmt.Sprintf("*4\r\n$9\r\n127.0.0.1\r\n:%s\r\n$40\r\n%s\r\n", port, id)
	cases := []struct{ args, want string }{
		{"CLUSTER SLOTS", "*1\r\n*3\r\n:0\r\n:16383\r\n" + node + "*0\r\n"},
		{"CLUSTER MYID", "$40\r\n" + id + "\r\n"},
		{"CLUSTER KEYSLOT foo", ":12182\r\n"},
		{"CLUSTER COUNTKEYSINSLOT 12182", ":2\r\n"},
		{"CLUSTER COUNTKEYSINSLOT 0", ":0\r\n"},
		{"CLUSTER COUNTKEYSINSLOT 16384", "-ERR Invalid slot\r\n"},
		{"CLUSTER COUNTKEYSINSLOT -1", "-ERR Invalid slot\r\n"},
		{"CLUSTER COUNTKEYSINSLOT abc", "-ERR value is not an integer or out of range\r\n"},
		{"CLUSTER GETKEYSINSLOT 12182 1", "*1\r\n"},
		{"CLUSTER GETKEYSINSLOT 12182 0", "*0\r\n"},
		{"CLUSTER GETKEYSINSLOT 12182 -1", "-ERR Invalid slot or number of keys\r\n"},
		{"CLUSTER GETKEYSINSLOT 16384 1", "-ERR Invalid slot or number of keys\r\n"},
		{"CLUSTER GETKEYSINSLOT 1 x", "-ERR value is not an integer or out of range\r\n"},
		{"CLUSTER KEYSLOT", "-ERR wrong number of arguments for 'cluster|keyslot' command\r\n"},
		{"CLUSTER foo", "-ERR unknown subcommand 'foo'. Try CLUSTER HELP.\r\n"},
		{"CLUSTER ADDSLOTS 1", "-ERR unknown subcommand 'ADDSLOTS'. Try CLUSTER HELP.\r\n"},
		{"READONLY", "+OK\r\n"},
		{"READWRITE", "+OK\r\n"},
	}
	for _, tc := range cases {
		if got := r.do(strings.Fields(tc.args)...); !strings.HasPrefix(got, tc.want) || (!strings.HasSuffix(tc.args, " 1") && got != tc.want) {
			t.Errorf("%s = %q, want %q", tc.args, got, tc.want)
		}
	}
	if got := flatStrings(r.do("CLUSTER", "GETKEYSINSLOT", "12182", "10")); len(got) != 2 {
		t.Errorf("CLUSTER GETKEYSINSLOT 12182 10 = %q, want foo and {foo}x", got)
	}
	shards := r.do("CLUSTER", "SHARDS")
	if !strings.HasPrefix(shards, "*1\r\n*4\r\n$5\r\nslots\r\n*2\r\n:0\r\n:16383\r\n$5\r\nnodes\r\n*1\r\n*14\r\n") {
		t.Errorf("CLUSTER SHARDS = %q", shards)
	}
	// the strings of Redis 7.0.15's reply for a master (its integers left out)
	want := "slots nodes id " + id + " port ip 127.0.0.1 endpoint 127.0.0.1 role master replication-offset health online"
	if got := strings.Join(flatStrings(shards), " "); got != want {
		t.Errorf("CLUSTER SHARDS strings %q, want %q", got, want)
	}
	nodes := regexp.MustCompile(`^\$\d+\r\n` + id + ` 127\.0\.0\.1:` + port + `@\d+ myself,master - 0 0 \d+ connected 0-16383\n\r\n$`)
	if got := r.do("CLUSTER", "NODES"); !nodes.MatchString(got) {
		t.Errorf("CLUSTER NODES = %q", got)
	}
	if got := r.do("CLUSTER", "INFO"); !strings.Contains(got, "\r\ncluster_state:ok\r\ncluster_slots_assigned:16384\r\ncluster_slots_ok:16384\r\n") ||
		!strings.Contains(got, "cluster_known_nodes:1\r\ncluster_size:1\r\n") {
		t.Errorf("CLUSTER INFO = %q", got)
	}
	r.do("HELLO", "3")
	if got := r.do("CLUSTER", "SLOTS"); got != "*1\r\n*3\r\n:0\r\n:16383\r\n"+node+"%0\r\n" {
		t.Errorf("RESP3 CLUSTER SLOTS = %q", got)
	}
	if got := r.do("CLUSTER", "INFO"); !strings.HasPrefix(got, "=") || !strings.Contains(got, "txt:cluster_state:ok\r\n") {
		t.Errorf("RESP3 CLUSTER INFO = %q", got)
	}
}
