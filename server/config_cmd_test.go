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
		{"class glob", []string{"CONFIG", "GET", "[a]ppend*"}, "*4\r\n" + bulk("appendfsync") + bulk("always") + bulk("appendonly") + bulk("no")},
		{"several", []string{"CONFIG", "GET", "databases", "maxmemory"}, "*4\r\n" + bulk("databases") + bulk("1") + bulk("maxmemory") + bulk("0")},
		{"limits", []string{"CONFIG", "GET", "proto-max-bulk-len"}, "*2\r\n" + bulk("proto-max-bulk-len") + bulk("536870912")},
		{"bind", []string{"CONFIG", "GET", "bind"}, "*2\r\n" + bulk("bind") + bulk("127.0.0.1")},
		{"arity", []string{"CONFIG", "GET"}, "-ERR wrong number of arguments for 'config|get' command\r\n"},
		{"container alone", []string{"CONFIG"}, "-ERR wrong number of arguments for 'config' command\r\n"},
		{"unknown subcommand", []string{"CONFIG", "foo"}, "-ERR unknown subcommand 'foo'. Try CONFIG HELP.\r\n"},
		{"rewrite: no config file", []string{"CONFIG", "REWRITE"}, "-ERR unknown subcommand 'REWRITE'. Try CONFIG HELP.\r\n"},
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
		{"fixed here, new value", []string{"CONFIG", "SET", "appendonly", "yes"}, failed("appendonly", "can't set immutable config")},
		{"duplicate", []string{"CONFIG", "SET", "timeout", "0", "timeout", "0"}, failed("timeout", "duplicate parameter")},
		{"not an integer", []string{"CONFIG", "SET", "maxclients", "05"}, failed("maxclients", "argument couldn't be parsed into an integer")},
		{"too small", []string{"CONFIG", "SET", "maxclients", "0"}, failed("maxclients", "argument must be between 1 and 4294967295 inclusive")},
		{"too large", []string{"CONFIG", "SET", "maxclients", "5000000000"}, failed("maxclients", "argument must be between 1 and 4294967295 inclusive")},
		{"all or nothing", []string{"CONFIG", "SET", "maxclients", "7", "save", "1 1"}, failed("save", "can't set immutable config")},
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
	want := "*9\r\n+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n" +
		"+GET <pattern>\r\n+    Return parameters matching the glob-like <pattern> and their values.\r\n" +
		"+SET <directive> <value>\r\n+    Set the configuration <directive> to <value>.\r\n" +
		"+RESETSTAT\r\n+    Reset statistics reported by the INFO command.\r\n" +
		"+HELP\r\n+    Prints this help.\r\n"
	if got := r.do("config", "help"); got != want {
		t.Errorf("CONFIG HELP =\n%q\nwant\n%q", got, want)
	}
}
