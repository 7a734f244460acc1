package server

import (
	"net"
	"strings"
	"testing"
	"time"
)

func TestConfigGet(t *testing.T) {
	ts := startTestServer(t)
	r := dialRaw(t, ts.addr)
	runExchanges(t, r, []exchange{
		{"one", []string{"CONFIG", "GET", "save"}, "*2\r\n" + bulk("save") + bulk("")},
		{"spelling asked", []string{"CONFIG", "GET", "SAVE"}, "*2\r\n" + bulk("SAVE") + bulk("")},
		{"once per parameter", []string{"CONFIG", "GET", "save", "SAVE", "sav*"}, "*2\r\n" + bulk("save") + bulk("")},
		{"unknown", []string{"CONFIG", "GET", "nosuch"}, "*0\r\n"},
		{"glob", []string{"CONFIG", "GET", "max*-polic?"}, "*2\r\n" + bulk("maxmemory-policy") + bulk("noeviction")},
		{"class glob", []string{"CONFIG", "GET", "[a]ppend[fo][sn]*"}, "*4\r\n" + bulk("appendfsync") + bulk("always") + bulk("appendonly") + bulk("no")},
		{"several", []string{"CONFIG", "GET", "databases", "maxmemory"}, "*4\r\n" + bulk("databases") + bulk("16") + bulk("maxmemory") + bulk("0")},
		{"limits", []string{"CONFIG", "GET", "proto-max-bulk-len"}, "*2\r\n" + bulk("proto-max-bulk-len") + bulk("536870912")},
		{"bind", []string{"CONFIG", "GET", "bind"}, "*2\r\n" + bulk("bind") + bulk("127.0.0.1")},
		{"arity", []string{"CONFIG", "GET"}, "-ERR wrong number of arguments for 'config|get' command\r\n"},
		{"container alone", []string{"CONFIG"}, "-ERR wrong number of arguments for 'config' command\r\n"},
		{"unknown subcommand", []string{"CONFIG", "foo"}, "-ERR unknown subcommand 'foo'. Try CONFIG HELP.\r\n"},
		{"rewrite: no config file", []string{"CONFIG", "REWRITE"}, "-ERR The server is running without a config file\r\n"},
		{"resetstat arity", []string{"CONFIG", "RESETSTAT", "x"}, "-ERR wrong number of arguments for 'config|resetstat' command\r\n"},
	})
	if got := r.do("CONFIG", "GET", "port"); got != "*2\r\n"+bulk("port")+bulk(ts.addr[strings.LastIndexByte(ts.addr, ':')+1:]) {
		t.Errorf("CONFIG GET port = %q", got)
	}
	r.do("HELLO", "3")
	if got := r.do("CONFIG", "GET", "appendonly"); got != "%1\r\n"+bulk("appendonly")+bulk("no") {
		t.Errorf("RESP3 CONFIG GET = %q, want a map", got)
	}
}

func TestConfigSet(t *testing.T) {
	r := dialRaw(t, startServer(t))
	failed := func(name, reason string) string {
		return "-ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + reason + "\r\n"
	}
	runExchanges(t, r, []exchange{
		{"arity", []string{"CONFIG", "SET", "save"}, "-ERR wrong number of arguments for 'config|set' command\r\n"},
		{"odd arguments", []string{"CONFIG", "SET", "a", "b", "c"}, "-ERR syntax error\r\n"},
		{"unknown", []string{"CONFIG", "SET", "nosuch", "1"}, "-ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'\r\n"},
		{"first error wins", []string{"CONFIG", "SET", "foo", "1", "daemonize", "yes"}, "-ERR Unknown option or number of arguments for CONFIG SET - 'foo'\r\n"},
		{"first error wins, immutable", []string{"CONFIG", "SET", "daemonize", "yes", "foo", "1"}, failed("daemonize", "can't set immutable config")},
		{"immutable in Redis", []string{"CONFIG", "SET", "DATABASES", "1"}, failed("DATABASES", "can't set immutable config")},
		{"fixed here, same value", []string{"CONFIG", "SET", "save", "", "appendonly", "NO"}, "+OK\r\n"},
		{"fixed here, new value", []string{"CONFIG", "SET", "appendfsync", "everysec"}, failed("appendfsync", "can't set immutable config")},
		{"appendonly: reported back, changes nothing", []string{"CONFIG", "SET", "appendonly", "yes"}, "+OK\r\n"},
		{"appendonly read back", []string{"CONFIG", "GET", "appendonly"}, "*2\r\n" + bulk("appendonly") + bulk("yes")},
		{"appendonly: yes or no", []string{"CONFIG", "SET", "appendonly", "maybe"}, failed("appendonly", "argument must be 'yes' or 'no'")},
		{"appendonly back off", []string{"CONFIG", "SET", "appendonly", "no", "aof-use-rdb-preamble", "no"}, "+OK\r\n"},
		{"duplicate", []string{"CONFIG", "SET", "timeout", "0", "timeout", "0"}, failed("timeout", "duplicate parameter")},
		{"not an integer", []string{"CONFIG", "SET", "maxclients", "05"}, failed("maxclients", "argument couldn't be parsed into an integer")},
		{"too small", []string{"CONFIG", "SET", "maxclients", "0"}, failed("maxclients", "argument must be between 1 and 4294967295 inclusive")},
		{"too large", []string{"CONFIG", "SET", "maxclients", "5000000000"}, failed("maxclients", "argument must be between 1 and 4294967295 inclusive")},
		{"all or nothing", []string{"CONFIG", "SET", "maxclients", "7", "appendfsync", "no"}, failed("appendfsync", "can't set immutable config")},
		{"unchanged", []string{"CONFIG", "GET", "maxclients"}, "*2\r\n" + bulk("maxclients") + bulk("10000")},
		{"set", []string{"CONFIG", "SET", "MAXCLIENTS", "20"}, "+OK\r\n"},
		{"read back", []string{"CONFIG", "GET", "maxclients"}, "*2\r\n" + bulk("maxclients") + bulk("20")},
	})
}

func TestMaxClients(t *testing.T) {
	addr := startServer(t)
	first := dialRaw(t, addr)
	if got := first.do("CONFIG", "SET", "maxclients", "1"); got != "+OK\r\n" {
		t.Fatalf("CONFIG SET maxclients = %q", got)
	}
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 64)
	n, _ := nc.Read(buf)
	if got := string(buf[:n]); got != "-ERR max number of clients reached\r\n" {
		t.Errorf("connection over the limit got %q", got)
	}
	if got := infoBody(t, first.do("INFO", "stats")); !strings.Contains(got, "rejected_connections:1\r\n") {
		t.Errorf("INFO stats = %q", got)
	}
}

func TestConfigHelp(t *testing.T) {
	r := dialRaw(t, startServer(t))
	want := "*11\r\n+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n" +
		"+GET <pattern>\r\n+    Return parameters matching the glob-like <pattern> and their values.\r\n" +
		"+SET <directive> <value>\r\n+    Set the configuration <directive> to <value>.\r\n" +
		"+RESETSTAT\r\n+    Reset statistics reported by the INFO command.\r\n" +
		"+REWRITE\r\n+    Rewrite the configuration file.\r\n" +
		"+HELP\r\n+    Prints this help.\r\n"
	if got := r.do("config", "help"); got != want {
		t.Errorf("CONFIG HELP =\n%q\nwant\n%q", got, want)
	}
}

// outputLimitSteps are CONFIG SET client-output-buffer-limit values, in
// order from the defaults, with the reply and the CONFIG GET value after
// each, as redis-server 7.0.15 gave them.
var outputLimitSteps = []struct{ set, reply, get string }{
	{"normal 10mb 5mb 10", "OK", "normal 10485760 5242880 10 slave 268435456 67108864 60 pubsub 33554432 8388608 60"},
	{"NORMAL 1 2 3", "OK", "normal 1 2 3 slave 268435456 67108864 60 pubsub 33554432 8388608 60"},
	{"replica 1k 2kb 3", "OK", "normal 1 2 3 slave 1000 2048 3 pubsub 33554432 8388608 60"},
	{"slave 1g 2GB 0", "OK", "normal 1 2 3 slave 1000000000 2147483648 0 pubsub 33554432 8388608 60"},
	{"pubsub 0 0 0", "OK", "normal 1 2 3 slave 1000000000 2147483648 0 pubsub 0 0 0"},
	{"normal 1 2", errOutputLimitCount, ""},
	{"", "OK", ""},
	{"master 1 2 3", errOutputLimitClass, ""},
	{"foo 1 2 3", errOutputLimitClass, ""},
	{"normal -1 2 3", errOutputLimitNumber, ""},
	{"normal 1 2 -3", errOutputLimitNumber, ""},
	{"normal 1.5mb 2 3", errOutputLimitNumber, ""},
	{"normal 1 2 3x", errOutputLimitNumber, ""},
	{"normal  1 2 3", errOutputLimitCount, ""},
	{" normal 1 2 3", errOutputLimitCount, ""},
	{"normal 10 20 3", "OK", "normal 10 20 3 slave 1000000000 2147483648 0 pubsub 0 0 0"},
	{"normal 1 2 3 normal 4 5 6", "OK", "normal 4 5 6 slave 1000000000 2147483648 0 pubsub 0 0 0"},
	{"normal 1 2 3 foo 1 2 3", errOutputLimitClass, ""},
	{"normal 1m 1b 1", "OK", "normal 1000000 1 1 slave 1000000000 2147483648 0 pubsub 0 0 0"},
	{"normal 18446744073709551615 0 0", "OK", "normal 18446744073709551615 0 0 slave 1000000000 2147483648 0 pubsub 0 0 0"},
	{"normal 18446744073709551616 0 0", "OK", ""},
	{"normal 1 2 99999999999", "OK", "normal 1 2 1215752191 slave 1000000000 2147483648 0 pubsub 0 0 0"},
	{"normal 1 2 2147483648", errOutputLimitNumber, ""},
	{"normal 1 2 4294967296", "OK", "normal 1 2 0 slave 1000000000 2147483648 0 pubsub 0 0 0"},
	{"normal 0x10 0 0", errOutputLimitNumber, ""},
	{"normal +5 0 0", errOutputLimitNumber, ""},
	{"normal 1 2 +3", "OK", "normal 1 2 3 slave 1000000000 2147483648 0 pubsub 0 0 0"},
	{"normal 1 2 03", "OK", ""},
	{"normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60", "OK", "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"},
	{"normal 7 7 7 normal -1 2 3", errOutputLimitNumber, ""},
	{"normal mb 0 0", "OK", ""},
	{"normal k 1 1", "OK", "normal 0 1 1 slave 268435456 67108864 60 pubsub 33554432 8388608 60"},
	{"normal 1 2 ", "OK", "normal 1 2 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"},
	{"normal 1 2 99999999999999999999", errOutputLimitNumber, ""},
	{"normal 1 2 -0", "OK", ""},
	{"normal 18446744073709551615kb 0 0", "OK", "normal 18446744073709550592 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"},
	{"normal 1K 2Mb 3", "OK", "normal 1000 2097152 3 slave 268435456 67108864 60 pubsub 33554432 8388608 60"},
	{"Replica 1 1 1", "OK", "normal 1000 2097152 3 slave 1 1 1 pubsub 33554432 8388608 60"},
	{"normal 1 2 3\t", errOutputLimitNumber, ""},
	{"normal 012 0 0", "OK", "normal 12 0 0 slave 1 1 1 pubsub 33554432 8388608 60"},
	{"normal 1 2 3 slave", errOutputLimitCount, ""},
	{"normal 1 2 \t5", "OK", "normal 1 2 5 slave 1 1 1 pubsub 33554432 8388608 60"},
	{"normal 1 2 -99999999999999999999", "OK", "normal 1 2 0 slave 1 1 1 pubsub 33554432 8388608 60"},
	{"normal 1 2 -4294967296", "OK", ""},
	{"normal 1 2 +", errOutputLimitNumber, ""},
	{"normal 1 2 -", errOutputLimitNumber, ""},
	{"normal 1 2 \t", errOutputLimitNumber, ""},
	{"normal " + strings.Repeat("0", 129) + "5 0 0", errOutputLimitNumber, ""},
	{"normal " + strings.Repeat("0", 126) + "5 0 0", "OK", "normal 5 0 0 slave 1 1 1 pubsub 33554432 8388608 60"},
	{"normal 1 2 3 ", errOutputLimitCount, ""},
	{"normal 1 2 3 master 1 2 3", errOutputLimitClass, ""},
}

func TestConfigOutputBufferLimit(t *testing.T) {
	r := dialRaw(t, startServer(t))
	get := func() string { return r.do("CONFIG", "GET", "client-output-buffer-limit") }
	wantGet := func(v string) string { return "*2\r\n" + bulk("client-output-buffer-limit") + bulk(v) }
	const defaults = "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"
	if got := get(); got != wantGet(defaults) {
		t.Fatalf("default: CONFIG GET = %q, want %q", got, wantGet(defaults))
	}
	last := defaults
	for i, st := range outputLimitSteps {
		want := "+OK\r\n"
		if st.reply != "OK" {
			want = "-ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - " + st.reply + "\r\n"
		}
		if got := r.do("CONFIG", "SET", "client-output-buffer-limit", st.set); got != want {
			t.Fatalf("step %d: CONFIG SET %q = %q, want %q", i, st.set, got, want)
		}
		if st.get != "" {
			last = st.get
		}
		if got := get(); got != wantGet(last) {
			t.Fatalf("step %d: after CONFIG SET %q, CONFIG GET = %q, want %q", i, st.set, got, wantGet(last))
		}
	}
}

func TestConfigTimeout(t *testing.T) {
	r := dialRaw(t, startServer(t))
	failed := func(name, reason string) string {
		return "-ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + reason + "\r\n"
	}
	const notInt, outOfRange = "argument couldn't be parsed into an integer", "argument must be between 0 and 2147483647 inclusive"
	get := func(v string) string { return "*2\r\n" + bulk("timeout") + bulk(v) }
	runExchanges(t, r, []exchange{
		{"default", []string{"CONFIG", "GET", "timeout"}, get("0")},
		{"set", []string{"CONFIG", "SET", "timeout", "5"}, "+OK\r\n"},
		{"read back", []string{"CONFIG", "GET", "timeout"}, get("5")},
		{"negative", []string{"CONFIG", "SET", "timeout", "-1"}, failed("timeout", outOfRange)},
		{"not a number", []string{"CONFIG", "SET", "timeout", "abc"}, failed("timeout", notInt)},
		{"INT_MAX", []string{"CONFIG", "SET", "timeout", "2147483647"}, "+OK\r\n"},
		{"past INT_MAX", []string{"CONFIG", "SET", "timeout", "2147483648"}, failed("timeout", outOfRange)},
		{"unit", []string{"CONFIG", "SET", "timeout", "1k"}, failed("timeout", notInt)},
		{"leading zero", []string{"CONFIG", "SET", "timeout", "010"}, failed("timeout", notInt)},
		{"plus sign", []string{"CONFIG", "SET", "timeout", "+5"}, failed("timeout", notInt)},
		{"empty", []string{"CONFIG", "SET", "timeout", ""}, failed("timeout", notInt)},
		{"space", []string{"CONFIG", "SET", "timeout", " 5"}, failed("timeout", notInt)},
		{"fraction", []string{"CONFIG", "SET", "timeout", "5.0"}, failed("timeout", notInt)},
		{"minus zero", []string{"CONFIG", "SET", "timeout", "-0"}, failed("timeout", notInt)},
		{"unchanged", []string{"CONFIG", "GET", "timeout"}, get("2147483647")},
		{"with another", []string{"CONFIG", "SET", "timeout", "0", "client-output-buffer-limit", "normal 5 5 5"}, "+OK\r\n"},
		{"all or nothing", []string{"CONFIG", "SET", "timeout", "1", "client-output-buffer-limit", "normal 5 5"},
			failed("client-output-buffer-limit", errOutputLimitCount)},
		{"untouched", []string{"CONFIG", "GET", "timeout"}, get("0")},
	})
}

// TestQueryBufferLimitSet: CONFIG SET client-query-buffer-limit holds every
// client's next command to the new limit, one connected before included,
// as Redis's does.
func TestQueryBufferLimitSet(t *testing.T) {
	addr := startServer(t)
	admin, before := dialRaw(t, addr), dialRaw(t, addr)
	if got := admin.do("CONFIG", "SET", "client-query-buffer-limit", "1mb"); got != "+OK\r\n" {
		t.Fatalf("CONFIG SET: %q", got)
	}
	if got := admin.do("CONFIG", "GET", "client-query-buffer-limit"); got != "*2\r\n$25\r\nclient-query-buffer-limit\r\n$7\r\n1048576\r\n" {
		t.Fatalf("CONFIG GET: %q", got)
	}
	// The node answers and closes before the client has sent it all: write
	// on a goroutine of its own, whose error (reset) does not matter.
	big := "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2097152\r\n" + strings.Repeat("x", 2<<20) + "\r\n"
	go before.nc.Write([]byte(big))
	before.nc.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, err := before.rd.ReadString('\n')
	if want := "-ERR Protocol error: command exceeds the query buffer limit of 1048576 bytes\r\n"; err != nil || line != want {
		t.Fatalf("a 2 MB SET after the limit fell to 1 MB: %q, %v; want %q", line, err, want)
	}
	if got := admin.do("CONFIG", "SET", "client-query-buffer-limit", "1gb"); got != "+OK\r\n" {
		t.Fatalf("CONFIG SET back: %q", got)
	}
	fresh := dialRaw(t, addr)
	if got := fresh.do("SET", "k", strings.Repeat("x", 2<<20)); got != "+OK\r\n" {
		t.Fatalf("a 2 MB SET after the limit rose to 1 GB: %q", got)
	}
}
