package server

import (
	"testing"
	"time"

	"github.com/geetcache/geetcache/scripting"
)

// TestBusy checks the replies other clients get while a script has run
// longer than busy-reply-threshold (a run begun on the server's Monitor,
// as the scripting engine begins one), against Redis 7.0.15's texts.
func TestBusy(t *testing.T) {
	ts := startTestServer(t)
	r := dialRaw(t, ts.addr)
	busyEval := "-" + scripting.ErrBusyEval + "\r\n"
	runExchanges(t, r, []exchange{
		{"threshold", []string{"CONFIG", "SET", "busy-reply-threshold", "1"}, "+OK\r\n"},
		{"nothing runs", []string{"PING"}, "+PONG\r\n"},
	})
	run := ts.srv.scripts.Begin(scripting.RunInfo{Kind: scripting.KindEval, Name: "sha"})
	waitBusy(t, ts.srv)
	runExchanges(t, r, []exchange{
		{"ping", []string{"PING"}, busyEval},
		{"read", []string{"GET", "k"}, busyEval},
		{"write", []string{"SET", "k", "v"}, busyEval},
		{"server command", []string{"CONFIG", "GET", "busy-reply-threshold"}, busyEval},
		{"unknown command first", []string{"NOSUCH"}, "-ERR unknown command 'NOSUCH', with args beginning with: \r\n"},
		{"allow_busy: multi", []string{"MULTI"}, "+OK\r\n"},
		{"refused in a transaction", []string{"PING"}, busyEval},
		{"allow_busy: discard", []string{"DISCARD"}, "+OK\r\n"},
		{"allow_busy: watch", []string{"WATCH", "k"}, "+OK\r\n"},
		{"allow_busy: unwatch", []string{"UNWATCH"}, "+OK\r\n"},
		{"transaction", []string{"MULTI"}, "+OK\r\n"},
		{"refused, flags it", []string{"PING"}, busyEval},
		{"exec aborts it", []string{"EXEC"}, "-EXECABORT Transaction discarded because of: " + scripting.ErrBusyEval + "\r\n"},
		{"exec outside a transaction", []string{"EXEC"}, "-EXECABORT Transaction discarded because of: " + scripting.ErrBusyEval + "\r\n"},
		{"the transaction is gone", []string{"DISCARD"}, "-ERR DISCARD without MULTI\r\n"},
	})
	ts.srv.scripts.End(run)
	run = ts.srv.scripts.Begin(scripting.RunInfo{Kind: scripting.KindFunction, Name: "f"})
	waitBusy(t, ts.srv)
	runExchanges(t, r, []exchange{
		{"function", []string{"PING"}, "-" + scripting.ErrBusyFunction + "\r\n"},
	})
	ts.srv.scripts.End(run)
	runExchanges(t, r, []exchange{
		{"after the run", []string{"PING"}, "+PONG\r\n"},
		{"transaction after the run", []string{"MULTI"}, "+OK\r\n"},
		{"queued", []string{"PING"}, "+QUEUED\r\n"},
		{"exec", []string{"EXEC"}, "*1\r\n+PONG\r\n"},
	})
}

func TestBusyThresholdConfig(t *testing.T) {
	r := dialRaw(t, startServer(t))
	failed := func(name, reason string) string {
		return "-ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + reason + "\r\n"
	}
	runExchanges(t, r, []exchange{
		{"default", []string{"CONFIG", "GET", "busy-reply-threshold"}, "*2\r\n" + bulk("busy-reply-threshold") + bulk("5000")},
		{"old name", []string{"CONFIG", "GET", "lua-time-limit"}, "*2\r\n" + bulk("lua-time-limit") + bulk("5000")},
		{"set by the old name", []string{"CONFIG", "SET", "lua-time-limit", "10"}, "+OK\r\n"},
		{"read by the new", []string{"CONFIG", "GET", "busy-reply-threshold"}, "*2\r\n" + bulk("busy-reply-threshold") + bulk("10")},
		{"both in a glob", []string{"CONFIG", "GET", "[bl]u*"}, "*4\r\n" + bulk("busy-reply-threshold") + bulk("10") + bulk("lua-time-limit") + bulk("10")},
		{"not an integer", []string{"CONFIG", "SET", "lua-time-limit", "abc"}, failed("lua-time-limit", "argument couldn't be parsed into an integer")},
		{"negative", []string{"CONFIG", "SET", "busy-reply-threshold", "-1"}, failed("busy-reply-threshold", "argument must be between 0 and 9223372036854775807 inclusive")},
		{"large", []string{"CONFIG", "SET", "lua-time-limit", "5000000000000"}, "+OK\r\n"},
		{"large read back", []string{"CONFIG", "GET", "lua-time-limit"}, "*2\r\n" + bulk("lua-time-limit") + bulk("5000000000000")},
	})
}

// waitBusy polls until the server's Monitor answers BUSY.
func waitBusy(t *testing.T, s *Server) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for s.scripts.Busy() == "" {
		if time.Now().After(deadline) {
			t.Fatal("never busy")
		}
		time.Sleep(time.Millisecond)
	}
}
