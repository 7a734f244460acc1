package server

import (
	"strings"
	"testing"
)

// TestMulti checks transactions reply as Redis 7.0.15 does, byte for byte.
func TestMulti(t *testing.T) {
	r := dialRaw(t, startServer(t))
	runExchanges(t, r, []exchange{
		{"exec without multi", []string{"EXEC"}, "-ERR EXEC without MULTI\r\n"},
		{"discard without multi", []string{"DISCARD"}, "-ERR DISCARD without MULTI\r\n"},
		{"multi", []string{"MULTI"}, "+OK\r\n"},
		{"nested", []string{"MULTI"}, "-ERR MULTI calls can not be nested\r\n"},
		{"queued set", []string{"SET", "a", "1"}, "+QUEUED\r\n"},
		{"queued incr", []string{"INCR", "a"}, "+QUEUED\r\n"},
		{"queued wrongtype", []string{"LPUSH", "a", "x"}, "+QUEUED\r\n"},
		{"queued ping", []string{"PING"}, "+QUEUED\r\n"},
		{"queued echo", []string{"ECHO", "e"}, "+QUEUED\r\n"},
		{"queued get", []string{"GET", "a"}, "+QUEUED\r\n"},
		{"queued blpop", []string{"BLPOP", "nolist", "0"}, "+QUEUED\r\n"},
		{"exec", []string{"EXEC"}, "*7\r\n+OK\r\n:2\r\n" +
			"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n" +
			"+PONG\r\n$1\r\ne\r\n$1\r\n2\r\n*-1\r\n"},
		{"empty", []string{"MULTI"}, "+OK\r\n"},
		{"empty exec", []string{"EXEC"}, "*0\r\n"},
		{"discard: multi", []string{"MULTI"}, "+OK\r\n"},
		{"discard: queued", []string{"SET", "a", "discarded"}, "+QUEUED\r\n"},
		{"discard", []string{"DISCARD"}, "+OK\r\n"},
		{"discard: not applied", []string{"GET", "a"}, "$1\r\n2\r\n"},
		{"abort: multi", []string{"MULTI"}, "+OK\r\n"},
		{"abort: queued", []string{"SET", "a", "aborted"}, "+QUEUED\r\n"},
		{"abort: unknown", []string{"NOSUCH", "x"}, "-ERR unknown command 'NOSUCH', with args beginning with: 'x' \r\n"},
		{"abort: exec", []string{"EXEC"}, "-EXECABORT Transaction discarded because of previous errors.\r\n"},
		{"abort: not applied", []string{"GET", "a"}, "$1\r\n2\r\n"},
		{"arity: multi", []string{"MULTI"}, "+OK\r\n"},
		{"arity: get", []string{"GET"}, "-ERR wrong number of arguments for 'get' command\r\n"},
		{"arity: exec", []string{"EXEC"}, "-EXECABORT Transaction discarded because of previous errors.\r\n"},
		{"no-multi: multi", []string{"MULTI"}, "+OK\r\n"},
		{"no-multi: save", []string{"SAVE"}, "-ERR Command not allowed inside a transaction\r\n"},
		{"no-multi: exec", []string{"EXEC"}, "-EXECABORT Transaction discarded because of previous errors.\r\n"},
	})
}

// TestMultiPipelined sends whole transactions in one write, in RESP3, with
// commands before and after them, and QUIT inside one.
func TestMultiPipelined(t *testing.T) {
	r := dialRaw(t, startServer(t))
	r.do("HELLO", "3")
	for _, cmd := range [][]string{{"SET", "k", "v"}, {"MULTI"}, {"HSET", "h", "f", "1"}, {"HGETALL", "h"},
		{"ZADD", "z", "1.5", "m"}, {"ZSCORE", "z", "m"}, {"EXEC"}, {"GET", "k"}, {"MULTI"}, {"SET", "k", "lost"}, {"QUIT"}} {
		r.send(cmd...)
	}
	want := []string{"+OK\r\n", "+OK\r\n", "+QUEUED\r\n", "+QUEUED\r\n", "+QUEUED\r\n", "+QUEUED\r\n",
		"*4\r\n:1\r\n%1\r\n$1\r\nf\r\n$1\r\n1\r\n:1\r\n,1.5\r\n", "$1\r\nv\r\n", "+OK\r\n", "+QUEUED\r\n", "+OK\r\n"}
	for i, w := range want {
		if got := r.reply(); got != w {
			t.Fatalf("reply %d: got %q, want %q", i, got, w)
		}
	}
	r2 := dialRaw(t, r.nc.RemoteAddr().String())
	if got := r2.do("GET", "k"); got != "$1\r\nv\r\n" {
		t.Fatalf("a transaction left open by QUIT ran: GET k = %q", got)
	}
}

// TestMultiQueueLimit sends a transaction bigger than the client query
// limit: it is refused and discarded, and the connection goes on.
func TestMultiQueueLimit(t *testing.T) {
	limits := DefaultLimits
	limits.MaxQueryLen = 4096
	r := dialRaw(t, startLimitedServer(t, limits).addr)
	r.do("MULTI")
	big := strings.Repeat("x", 1000)
	var got string
	for i := 0; i < 10 && !strings.HasPrefix(got, "-"); i++ {
		got = r.do("SET", "k", big)
	}
	if want := "-ERR MULTI queue exceeds client-query-buffer-limit (4096 bytes); transaction discarded\r\n"; got != want {
		t.Fatalf("over the limit: got %q, want %q", got, want)
	}
	if got := r.do("EXEC"); got != "-EXECABORT Transaction discarded because of previous errors.\r\n" {
		t.Fatalf("EXEC after the limit: %q", got)
	}
	if got := r.do("EXISTS", "k"); got != ":0\r\n" {
		t.Fatalf("EXISTS k = %q", got)
	}
}

// TestMultiInClientList: CLIENT LIST shows a connection in a transaction
// with flag x and its queued count, as Redis does.
func TestMultiInClientList(t *testing.T) {
	addr := startServer(t)
	r, other := dialRaw(t, addr), dialRaw(t, addr)
	r.do("MULTI")
	r.do("SET", "a", "1")
	r.do("GET", "a")
	list := other.do("CLIENT", "LIST")
	if !strings.Contains(list, " flags=x db=0 sub=0 psub=0 ssub=0 multi=2 ") {
		t.Fatalf("CLIENT LIST does not show the transaction:\n%s", list)
	}
	r.do("EXEC")
	r.do("PING")
	if list := other.do("CLIENT", "LIST"); strings.Contains(list, "multi=2") || !strings.Contains(list, " flags=N ") {
		t.Fatalf("CLIENT LIST after EXEC:\n%s", list)
	}
}
