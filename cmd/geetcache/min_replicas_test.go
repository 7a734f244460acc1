package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

const noReplicas = "NOREPLICAS Not enough good replicas to write."

// minReplicasCase is one command and the reply (or error) redis-server
// 7.0.15 gives it with min-replicas-to-write 1 and no replica.
type minReplicasCase struct {
	name string
	args []any
	want string // a reply's text, or an error's
}

// minReplicasCases were checked against redis-server 7.0.15 (no replica,
// min-replicas-to-write 1, x = "1", the library of fnMinReplicasLib loaded).
var minReplicasCases = []minReplicasCase{
	{"write", []any{"set", "x", "2"}, noReplicas},
	{"read", []any{"get", "x"}, "1"},
	{"shebang read", []any{"eval", "#!lua\nreturn redis.call('get','x')", "1", "x"}, noReplicas},
	{"shebang no-writes", []any{"eval", "#!lua flags=no-writes\nreturn redis.call('get','x')", "1", "x"}, "1"},
	{"shebang allow-oom", []any{"eval", "#!lua flags=allow-oom\nreturn 1", "0"}, noReplicas},
	{"eval_ro shebang", []any{"eval_ro", "#!lua\nreturn 1", "0"}, noReplicas},
	{"no shebang read", []any{"eval", "return redis.call('get','x')", "1", "x"}, "1"},
	{"no shebang write", []any{"eval", "return redis.call('set','x',2)", "1", "x"},
		noReplicas + " script: a8b8e609545d5f7759950d6de08ab374ca218bb7, on @user_script:1."},
	{"no shebang pcall", []any{"eval", "local r = redis.pcall('set','x',5) return {r['err'], redis.call('get','x')}", "1", "x"},
		"[" + noReplicas + " 1]"},
	{"fcall writer", []any{"fcall", "mrw", "0"}, noReplicas},
	{"fcall reader without no-writes", []any{"fcall", "mrg", "0"}, noReplicas},
	{"fcall no-writes", []any{"fcall", "mrr", "0"}, "1"},
	{"fcall_ro writer", []any{"fcall_ro", "mrw", "0"}, noReplicas},
	{"fcall unknown", []any{"fcall", "nosuch", "0"}, "ERR Function not found"},
	{"script load", []any{"script", "load", "return 7"}, "59b6ab2fbe0ee4b25733de0f62e6cda4899ef8e9"},
	{"function delete", []any{"function", "delete", "nosuch"}, noReplicas},
	{"publish", []any{"publish", "ch", "m"}, "0"},
	{"sort", []any{"sort", "nosuch"}, noReplicas},
	{"sort_ro", []any{"sort_ro", "nosuch"}, "[]"},
}

const fnMinReplicasLib = `#!lua name=mr
redis.register_function('mrw', function() return redis.call('set','x',3) end)
redis.register_function('mrg', function() return redis.call('get','x') end)
redis.register_function{function_name='mrr', callback=function() return redis.call('get','x') end, flags={'no-writes'}}`

// checkMinReplicasCases sends every case through c.
func checkMinReplicasCases(t *testing.T, c *redis.Client) {
	t.Helper()
	for _, tc := range minReplicasCases {
		got, err := c.Do(ctx, tc.args...).Result()
		text := fmt.Sprint(got)
		if err != nil {
			text = err.Error()
		}
		if text != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, text, tc.want)
		}
	}
}

// TestMinReplicasToWrite: on one node (no replica at all) min-replicas-to-write
// 1 refuses what redis-server 7.0.15 refuses, with its texts: write commands,
// scripts and functions that declare they may write (at start), scripts
// without a shebang at their first write (pcall sees the error), a
// transaction queuing a write; reads, no-writes scripts, SCRIPT LOAD and
// PUBLISH still run. The setting survives a restart (it is replicated
// state), and 0 turns it off.
func TestMinReplicasToWrite(t *testing.T) {
	n := startNode(t)
	c := n.Client(noRetries)
	if err := c.Set(ctx, "x", "1", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if err := c.FunctionLoad(ctx, fnMinReplicasLib).Err(); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []struct{ v, want string }{
		{"-1", "argument must be between 0 and 2147483647 inclusive"},
		{"abc", "argument couldn't be parsed into an integer"},
	} {
		want := "ERR CONFIG SET failed (possibly related to argument 'min-replicas-to-write') - " + bad.want
		if err := c.ConfigSet(ctx, "min-replicas-to-write", bad.v).Err(); err == nil || err.Error() != want {
			t.Errorf("CONFIG SET min-replicas-to-write %s: %v, want %q", bad.v, err, want)
		}
	}
	if err := c.ConfigSet(ctx, "min-replicas-to-write", "1").Err(); err != nil {
		t.Fatal(err)
	}
	checkMinReplicasCases(t, c)
	checkTxRefused(t, c, false)
	n.Term()
	n.Restart()
	c = n.Client(noRetries)
	got, err := c.ConfigGet(ctx, "min-*").Result()
	want := map[string]string{"min-replicas-to-write": "1", "min-slaves-to-write": "1", "min-replicas-max-lag": "10", "min-slaves-max-lag": "10"}
	if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("CONFIG GET min-* after a restart: %v %v, want %v", got, err, want)
	}
	waitFor(t, 10*time.Second, func() error {
		if err := c.Set(ctx, "x", "2", 0).Err(); err == nil || err.Error() != noReplicas {
			return fmt.Errorf("SET after a restart: %v, want %q", err, noReplicas)
		}
		return nil
	})
	if err := c.ConfigSet(ctx, "min-slaves-max-lag", "0").Err(); err != nil {
		t.Fatal(err)
	}
	if err := c.Set(ctx, "x", "3", 0).Err(); err != nil {
		t.Fatalf("SET with min-replicas-max-lag 0 (the check is off): %v", err)
	}
}

// checkTxRefused checks that a transaction queuing a write is discarded
// (the write refused when queued), and that one queuing a script without
// a shebang is refused at EXEC (geetcache cannot judge it at its first
// write inside the log: docs/compatibility.md).
func checkTxRefused(t *testing.T, c *redis.Client, viaFollower bool) {
	t.Helper()
	_, err := c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, "x", "4", 0)
		p.Get(ctx, "x")
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "EXECABORT") && !strings.Contains(err.Error(), "NOREPLICAS") {
		t.Errorf("MULTI SET GET EXEC: %v, want NOREPLICAS then EXECABORT", err)
	}
	_, err = c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Eval(ctx, "return redis.call('set','x',5)", []string{"x"})
		return nil
	})
	want := "EXECABORT Transaction discarded because of: " + noReplicas
	if viaFollower {
		want = "EXECABORT" // the leader refuses the queued script; the follower relays EXECABORT
	}
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("MULTI EVAL(set) EXEC: %v, want %q", err, want)
	}
	if v, err := c.Get(ctx, "x").Result(); err != nil || v == "4" || v == "5" {
		t.Errorf("x after the refused transactions: %q %v", v, err)
	}
}

// TestMinReplicasCluster: in a three-node cluster the good replicas are
// the followers the leader heard from within min-replicas-max-lag seconds.
// Set through a follower (a replicated setting), min-replicas-to-write 2
// lets writes through while both followers answer; once one is killed,
// the leader refuses writes sent through the other follower within a few
// seconds, as on one node; 1 lets them through again, and after the
// killed node is back, 2 does too.
func TestMinReplicasCluster(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	fs := others(nodes, leader)
	fc := fs[0].Client(noRetries)
	waitFor(t, 10*time.Second, func() error { return fc.Set(ctx, "x", "1", 0).Err() })
	if err := fc.FunctionLoad(ctx, fnMinReplicasLib).Err(); err != nil {
		t.Fatal(err)
	}
	if err := fc.ConfigSet(ctx, "min-replicas-to-write", "2").Err(); err != nil {
		t.Fatal(err)
	}
	if err := fc.ConfigSet(ctx, "min-replicas-max-lag", "1").Err(); err != nil {
		t.Fatal(err)
	}
	if v, err := leader.Client(noRetries).ConfigGet(ctx, "min-replicas-to-write").Result(); err != nil || v["min-replicas-to-write"] != "2" {
		t.Fatalf("the leader's CONFIG GET min-replicas-to-write: %v %v", v, err)
	}
	if err := fc.Set(ctx, "x", "1", 0).Err(); err != nil {
		t.Fatalf("SET with two good replicas: %v", err)
	}
	fs[1].Kill9()
	start := time.Now()
	waitFor(t, 15*time.Second, func() error {
		if err := fc.Set(ctx, "x", "1", 0).Err(); err == nil || err.Error() != noReplicas {
			return fmt.Errorf("SET through a follower with one good replica: %v", err)
		}
		return nil
	})
	t.Logf("writes refused %v after a follower was killed (max-lag 1 s)", time.Since(start).Round(time.Millisecond))
	checkMinReplicasCases(t, fc)
	checkTxRefused(t, fc, true)
	if err := fc.ConfigSet(ctx, "min-replicas-to-write", "1").Err(); err != nil {
		t.Fatal(err)
	}
	if err := fc.Set(ctx, "x", "6", 0).Err(); err != nil {
		t.Fatalf("SET with min-replicas-to-write 1 and one good replica: %v", err)
	}
	fs[1].Restart()
	if err := fc.ConfigSet(ctx, "min-replicas-to-write", "2").Err(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 15*time.Second, func() error { return fc.Set(ctx, "x", "7", 0).Err() })
}

// TestMinReplicasJudgedByFollower: a follower judges min-replicas-to-write
// itself for a script or function it tries as a read first, by asking the
// leader (RAFT REPLICAS), instead of sending the call to the leader. With
// min-replicas-to-write 1 and two good replicas, an endless FCALL of a
// function without no-writes runs on the follower it was sent to: PING
// from another connection to that follower answers BUSY, FUNCTION KILL
// sent there stops it, and PING answers PONG again (Redis's
// unit/functions "FUNCTION - test function kill", run after
// unit/scripting left the setting at 1). With min-replicas-to-write 5 the
// leader lacks replicas: the follower's refusals are redis-server
// 7.0.15's (checkMinReplicasCases), and no-writes calls still run.
func TestMinReplicasJudgedByFollower(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	f := others(nodes, leader)[0]
	fc := f.Client(noRetries)
	waitFor(t, 10*time.Second, func() error { return fc.Set(ctx, "x", "1", 0).Err() })
	for _, lib := range []string{fnMinReplicasLib, spinLibrary} {
		if err := fc.FunctionLoad(ctx, lib).Err(); err != nil {
			t.Fatal(err)
		}
	}
	setMinReplicas(t, fc, "1")
	client := func() *redis.Client {
		c := redis.NewClient(&redis.Options{Addr: f.addr(), MaxRetries: -1, PoolSize: 1, ReadTimeout: 30 * time.Second})
		t.Cleanup(func() { c.Close() })
		return c
	}
	a, b := client(), client()
	if err := a.ConfigSet(ctx, "busy-reply-threshold", "50").Err(); err != nil {
		t.Fatal(err)
	}
	checkFunctionKill(t, a, b, "FCALL", "spinw", 3)
	if err := a.Ping(ctx).Err(); err != nil {
		t.Fatalf("PING after FUNCTION KILL: %v", err)
	}
	setMinReplicas(t, fc, "5")
	checkMinReplicasCases(t, fc)
	checkRaftReplicasInternal(t, leader, fc)
}

// checkRaftReplicasInternal: the leader answers RAFT REPLICAS with
// NOREPLICAS while it lacks replicas, and a user without @admin gets
// NOPERM for it, as for every RAFT subcommand.
func checkRaftReplicasInternal(t *testing.T, leader *node, fc *redis.Client) {
	t.Helper()
	lc := leader.Client(noRetries)
	if got := errText(lc.Do(ctx, "RAFT", "REPLICAS").Err()); got != noReplicas {
		t.Errorf("RAFT REPLICAS on the leader lacking replicas: %q, want %q", got, noReplicas)
	}
	if err := fc.Do(ctx, "ACL", "SETUSER", "app", "on", ">pw", "~*", "+@all", "-@admin").Err(); err != nil {
		t.Fatal(err)
	}
	app := redis.NewClient(&redis.Options{Addr: leader.addr(), Username: "app", Password: "pw", MaxRetries: -1})
	defer app.Close()
	want := "NOPERM this user has no permissions to run the 'raft|replicas' command"
	waitFor(t, 10*time.Second, func() error {
		if got := errText(app.Do(ctx, "RAFT", "REPLICAS").Err()); got != want {
			return fmt.Errorf("RAFT REPLICAS from a user without @admin: %q, want %q", got, want)
		}
		return nil
	})
}

// setMinReplicas sets min-replicas-to-write through c and waits until c's
// node has applied it (a replicated setting).
func setMinReplicas(t *testing.T, c *redis.Client, n string) {
	t.Helper()
	if err := c.ConfigSet(ctx, "min-replicas-to-write", n).Err(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, func() error {
		v, err := c.ConfigGet(ctx, "min-replicas-to-write").Result()
		if err != nil || v["min-replicas-to-write"] != n {
			return fmt.Errorf("CONFIG GET min-replicas-to-write: %v %v, want %s", v, err, n)
		}
		return nil
	})
}
