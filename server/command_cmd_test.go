package server

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/geetcache/geetcache/protocol"
)

func TestCommandInfo(t *testing.T) {
	r := dialRaw(t, startServer(t))
	// Redis 7.0.15's, byte for byte: GET's key spec, LASTSAVE's tip.
	getSpec := "*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n"
	getInfo := "*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n" +
		"*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n" + getSpec + "*0\r\n"
	clientID := "*10\r\n$9\r\nclient|id\r\n:2\r\n*3\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n" +
		"*2\r\n+@slow\r\n+@connection\r\n*0\r\n*0\r\n*0\r\n"
	runExchanges(t, r, []exchange{
		{"get", []string{"COMMAND", "INFO", "get"}, "*1\r\n" + getInfo},
		{"any case", []string{"command", "info", "GET"}, "*1\r\n" + getInfo},
		{"subcommand by full name", []string{"COMMAND", "INFO", "client|id"}, "*1\r\n" + clientID},
		{"unknown names are null", []string{"COMMAND", "INFO", "", "nosuch", "get|x", "|", "client|"},
			"*5\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n"},
		{"admin implies dangerous", []string{"COMMAND", "INFO", "lastsave", "save"},
			"*2\r\n*10\r\n$8\r\nlastsave\r\n:1\r\n*3\r\n+loading\r\n+stale\r\n+fast\r\n:0\r\n:0\r\n:0\r\n" +
				"*3\r\n+@admin\r\n+@fast\r\n+@dangerous\r\n*1\r\n$23\r\nnondeterministic_output\r\n*0\r\n*0\r\n" +
				"*10\r\n$4\r\nsave\r\n:1\r\n*4\r\n+admin\r\n+noscript\r\n+no_async_loading\r\n+no_multi\r\n:0\r\n:0\r\n:0\r\n" +
				"*3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n*0\r\n*0\r\n*0\r\n"},
		{"count arity", []string{"COMMAND", "COUNT", "x"}, "-ERR wrong number of arguments for 'command|count' command\r\n"},
		{"unknown subcommand", []string{"COMMAND", "foo"}, "-ERR unknown subcommand 'foo'. Try COMMAND HELP.\r\n"},
	})
	r.do("HELLO", "3")
	want := "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n" +
		"~3\r\n+@read\r\n+@string\r\n+@fast\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n" +
		"$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n" +
		"$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n" +
		"$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n"
	if got := r.do("COMMAND", "INFO", "get"); got != want {
		t.Errorf("RESP3 COMMAND INFO get:\n got %q\nwant %q", got, want)
	}
}

// TestCommandMatchesTable checks COMMAND, COUNT and LIST against the table
// through go-redis, which parses COMMAND's reply the way clients do.
func TestCommandMatchesTable(t *testing.T) {
	ts := startTestServer(t)
	rdb := redis.NewClient(&redis.Options{Addr: ts.addr})
	t.Cleanup(func() { rdb.Close() })
	ctx := context.Background()
	cmds, err := rdb.Command(ctx).Result()
	if err != nil {
		t.Fatalf("COMMAND: %v", err)
	}
	count, _ := rdb.Do(ctx, "COMMAND", "COUNT").Int64()
	if len(cmds) != ts.srv.table.Len() || count != int64(len(cmds)) {
		t.Errorf("COMMAND has %d commands, COUNT says %d, the table %d", len(cmds), count, ts.srv.table.Len())
	}
	for _, c := range ts.srv.table.All() {
		info := cmds[c.Name]
		if info == nil || info.Arity != int8(c.Arity) || info.FirstKeyPos != int8(c.FirstKey) ||
			info.LastKeyPos != int8(c.LastKey) || info.StepCount != int8(c.Step) {
			t.Errorf("COMMAND entry for %s = %+v, table %+v", c.Name, info, c)
		}
	}
	names, err := rdb.CommandList(ctx, nil).Result()
	if err != nil || !slices.Contains(names, "client|list") || !slices.Contains(names, "get") {
		t.Errorf("COMMAND LIST = %v, %v", names, err)
	}
}

func TestCommandList(t *testing.T) {
	r := dialRaw(t, startServer(t))
	cases := []struct {
		name string
		args []string
		want []string // exact list, or nil when checking with has
		has  []string
		not  []string
	}{
		{name: "pattern over subcommands", args: []string{"FILTERBY", "PATTERN", "config|*"},
			want: []string{"config|get", "config|help", "config|resetstat", "config|rewrite", "config|set"}},
		{name: "pattern any case", args: []string{"filterby", "pattern", "CONFIG"}, want: []string{"config"}},
		{name: "acl category", args: []string{"FILTERBY", "ACLCAT", "CONNECTION"},
			has: []string{"ping", "auth", "client|list", "command|docs"}, not: []string{"client", "get", "config|get"}},
		{name: "dangerous", args: []string{"FILTERBY", "aclcat", "dangerous"}, has: []string{"info", "config|set", "debug"}},
		{name: "unknown category", args: []string{"FILTERBY", "ACLCAT", "nosuch"}, want: []string{}},
		{name: "no modules", args: []string{"FILTERBY", "MODULE", "x"}, want: []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := bulkArray(t, r.do(append([]string{"COMMAND", "LIST"}, tc.args...)...))
			if tc.want != nil && strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			for _, h := range tc.has {
				if !slices.Contains(got, h) {
					t.Errorf("%v lacks %s", got, h)
				}
			}
			for _, n := range tc.not {
				if slices.Contains(got, n) {
					t.Errorf("%v has %s", got, n)
				}
			}
		})
	}
	runExchanges(t, r, []exchange{
		{"bad filter", []string{"COMMAND", "LIST", "FILTERBY", "foo", "x"}, "-ERR syntax error\r\n"},
		{"filter without argument", []string{"COMMAND", "LIST", "FILTERBY", "aclcat"}, "-ERR syntax error\r\n"},
		{"junk", []string{"COMMAND", "LIST", "foo"}, "-ERR syntax error\r\n"},
	})
}

// bulkArray parses an array of bulk strings.
func bulkArray(t *testing.T, reply string) []string {
	t.Helper()
	parts := strings.Split(reply, "\r\n")
	n, err := strconv.Atoi(strings.TrimPrefix(parts[0], "*"))
	if err != nil || !strings.HasPrefix(reply, "*") {
		t.Fatalf("not an array: %q", reply)
	}
	out := []string{}
	for i := 0; i < n; i++ {
		out = append(out, parts[2+2*i])
	}
	return out
}

// TestCommandDocs: Redis 7.0.15's documentation (command_docs_redis.go),
// as redis-server 7.0.15 answers (cmd/geetcache TestCommandDocsMatchRedis
// compares every command), and the table's own for RAFT.
func TestCommandDocs(t *testing.T) {
	r := dialRaw(t, startServer(t))
	echoArgs := bulk("arguments") + "*1\r\n*4\r\n" + bulk("name") + bulk("message") + bulk("type") + bulk("string")
	echoDocs := bulk("echo") + "*10\r\n" + bulk("summary") + bulk("Echo the given string") +
		bulk("since") + bulk("1.0.0") + bulk("group") + bulk("connection") + bulk("complexity") + bulk("O(1)") + echoArgs
	runExchanges(t, r, []exchange{
		{"one command", []string{"COMMAND", "DOCS", "echo"}, "*2\r\n" + echoDocs},
		{"unknown skipped", []string{"COMMAND", "DOCS", "nosuch", "echo", ""}, "*2\r\n" + echoDocs},
		{"subcommand", []string{"COMMAND", "DOCS", "config|help"}, "*2\r\n" + bulk("config|help") + "*8\r\n" +
			bulk("summary") + bulk("Show helpful text about the different subcommands") +
			bulk("since") + bulk("5.0.0") + bulk("group") + bulk("server") + bulk("complexity") + bulk("O(1)")},
		{"geetcache's own", []string{"COMMAND", "DOCS", "raft|help"}, "*2\r\n" + bulk("raft|help") + "*6\r\n" +
			bulk("summary") + bulk("Show helpful text about the different subcommands") +
			bulk("since") + bulk("7.0.0") + bulk("group") + bulk("server")},
	})
	got := r.do("COMMAND", "DOCS", "config")
	for _, want := range []string{"*2\r\n" + bulk("config") + "*10\r\n", bulk("subcommands") + "*10\r\n" + bulk("config|get")} {
		if !strings.Contains(got, want) {
			t.Errorf("COMMAND DOCS config = %q, missing %q", got, want)
		}
	}
	r.do("HELLO", "3")
	want := "%1\r\n" + strings.Replace(strings.Replace(echoDocs, "*10", "%5", 1), "*4\r\n", "%2\r\n", 1)
	if got := r.do("COMMAND", "DOCS", "echo"); got != want {
		t.Errorf("RESP3 COMMAND DOCS echo = %q, want %q", got, want)
	}
}

func TestCommandGetKeys(t *testing.T) {
	r := dialRaw(t, startServer(t))
	runExchanges(t, r, []exchange{
		{"one key", []string{"COMMAND", "GETKEYS", "GET", "a"}, "*1\r\n$1\r\na\r\n"},
		{"every key", []string{"COMMAND", "GETKEYS", "del", "a", "b", "c"}, "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"},
		{"arity", []string{"COMMAND", "GETKEYS", "get"}, "-ERR wrong number of arguments for 'command|getkeys' command\r\n"},
		{"command arity", []string{"COMMAND", "GETKEYS", "get", "a", "b"}, "-ERR Invalid number of arguments specified for command\r\n"},
		{"no keys", []string{"COMMAND", "GETKEYS", "ping", "a"}, "-ERR The command has no key arguments\r\n"},
		{"subcommand without keys", []string{"COMMAND", "GETKEYS", "client", "list"}, "-ERR The command has no key arguments\r\n"},
		{"unknown", []string{"COMMAND", "GETKEYS", "nosuch", "a"}, "-ERR Invalid command specified\r\n"},
		{"unknown subcommand", []string{"COMMAND", "GETKEYS", "client", "foo"}, "-ERR Invalid command specified\r\n"},
	})
}

func TestKeyPositions(t *testing.T) {
	mset := &protocol.Command{Name: "mset", Arity: -3, FirstKey: 1, LastKey: -1, Step: 2}
	rename := &protocol.Command{Name: "rename", Arity: 3, FirstKey: 1, LastKey: 2, Step: 1}
	zunionstore := &protocol.Command{Name: "zunionstore", Arity: -4, FirstKey: 1, LastKey: 1, Step: 1, KeyCount: 2}
	eval := &protocol.Command{Name: "eval", Arity: -3, KeyCount: 2}
	cases := []struct {
		name string
		cmd  *protocol.Command
		argv []string
		want []int
		ok   bool
	}{
		{"stepped range", mset, []string{"mset", "a", "1", "b", "2"}, []int{1, 3}, true},
		{"stepped range, odd count", mset, []string{"mset", "a", "1", "b"}, []int{1, 3}, true},
		{"fixed range", rename, []string{"rename", "a", "b"}, []int{1, 2}, true},
		{"range past the end", rename, []string{"rename", "a"}, nil, false},
		{"destination and counted keys", zunionstore, []string{"zunionstore", "d", "2", "a", "b"}, []int{1, 3, 4}, true},
		{"count past the end", zunionstore, []string{"zunionstore", "d", "5", "a", "b"}, nil, false},
		{"count not a number", zunionstore, []string{"zunionstore", "d", "x", "a"}, nil, false},
		{"zero counted keys", eval, []string{"eval", "s", "0"}, nil, true}, // GETKEYS answers [] (no_mandatory_keys)
		{"counted keys", eval, []string{"eval", "s", "1", "k", "arg"}, []int{3}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			argv := make([][]byte, len(tc.argv))
			for i, a := range tc.argv {
				argv[i] = []byte(a)
			}
			got, ok := keyPositions(tc.cmd, argv)
			if ok != tc.ok || !slices.Equal(got, tc.want) {
				t.Errorf("keyPositions = %v, %v; want %v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestCategories(t *testing.T) {
	cases := []struct {
		name string
		cmd  protocol.Command
		want string
	}{
		{"read string", protocol.Command{Name: "get", Group: "string", Flags: protocol.Readonly | protocol.Fast}, "read string fast"},
		{"write keyspace", protocol.Command{Name: "del", Group: "generic", Flags: protocol.Write}, "keyspace write slow"},
		{"declared dangerous", protocol.Command{Name: "keys", Group: "generic", Flags: protocol.Readonly}, "keyspace read slow dangerous"},
		{"sorted set group", protocol.Command{Name: "zadd", Group: "sorted-set", Flags: protocol.Write | protocol.DenyOOM | protocol.Fast}, "write sortedset fast"},
		{"pubsub flag", protocol.Command{Name: "publish", Group: "pubsub", Flags: protocol.PubSub | protocol.Fast}, "pubsub fast"},
		{"container declares none", protocol.Command{Name: "client", Group: "connection"}, "slow"},
		{"admin", protocol.Command{Name: "config|set", Group: "server", Flags: protocol.Admin}, "admin slow dangerous"},
		{"blocking", protocol.Command{Name: "blpop", Group: "list", Flags: protocol.Write | protocol.Blocking}, "write list slow blocking"},
		{"scripting is never read", protocol.Command{Name: "eval_ro", Group: "scripting", Flags: protocol.Readonly}, "slow scripting"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.Join(categoriesOf(&tc.cmd), " "); got != tc.want {
				t.Errorf("categories = %q, want %q", got, tc.want)
			}
		})
	}
}
