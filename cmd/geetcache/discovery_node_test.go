package main

import (
	"path/filepath"
	"testing"
)

// TestNodeDiscovery: ioredis (sentinels:, Redis.Cluster) and node-redis
// (createSentinel, createCluster) find the leader, as TestRedisPyDiscovery
// (testdata/node/discovery.js). All but node-redis 5.12.4's cluster client
// follow the leader's death; that one rediscovers only on MOVED/ASK
// (redis/node-redis#2806), which geetcache never sends, so for it the test
// checks discovery, writes and reads with the leader left running.
func TestNodeDiscovery(t *testing.T) {
	modules := nodeModules(t)
	for _, tc := range []struct {
		mode string
		kill bool
	}{
		{"ioredis-sentinel", true}, {"ioredis-cluster", true},
		{"node-redis-sentinel", true}, {"node-redis-cluster", false},
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
