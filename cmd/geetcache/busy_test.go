package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Replies checked byte for byte against redis-server 7.0.15 (the same test
// runs against it).
const (
	busyEvalText   = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
	notBusyText    = "NOTBUSY No scripts in execution right now."
	killedLoopText = "ERR Script killed by user with SCRIPT KILL... script: 694a5fe1ddb97a4c6a1bf299d9537c7d3d0f84e7, on @user_script:1."
	busyFuncText   = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."
	spinLibrary    = "#!lua name=busylib\nredis.register_function{function_name='spin', callback=function() while true do end end, flags={'no-writes'}}\n" +
		"redis.register_function('spinw', function() while true do end end)"
)

// errText is the error text of a reply, "" when it is not an error.
func errText(err error) string {
	if err == nil || errors.Is(err, redis.Nil) {
		return ""
	}
	return err.Error()
}

// TestScriptBusyAndKill: while a read-only script loops, other clients get
// BUSY, SCRIPT KILL stops it, and its client gets Redis's text; then the
// server answers again. Run against geetcache and redis-server alike.
func TestScriptBusyAndKill(t *testing.T) {
	targets := map[string]func() string{
		"geetcache": func() string { return startNode(t).addr() },
		"redis":     func() string { return startRedisServer(t) },
	}
	for _, name := range []string{"geetcache", "redis"} {
		t.Run(name, func(t *testing.T) {
			addr := targets[name]()
			client := func() *redis.Client {
				c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, PoolSize: 1, ReadTimeout: 30 * time.Second})
				t.Cleanup(func() { c.Close() })
				return c
			}
			a, b := client(), client()
			if err := a.ConfigSet(ctx, "busy-reply-threshold", "50").Err(); err != nil {
				t.Fatal(err)
			}
			if got := errText(a.Do(ctx, "SCRIPT", "KILL").Err()); got != notBusyText {
				t.Fatalf("SCRIPT KILL, nothing running: %q", got)
			}
			// EVAL_RO, and EVAL of a script that never writes (tried as a
			// read first in geetcache, so it can be killed as in Redis).
			for _, eval := range []string{"EVAL_RO", "EVAL"} {
				checkScriptKill(t, a, b, eval)
			}
			if err := a.Do(ctx, "FUNCTION", "LOAD", "REPLACE", spinLibrary).Err(); err != nil {
				t.Fatalf("FUNCTION LOAD: %v", err)
			}
			checkFunctionKill(t, a, b, "FCALL_RO", "spin", 2)
			checkFunctionKill(t, a, b, "FCALL", "spinw", 3) // may write: tried as a read first
		})
	}
}

// checkScriptKill: eval (EVAL or EVAL_RO) of a loop makes a answer BUSY;
// SCRIPT KILL stops it, and b gets Redis's text.
func checkScriptKill(t *testing.T, a, b *redis.Client, eval string) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- b.Do(ctx, eval, "while true do end", 0).Err() }()
	waitFor(t, 10*time.Second, func() error {
		if got := errText(a.Ping(ctx).Err()); got != busyEvalText {
			return fmt.Errorf("%s: PING answered %q", eval, got)
		}
		return nil
	})
	if err := a.Do(ctx, "SCRIPT", "KILL").Err(); err != nil {
		t.Fatalf("%s: SCRIPT KILL: %v", eval, err)
	}
	select {
	case err := <-done:
		if got := errText(err); got != killedLoopText {
			t.Fatalf("%s: the killed script's client got %q, want %q", eval, got, killedLoopText)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: the killed script's client got nothing in 10 s", eval)
	}
	if err := a.Ping(ctx).Err(); err != nil {
		t.Fatalf("%s: PING after the kill: %v", eval, err)
	}
}

// checkFunctionKill: the same for function fn called by fcall (FCALL or
// FCALL_RO) whose loop is on line: BUSY names FUNCTION KILL, SCRIPT KILL
// refuses it, FUNCTION STATS shows it running, FUNCTION KILL stops it.
func checkFunctionKill(t *testing.T, a, b *redis.Client, fcall, fn string, line int) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- b.Do(ctx, fcall, fn, 0).Err() }()
	waitFor(t, 10*time.Second, func() error {
		if got := errText(a.Ping(ctx).Err()); got != busyFuncText {
			return fmt.Errorf("PING answered %q", got)
		}
		return nil
	})
	if got := errText(a.Do(ctx, "SCRIPT", "KILL").Err()); got != busyFuncText {
		t.Fatalf("SCRIPT KILL on a function: %q", got)
	}
	stats, err := a.Do(ctx, "FUNCTION", "STATS").Result()
	if err != nil || !strings.Contains(fmt.Sprint(stats), "running_script:map[command:["+fcall+" "+fn+" 0] duration_ms:") ||
		!strings.Contains(fmt.Sprint(stats), "name:"+fn+"]") {
		t.Fatalf("FUNCTION STATS while spin runs: %v, %v", stats, err)
	}
	if err := a.Do(ctx, "FUNCTION", "KILL").Err(); err != nil {
		t.Fatalf("FUNCTION KILL: %v", err)
	}
	select {
	case err := <-done:
		want := fmt.Sprintf("ERR Script killed by user with SCRIPT KILL... script: %s, on @user_function:%d.", fn, line)
		if got := errText(err); got != want {
			t.Fatalf("the killed function's client got %q, want %q", got, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the killed function's client got nothing in 10 s")
	}
	if got := errText(a.Do(ctx, "FUNCTION", "KILL").Err()); got != notBusyText {
		t.Fatalf("FUNCTION KILL, nothing running: %q", got)
	}
}

// TestWriteScriptBudgetCluster: a write script that never ends runs on
// every node of a cluster (one log entry); every node answers BUSY while
// it runs and UNKILLABLE to SCRIPT KILL; the step budget stops it at the
// same instruction everywhere: the counter it increments every 100,000
// loops has the same value on all nodes, and the digests are equal. Three
// nodes spinning on a loaded machine may lose the leader meanwhile: the
// entry is committed, so every node still runs it to the same end, but the
// client may then get UNCERTAIN instead of the budget's error.
func TestWriteScriptBudgetCluster(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 20*time.Second)
	for _, n := range nodes {
		if err := n.Client(noRetries).ConfigSet(ctx, "busy-reply-threshold", "100").Err(); err != nil {
			t.Fatal(err)
		}
	}
	const loop = `redis.call('set', KEYS[1], 'started')
		local n = 0
		while true do
			n = n + 1
			if n % 100000 == 0 then redis.call('incr', KEYS[2]) end
		end`
	c := leader.Client(noRetries, func(o *redis.Options) { o.ReadTimeout = 2 * time.Minute })
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- c.Eval(ctx, loop, []string{"state", "count"}).Err() }()
	seen := make(chan string, len(nodes))
	for _, n := range nodes {
		go func() { seen <- watchBusy(n, 60*time.Second) }()
	}
	for range nodes {
		if msg := <-seen; msg != "" {
			t.Fatal(msg)
		}
	}
	var err error
	select {
	case err = <-done:
	case <-time.After(2 * time.Minute):
		t.Fatal("the script did not stop within 2 minutes")
	}
	t.Logf("stopped after %v: %v", time.Since(start), err)
	switch got := errText(err); {
	case strings.HasPrefix(got, "ERR Script stopped: a script that may write runs at most 200000000 steps"):
	case strings.HasPrefix(got, "UNCERTAIN "):
		t.Logf("the leader changed while the script ran: %s", got)
	default:
		t.Fatalf("the script's client got %q", got)
	}
	waitSameDigest(t, nodes)
	var counts []string
	for _, n := range nodes {
		v, err := n.Client(noRetries, func(o *redis.Options) {
			o.OnConnect = func(ctx2 context.Context, cn *redis.Conn) error { return cn.ReadOnly(ctx2).Err() }
		}).Get(ctx, "count").Result()
		if err != nil {
			t.Fatalf("node %s: GET count: %v", n.addr(), err)
		}
		counts = append(counts, v)
	}
	if counts[0] == "0" || counts[0] != counts[1] || counts[1] != counts[2] {
		t.Fatalf("counts on the three nodes: %v", counts)
	}
	t.Logf("every node stopped after %s increments", counts[0])
}

// watchBusy polls n until PING answers BUSY, then checks that SCRIPT KILL
// answers UNKILLABLE, and returns what went wrong, or "".
func watchBusy(n *node, timeout time.Duration) string {
	probe := redis.NewClient(&redis.Options{Addr: n.addr(), MaxRetries: -1, PoolSize: 1, ReadTimeout: 10 * time.Second})
	defer probe.Close()
	deadline := time.Now().Add(timeout)
	last := ""
	for time.Now().Before(deadline) {
		if last = errText(probe.Ping(ctx).Err()); last == busyEvalText {
			if got := errText(probe.Do(ctx, "SCRIPT", "KILL").Err()); !strings.HasPrefix(got, "UNKILLABLE ") {
				return fmt.Sprintf("node %s: SCRIPT KILL answered %q", n.addr(), got)
			}
			return ""
		}
		time.Sleep(10 * time.Millisecond)
	}
	return fmt.Sprintf("node %s never answered BUSY in %v (last %q)", n.addr(), timeout, last)
}

// TestScriptKillThroughFollower: an endless function that may write, sent
// to a follower right after the library it forwarded, is tried as a read
// there (the follower waits to have applied the library rather than send
// the try to the leader): the follower answers BUSY, the leader does not,
// FUNCTION KILL sent to the follower stops the function, and the
// follower's client gets Redis's text. SCRIPT KILL with nothing running
// anywhere answers NOTBUSY through the follower too (asked of the leader).
func TestScriptKillThroughFollower(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 20*time.Second)
	follower := others(nodes, leader)[0]
	client := func(n *node) *redis.Client {
		c := redis.NewClient(&redis.Options{Addr: n.addr(), MaxRetries: -1, PoolSize: 1, ReadTimeout: 30 * time.Second})
		t.Cleanup(func() { c.Close() })
		return c
	}
	a, b, l := client(follower), client(follower), client(leader)
	if got := errText(a.Do(ctx, "SCRIPT", "KILL").Err()); got != notBusyText {
		t.Fatalf("SCRIPT KILL through a follower, nothing running: %q", got)
	}
	for _, c := range []*redis.Client{a, l} {
		if err := c.ConfigSet(ctx, "busy-reply-threshold", "50").Err(); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Do(ctx, "FUNCTION", "LOAD", "REPLACE", spinLibrary).Err(); err != nil {
		t.Fatalf("FUNCTION LOAD: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- b.Do(ctx, "FCALL", "spinw", 0).Err() }()
	waitFor(t, 10*time.Second, func() error {
		if got := errText(a.Ping(ctx).Err()); got != busyFuncText {
			return fmt.Errorf("PING answered %q on the follower", got)
		}
		return nil
	})
	if got := errText(l.Ping(ctx).Err()); got != "" {
		t.Fatalf("the leader answered PING with %q while the follower ran the script", got)
	}
	if err := a.Do(ctx, "FUNCTION", "KILL").Err(); err != nil {
		t.Fatalf("FUNCTION KILL through the follower: %v", err)
	}
	select {
	case err := <-done:
		want := "ERR Script killed by user with SCRIPT KILL... script: spinw, on @user_function:3."
		if got := errText(err); got != want {
			t.Fatalf("the killed function's client got %q, want %q", got, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the killed function's client got nothing in 10 s")
	}
}

// TestShutdownStopsReadScript: SIGTERM while a read-only script loops
// forever stops it (it changed nothing) and the node exits; before, the
// node closed its listeners and then waited for the script forever.
func TestShutdownStopsReadScript(t *testing.T) {
	n := startNode(t)
	c := n.Client(noRetries, func(o *redis.Options) { o.ReadTimeout = 30 * time.Second })
	done := make(chan error, 1)
	go func() { done <- c.Do(ctx, "EVAL_RO", "while true do end", 0).Err() }()
	probe := n.Client(noRetries)
	if err := probe.ConfigSet(ctx, "busy-reply-threshold", "50").Err(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, func() error {
		if got := errText(probe.Ping(ctx).Err()); got != busyEvalText {
			return fmt.Errorf("PING answered %q", got)
		}
		return nil
	})
	exited := make(chan int, 1)
	go func() { exited <- n.Term() }()
	select {
	case code := <-exited:
		if code != 0 {
			t.Fatalf("exit code %d", code)
		}
	case <-time.After(15 * time.Second):
		n.Kill9()
		t.Fatal("the node did not exit within 15 s of SIGTERM while a read-only script looped")
	}
}
