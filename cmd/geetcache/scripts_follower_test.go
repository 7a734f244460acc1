package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestFollowerRunsTheCodeItLoaded: a connection to a follower that
// replaces a library (the load goes to the leader) and calls its function
// at once runs the new code, even while the follower has not applied the
// load yet: the old code is never tried on the follower's stale state.
// Before, the follower tried the call on its local state first, and ran
// the old function (here an endless loop, until FUNCTION KILL), as
// Redis's unit/scripting did through a follower at "Timedout script link
// is still usable after Lua returns".
func TestFollowerRunsTheCodeItLoaded(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	f := others(nodes, leader)[0]
	fc := f.Client(noRetries)
	ro := redis.NewClient(&redis.Options{Addr: f.addr(), MaxRetries: -1, PoolSize: 1,
		OnConnect: func(ctx2 context.Context, cn *redis.Conn) error { return cn.ReadOnly(ctx2).Err() }})
	defer ro.Close()
	const endless = "#!lua name=flip\nredis.register_function('flip', function() while true do redis.call('ping') end end)"
	for i := range 5 {
		if err := fc.FunctionLoadReplace(ctx, endless).Err(); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 10*time.Second, func() error { // the follower holds the endless code
			libs, err := ro.Do(ctx, "FUNCTION", "LIST", "WITHCODE").Result()
			if err != nil || !strings.Contains(fmt.Sprint(libs), "while true") {
				return fmt.Errorf("the follower's libraries: %v %v", libs, err)
			}
			return nil
		})
		want := fmt.Sprintf("done %d", i)
		quick := fmt.Sprintf("#!lua name=flip\nredis.register_function('flip', function() for i = 1, 1000 do redis.call('ping') end return '%s' end)", want)
		if err := fc.FunctionLoadReplace(ctx, quick).Err(); err != nil {
			t.Fatal(err)
		}
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		got, err := fc.FCall(cctx, "flip", nil).Text()
		cancel()
		if err != nil || got != want {
			f.Client(noRetries).Do(ctx, "FUNCTION", "KILL")
			t.Fatalf("round %d: FCALL right after FUNCTION LOAD REPLACE through the follower: %q %v, want %q", i, got, err, want)
		}
	}
}

// TestFollowerCountsOwnLoads: INFO and FUNCTION STATS on a follower count
// the scripts and libraries the same connection just loaded through it
// (the loads went to the leader): they first apply the leader's read
// index when the connection sent something since. Before, the last loads
// were often not applied yet there, as in Redis's unit/scripting and
// unit/functions through a follower ("SCRIPTING FLUSH ASYNC":
// number_of_cached_scripts below 100; "FUNCTION - function stats").
func TestFollowerCountsOwnLoads(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	fc := others(nodes, leader)[0].Client(noRetries, func(o *redis.Options) { o.PoolSize = 1 })
	waitFor(t, 10*time.Second, func() error { return fc.ScriptFlush(ctx).Err() })
	for round := range 5 {
		n := 20 * (round + 1)
		for j := n - 20; j < n; j++ {
			if err := fc.ScriptLoad(ctx, fmt.Sprintf("return %d", j)).Err(); err != nil {
				t.Fatal(err)
			}
		}
		info, err := fc.Info(ctx, "memory").Result()
		if want := fmt.Sprintf("number_of_cached_scripts:%d\r\n", n); err != nil || !strings.Contains(info, want) {
			t.Fatalf("INFO memory through the follower after %d SCRIPT LOADs: no %q in %q (%v)", n, want, info, err)
		}
		lib := fmt.Sprintf("#!lua name=l%d\nredis.register_function('f%d', function() return 1 end)", round, round)
		if err := fc.FunctionLoad(ctx, lib).Err(); err != nil {
			t.Fatal(err)
		}
		stats, err := fc.Do(ctx, "FUNCTION", "STATS").Result()
		if want := fmt.Sprintf("functions_count:%d libraries_count:%d", round+1, round+1); err != nil || !strings.Contains(fmt.Sprint(stats), want) {
			t.Fatalf("FUNCTION STATS through the follower after %d FUNCTION LOADs: %v (%v), want %s", round+1, stats, err, want)
		}
	}
}

// TestFollowerScriptOOM: with maxmemory reached (set through a follower),
// scripts sent to a follower are judged as on one node (redis-server
// 7.0.15's replies): a shebang script without allow-oom is refused at
// start even when it writes nothing (before, the follower tried it as a
// read and answered 1), as is an FCALL of a function without allow-oom;
// a script without a shebang fails at its first denyoom write; no-writes
// and allow-oom scripts run. The CONFIG SET sent to the follower is seen
// by the next command there (the follower applies it before answering).
func TestFollowerScriptOOM(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	fc := others(nodes, leader)[0].Client(noRetries)
	waitFor(t, 10*time.Second, func() error { return fc.Set(ctx, "x", "123", 0).Err() })
	if err := fc.FunctionLoad(ctx, "#!lua name=oomlib\nredis.register_function('nothing', function() return 1 end)").Err(); err != nil {
		t.Fatal(err)
	}
	if err := fc.ConfigSet(ctx, "maxmemory", "1").Err(); err != nil {
		t.Fatal(err)
	}
	defer fc.ConfigSet(ctx, "maxmemory", "0")
	const oom = "OOM command not allowed when used memory > 'maxmemory'."
	for _, tc := range []struct {
		args []any
		want string
	}{
		{[]any{"eval", "#!lua flags=\nreturn 1", "0"}, oom},
		{[]any{"fcall", "nothing", "0"}, oom},
		{[]any{"eval", "redis.call('set','x',1) return 1", "1", "x"}, oom + " script: e50389d7724274719d9b4e35a25d4cc4ca908c7a, on @user_script:1."},
		{[]any{"eval", "return redis.call('get','x')", "1", "x"}, "123"},
		{[]any{"eval", "#!lua flags=no-writes\nreturn redis.call('get','x')", "1", "x"}, "123"},
		{[]any{"eval", "#!lua flags=allow-oom\nredis.call('set','x',1) return 1", "1", "x"}, "1"},
	} {
		got, err := fc.Do(ctx, tc.args...).Result()
		text := fmt.Sprint(got)
		if err != nil {
			text = err.Error()
		}
		if text != tc.want {
			t.Errorf("%q through a follower: %q, want %q", tc.args, text, tc.want)
		}
	}
}
