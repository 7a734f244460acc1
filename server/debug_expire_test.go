package server

import (
	"strings"
	"testing"
	"time"
)

func TestDebugSetActiveExpire(t *testing.T) {
	ts := startTestServer(t)
	r := dialRaw(t, ts.addr)
	runExchanges(t, r, []exchange{
		{"arity", []string{"DEBUG", "SET-ACTIVE-EXPIRE"}, "-ERR unknown subcommand or wrong number of arguments for 'SET-ACTIVE-EXPIRE'. Try DEBUG HELP.\r\n"},
		{"too many", []string{"DEBUG", "set-active-expire", "0", "1"}, "-ERR unknown subcommand or wrong number of arguments for 'set-active-expire'. Try DEBUG HELP.\r\n"},
		{"not a number is 0", []string{"DEBUG", "set-active-expire", "x"}, "+OK\r\n"},
		{"off", []string{"DEBUG", "set-active-expire", "0"}, "+OK\r\n"},
	})
	set := time.Now()
	if got := r.do("SET", "k", "v", "PX", "20"); got != "+OK\r\n" {
		t.Fatalf("SET: %q", got)
	}
	// Expired, but no expiry entry removes it: still counted. (A read of
	// k would delete it: lazy expiry.)
	time.Sleep(time.Until(set.Add(300 * time.Millisecond))) // three expiry rounds that must do nothing
	if got := r.do("INFO", "keyspace"); !strings.Contains(got, "db0:keys=1,expires=1,") {
		t.Fatalf("active expiry off: INFO keyspace %q", got)
	}
	if got := r.do("DEBUG", "set-active-expire", "1"); got != "+OK\r\n" {
		t.Fatalf("on: %q", got)
	}
	waitUntil(t, 5*time.Second, func() bool { return !strings.Contains(r.do("INFO", "keyspace"), "db0:") })
}

func TestDebugSleep(t *testing.T) {
	ts := startTestServer(t)
	a, b := dialRaw(t, ts.addr), dialRaw(t, ts.addr)
	runExchanges(t, a, []exchange{
		{"arity", []string{"DEBUG", "SLEEP"}, "-ERR unknown subcommand or wrong number of arguments for 'SLEEP'. Try DEBUG HELP.\r\n"},
		{"not a number is 0", []string{"DEBUG", "sleep", "abc"}, "+OK\r\n"},
		{"zero", []string{"DEBUG", "sleep", "0"}, "+OK\r\n"},
	})
	start := time.Now()
	a.send("DEBUG", "SLEEP", "1")
	time.Sleep(50 * time.Millisecond)
	if got := b.do("PING"); got != "+PONG\r\n" || time.Since(start) > 700*time.Millisecond {
		t.Fatalf("PING during DEBUG SLEEP: %q after %v", got, time.Since(start))
	}
	if got := b.do("SET", "k", "v"); got != "+OK\r\n" {
		t.Fatalf("SET: %q", got)
	}
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Fatalf("a SET sent during DEBUG SLEEP 1 was applied after %v", d)
	}
	if got := a.reply(); got != "+OK\r\n" {
		t.Fatalf("DEBUG SLEEP: %q", got)
	}
}

func waitUntil(t *testing.T, timeout time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in time")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
