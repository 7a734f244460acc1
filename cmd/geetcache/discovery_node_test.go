package main

import (
	"path/filepath"
	"testing"
)

// TestNodeDiscovery: ioredis (sentinels:, Redis.Cluster) and node-redis
// (createSentinel, createCluster) find the leader, as TestRedisPyDiscovery
// (testdata/node/discovery.js). The ioredis clients follow the leader's
// death; node-redis 5.12.4's do not (its cluster client rediscovers only
// on MOVED/ASK, redis/node-redis#2806, and geetcache never sends them; its
// sentinel client's next command waited more than 40 s after the kill),
// so for them the test checks discovery, writes and reads with the leader
// left running.
func TestNodeDiscovery(t *testing.T) {
	modules := nodeModules(t)
	for _, tc := range []struct {
		mode string
		kill bool
	}{
		{"ioredis-sentinel", true}, {"ioredis-cluster", true},
		{"node-redis-sentinel", false}, {"node-redis-cluster", false},
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
