package main

import (
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/geetcache/geetcache/cluster"
)

// k8sPeers is the --peers value of the Kubernetes manifest's three pods.
const k8sPeers = "geetcache-0=geetcache-0.geetcache.ns.svc.cluster.local:16379," +
	"geetcache-1=geetcache-1.geetcache.ns.svc.cluster.local:16379," +
	"geetcache-2=geetcache-2.geetcache.ns.svc.cluster.local:16379"

// TestClusterConfig: the flags and environment of each way to run a node
// give the cluster the right addresses. Host names (not only IPs) are kept
// as given for -raft-addr, -peers and -advertise, and a node that joins
// records its client address like a -peers node does.
func TestClusterConfig(t *testing.T) {
	cases := []struct {
		name       string
		env        map[string]string
		args       []string
		raftAddr   string
		clientAddr string
		bootstrap  bool
		peers      int
	}{
		{"single node", nil, nil, "127.0.0.1:16379", "127.0.0.1:6379", true, 0},
		{"docker single node", nil, []string{"--bind", "0.0.0.0", "--dir", "/data"}, "127.0.0.1:16379", "", true, 0},
		{"kubernetes pod from the environment", map[string]string{
			"GEETCACHE_NODE_ID":   "geetcache-1",
			"GEETCACHE_RAFT_ADDR": "geetcache-1.geetcache.ns.svc.cluster.local:16379",
			"GEETCACHE_ADVERTISE": "geetcache-1.geetcache.ns.svc.cluster.local:6379",
			"GEETCACHE_PEERS":     k8sPeers,
			"GEETCACHE_BOOTSTRAP": "true",
		}, []string{"--bind", "0.0.0.0", "--dir", "/data"},
			"geetcache-1.geetcache.ns.svc.cluster.local:16379", "geetcache-1.geetcache.ns.svc.cluster.local:6379", true, 3},
		{"kubernetes pod after formation", map[string]string{
			"GEETCACHE_NODE_ID":   "geetcache-1",
			"GEETCACHE_RAFT_ADDR": "geetcache-1.geetcache.ns.svc.cluster.local:16379",
			"GEETCACHE_ADVERTISE": "geetcache-1.geetcache.ns.svc.cluster.local:6379",
			"GEETCACHE_JOIN":      "geetcache-client:6379",
		}, []string{"--bind", "0.0.0.0", "--dir", "/data"},
			"geetcache-1.geetcache.ns.svc.cluster.local:16379", "geetcache-1.geetcache.ns.svc.cluster.local:6379", false, 0},
		{"peers default advertise", nil, []string{"--port", "7001", "--node-id", "n1", "--raft-addr", "localhost:17001",
			"--peers", "n1=localhost:17001,n2=localhost:17002,n3=localhost:17003"}, "localhost:17001", "127.0.0.1:7001", false, 3},
		{"join default advertise", nil, []string{"--port", "7004", "--bind", "10.0.0.4", "--node-id", "n4",
			"--raft-addr", "n4.example:17004", "--join", "n1.example:7001"}, "n4.example:17004", "10.0.0.4:7004", false, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := parseConfig(tc.args, func(k string) string { return tc.env[k] }, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			cc := cfg.cluster(nil)
			if cc.RaftAddr != tc.raftAddr || cc.ClientAddr != tc.clientAddr || cc.Bootstrap != tc.bootstrap || len(cc.Peers) != tc.peers {
				t.Fatalf("raft-addr %q client %q bootstrap %v peers %d; want %q %q %v %d",
					cc.RaftAddr, cc.ClientAddr, cc.Bootstrap, len(cc.Peers), tc.raftAddr, tc.clientAddr, tc.bootstrap, tc.peers)
			}
			if tc.peers > 0 && !slices.Contains(cc.Peers, cluster.Peer{ID: cc.NodeID, RaftAddr: tc.raftAddr}) {
				t.Fatalf("peers %v do not hold this node %s=%s", cc.Peers, cc.NodeID, tc.raftAddr)
			}
		})
	}
}

// TestClusterConfigErrors: a cluster member must have an address the
// others can reach it at.
func TestClusterConfigErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"join on a wildcard bind", []string{"--bind", "0.0.0.0", "--join", "n1.example:7001"}, "-advertise must be given with -peers or -join"},
		{"join on a random port", []string{"--port", "0", "--raft-addr", "127.0.0.1:17004", "--join", "n1.example:7001"}, "-advertise must be given"},
		{"peers on a wildcard bind", []string{"--bind", "0.0.0.0", "--node-id", "n1", "--raft-addr", "n1.example:17001",
			"--peers", "n1=n1.example:17001"}, "-advertise must be given with -peers or -join"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseConfig(tc.args, func(string) string { return "" }, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestTestClockOffset: GEETCACHE_TEST_CLOCK_OFFSET (tests only) reaches
// the node's config; a bad value is refused; it is no flag.
func TestTestClockOffset(t *testing.T) {
	cases := []struct {
		name, value string
		want        time.Duration
		err         string
	}{
		{"unset", "", 0, ""},
		{"ahead", "4s", 4 * time.Second, ""},
		{"behind", "-1500ms", -1500 * time.Millisecond, ""},
		{"not a duration", "4", 0, `invalid value "4" for GEETCACHE_TEST_CLOCK_OFFSET`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{testClockOffsetEnv: tc.value}
			c, err := parseConfig(nil, func(k string) string { return env[k] }, io.Discard)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil || c.cluster(nil).TestClockOffset != tc.want {
				t.Fatalf("offset = %v, %v; want %v", c.cluster(nil).TestClockOffset, err, tc.want)
			}
		})
	}
	if _, err := parseConfig([]string{"--test-clock-offset", "1s"}, func(string) string { return "" }, io.Discard); err == nil {
		t.Fatal("--test-clock-offset is accepted as a flag")
	}
}

// TestMasterNameFlag: --master-name (and GEETCACHE_MASTER_NAME) name the
// Sentinel master; an empty name or one with spaces, which
// +switch-master's space-separated message could not carry, is refused.
func TestMasterNameFlag(t *testing.T) {
	cases := []struct {
		name, env string
		args      []string
		want, err string
	}{
		{"default", "", nil, "geetcache", ""},
		{"flag", "", []string{"--master-name", "mymaster"}, "mymaster", ""},
		{"environment", "fromenv", nil, "fromenv", ""},
		{"flag wins", "fromenv", []string{"--master-name", "flag"}, "flag", ""},
		{"empty", "", []string{"--master-name", ""}, "", `invalid value "" for -master-name`},
		{"space", "", []string{"--master-name", "my master"}, "", `invalid value "my master" for -master-name`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := func(k string) string {
				if k == "GEETCACHE_MASTER_NAME" {
					return tc.env
				}
				return ""
			}
			cfg, err := parseConfig(tc.args, env, io.Discard)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil || cfg.masterName != tc.want {
				t.Fatalf("master name %q, %v; want %q", cfg.masterName, err, tc.want)
			}
		})
	}
}
