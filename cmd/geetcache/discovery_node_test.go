package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestNodeDiscovery: ioredis (sentinels:, Redis.Cluster) and node-redis
// (createSentinel, createCluster) find the leader, as TestRedisPyDiscovery
// (testdata/node/discovery.js), and follow the leader's SIGKILL. node-redis
// 5.12.4's cluster client does so only with the application's help: it
// re-reads the topology only on a MOVED/ASK reply and, once the leader is
// dead, has no connection to a live node that could send one
// (redis/node-redis#2806; docs/compatibility.md), so the script connects a
// new cluster client on 'node-error' from its master, as a user must.
func TestNodeDiscovery(t *testing.T) {
	modules := nodeModules(t)
	for _, mode := range []string{"ioredis-sentinel", "ioredis-cluster", "node-redis-sentinel", "node-redis-cluster"} {
		t.Run(mode, func(t *testing.T) {
			nodes := startCluster(t)
			waitForAddrs(t, nodes)
			r := runFailoverClient(t, nodes, []string{"NODE_PATH=" + modules}, append([]string{"node",
				filepath.Join("testdata", "node", "discovery.js"), mode, "{js:" + mode + "}:"}, clientAddrs(nodes)...)...)
			t.Logf("%s (leader killed): %s", mode, r)
		})
	}
}

// TestNodeRedisClusterAloneStaysOnDeadLeader pins what node-redis 5.12.4's
// createCluster does by itself when the leader is killed, the reason for
// the handler in TestNodeDiscovery/node-redis-cluster: it is not served
// again within the failover budget, every command failing on the dead
// leader's client ("The client is offline" while it reconnects; "The
// client is closed" once a reconnectStrategy gives up), since nothing but a MOVED/ASK reply makes it re-read the
// topology (docs/compatibility.md). If a node-redis release follows by
// itself, this fails: update the docs and drop the handler.
func TestNodeRedisClusterAloneStaysOnDeadLeader(t *testing.T) {
	modules := nodeModules(t)
	nodes := startCluster(t)
	waitForAddrs(t, nodes)
	result, _ := runClientProcess(t, nodes, []string{"NODE_PATH=" + modules}, append([]string{"node",
		filepath.Join("testdata", "node", "discovery.js"), "node-redis-cluster-bare", "{js:bare}:"}, clientAddrs(nodes)...)...)
	t.Logf("node-redis createCluster alone, leader killed: %s", result)
	if !strings.HasPrefix(result, "stuck ") || !strings.Contains(result, "The client is") {
		t.Errorf("node-redis createCluster alone: %q; want it stuck on the dead leader (if it now follows, update docs/compatibility.md)", result)
	}
}
