package main

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestMaxMemoryJudgedByLeader: maxmemory is a replicated setting, and
// the leader judges writes (noeviction): CONFIG SET on a follower sets it
// for the cluster (every node's CONFIG GET shows it), and the leader
// refuses a write sent through a follower, in a transaction too, and an
// FCALL of a function without allow-oom.
func TestMaxMemoryJudgedByLeader(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	f := others(nodes, leader)[0]
	fc := f.Client(noRetries)
	waitFor(t, 10*time.Second, func() error { return fc.Set(ctx, "k", "v", 0).Err() })
	if err := fc.FunctionLoad(ctx, fnLib("lib1", fnWriteLib)).Err(); err != nil {
		t.Fatal(err)
	}
	if err := fc.Set(ctx, "k", "v2", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if err := fc.ConfigSet(ctx, "maxmemory", "1").Err(); err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes {
		waitFor(t, 5*time.Second, func() error {
			v, err := n.Client(noRetries).ConfigGet(ctx, "maxmemory").Result()
			if err != nil || v["maxmemory"] != "1" {
				return fmt.Errorf("node %s: CONFIG GET maxmemory %v %v", n.addr(), v, err)
			}
			return nil
		})
	}
	const oom = "OOM command not allowed when used memory > 'maxmemory'."
	if err := fc.Set(ctx, "k", "v3", 0).Err(); err == nil || err.Error() != oom {
		t.Fatalf("SET through a follower: %v, want %q", err, oom)
	}
	if err := fc.FCall(ctx, "fset", []string{"k"}, "v4").Err(); err == nil || err.Error() != oom {
		t.Fatalf("FCALL through a follower: %v, want %q", err, oom)
	}
	if v, err := fc.FCallRO(ctx, "fget", []string{"k"}).Text(); err != nil || v != "v2" {
		t.Fatalf("FCALL_RO: %q %v", v, err)
	}
	pipe := fc.TxPipeline()
	pipe.Set(ctx, "k", "v5", 0)
	if _, err := pipe.Exec(ctx); err == nil || !strings.Contains(err.Error(), "EXECABORT") && !strings.Contains(err.Error(), "OOM") {
		t.Fatalf("MULTI SET through a follower: %v, want the OOM refusal", err)
	}
	fc.ConfigSet(ctx, "maxmemory", "0")
	if err := fc.Set(ctx, "k", "v6", 0).Err(); err != nil {
		t.Fatal(err)
	}
}
