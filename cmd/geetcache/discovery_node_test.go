package main

import (
	"path/filepath"
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
	for _, tc := range []struct {
		mode string
		kill bool
	}{
		{"ioredis-sentinel", true}, {"ioredis-cluster", true},
		{"node-redis-sentinel", true}, {"node-redis-cluster", true},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			nodes := startCluster(t)
			waitForAddrs(t, nodes)
			r := runDiscoveryClient(t, nodes, tc.kill, []string{"NODE_PATH=" + modules}, append([]string{"node",
				filepath.Join("testdata", "node", "discovery.js"), tc.mode, "{js:" + tc.mode + "}:"}, clientAddrs(nodes)...)...)
			t.Logf("%s (leader killed: %v): %s", tc.mode, tc.kill, r)
		})
	}
}
