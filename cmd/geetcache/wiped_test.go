package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestWipedNodeRejoins: a follower whose data directory is wiped restarts
// with the same flags (--peers --bootstrap). It must not bootstrap a second
// cluster: it says so, and the leader catches it up with every key.
func TestWipedNodeRejoins(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	writeKeys(t, leader, "before", 200)
	wiped := others(nodes, leader)[0]
	wiped.Kill9()
	entries, err := os.ReadDir(wiped.dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(wiped.dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	writeKeys(t, leader, "during", 50)
	wiped.forgetLog()
	wiped.Restart()
	const line = "joining it instead of bootstrapping a second one"
	waitFor(t, 10*time.Second, func() error {
		if !wiped.logged(line) {
			return fmt.Errorf("the wiped node never logged %q", line)
		}
		return nil
	})
	waitSameDigest(t, nodes)
	checkKeys(t, wiped, "before", 200)
	checkKeys(t, wiped, "during", 50)
}
