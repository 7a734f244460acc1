package server

import (
	"strings"
	"testing"
)

// TestWatch checks WATCH against Redis 7.0.15's replies: a watched key
// changed by anyone (this connection included) makes EXEC answer null.
func TestWatch(t *testing.T) {
	addr := startServer(t)
	r, other := dialRaw(t, addr), dialRaw(t, addr)
	steps := []struct {
		name string
		by   *rawClient
		args []string
		want string
	}{
		{"watch", r, []string{"WATCH", "k", "absent"}, "+OK\r\n"},
		{"unchanged: multi", r, []string{"MULTI"}, "+OK\r\n"},
		{"unchanged: set", r, []string{"SET", "k", "mine"}, "+QUEUED\r\n"},
		{"unchanged: exec runs", r, []string{"EXEC"}, "*1\r\n+OK\r\n"},
		{"exec unwatched: other writes", other, []string{"SET", "k", "theirs"}, "+OK\r\n"},
		{"exec unwatched: multi", r, []string{"MULTI"}, "+OK\r\n"},
		{"exec unwatched: exec runs", r, []string{"EXEC"}, "*0\r\n"},
		{"changed: watch", r, []string{"WATCH", "k"}, "+OK\r\n"},
		{"changed: other writes", other, []string{"APPEND", "k", "!"}, ":7\r\n"},
		{"changed: multi", r, []string{"MULTI"}, "+OK\r\n"},
		{"changed: set", r, []string{"SET", "k", "lost"}, "+QUEUED\r\n"},
		{"changed: exec is null", r, []string{"EXEC"}, "*-1\r\n"},
		{"changed: not applied", r, []string{"GET", "k"}, "$7\r\ntheirs!\r\n"},
		{"created: watch", r, []string{"WATCH", "new"}, "+OK\r\n"},
		{"created: other creates", other, []string{"SET", "new", "1"}, "+OK\r\n"},
		{"created: multi", r, []string{"MULTI"}, "+OK\r\n"},
		{"created: exec is null", r, []string{"EXEC"}, "*-1\r\n"},
		{"deleted: watch", r, []string{"WATCH", "new"}, "+OK\r\n"},
		{"deleted: other deletes", other, []string{"DEL", "new"}, ":1\r\n"},
		{"deleted: multi", r, []string{"MULTI"}, "+OK\r\n"},
		{"deleted: exec is null", r, []string{"EXEC"}, "*-1\r\n"},
		{"own write: watch", r, []string{"WATCH", "k"}, "+OK\r\n"},
		{"own write: set", r, []string{"SET", "k", "self"}, "+OK\r\n"},
		{"own write: multi", r, []string{"MULTI"}, "+OK\r\n"},
		{"own write: exec is null", r, []string{"EXEC"}, "*-1\r\n"},
		{"unwatch: watch", r, []string{"WATCH", "k"}, "+OK\r\n"},
		{"unwatch", r, []string{"UNWATCH"}, "+OK\r\n"},
		{"unwatch: other writes", other, []string{"SET", "k", "x"}, "+OK\r\n"},
		{"unwatch: multi", r, []string{"MULTI"}, "+OK\r\n"},
		{"unwatch: exec runs", r, []string{"EXEC"}, "*0\r\n"},
		{"exec without multi: watch", r, []string{"WATCH", "k"}, "+OK\r\n"},
		{"exec without multi", r, []string{"EXEC"}, "-ERR EXEC without MULTI\r\n"},
		{"exec without multi: other writes", other, []string{"SET", "k", "w"}, "+OK\r\n"},
		{"exec without multi: multi", r, []string{"MULTI"}, "+OK\r\n"},
		{"exec without multi: still watched", r, []string{"EXEC"}, "*-1\r\n"},
		{"discard: watch", r, []string{"WATCH", "k"}, "+OK\r\n"},
		{"discard: multi", r, []string{"MULTI"}, "+OK\r\n"},
		{"discard: watch inside", r, []string{"WATCH", "k"}, "-ERR WATCH inside MULTI is not allowed\r\n"},
		{"discard", r, []string{"DISCARD"}, "+OK\r\n"},
		{"discard: other writes", other, []string{"SET", "k", "y"}, "+OK\r\n"},
		{"discard: multi again", r, []string{"MULTI"}, "+OK\r\n"},
		{"discard: exec runs", r, []string{"EXEC"}, "*0\r\n"},
		{"resp3: hello", r, []string{"HELLO", "3"}, ""},
		{"resp3: watch", r, []string{"WATCH", "k"}, "+OK\r\n"},
		{"resp3: other writes", other, []string{"SET", "k", "z"}, "+OK\r\n"},
		{"resp3: multi", r, []string{"MULTI"}, "+OK\r\n"},
		{"resp3: exec is null", r, []string{"EXEC"}, "_\r\n"},
	}
	for _, st := range steps {
		got := st.by.do(st.args...)
		if st.want != "" && got != st.want {
			t.Fatalf("%s: %q replied %q, want %q", st.name, st.args, got, st.want)
		}
	}
}

// TestWatchLimit: watching more key bytes than client-query-buffer-limit
// is refused, and the watch already held stays.
func TestWatchLimit(t *testing.T) {
	limits := DefaultLimits
	limits.MaxQueryLen = 4096
	ts := startLimitedServer(t, limits)
	r, other := dialRaw(t, ts.addr), dialRaw(t, ts.addr)
	r.do("WATCH", "k")
	big := strings.Repeat("x", 1000)
	var got string
	for i := 0; i < 10 && !strings.HasPrefix(got, "-"); i++ {
		got = r.do("WATCH", big+string(rune('a'+i)))
	}
	if want := "-ERR watched keys exceed client-query-buffer-limit (4096 bytes)\r\n"; got != want {
		t.Fatalf("over the limit: got %q, want %q", got, want)
	}
	other.do("SET", "k", "changed")
	r.do("MULTI")
	if got := r.do("EXEC"); got != "*-1\r\n" {
		t.Fatalf("EXEC after a refused WATCH and a change to a key watched before: %q", got)
	}
}
