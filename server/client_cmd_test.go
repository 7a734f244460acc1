package server

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// clientLine matches one CLIENT LIST line, field by field as Redis 7.0.15
// prints it.
var clientLine = regexp.MustCompile(`^id=(\d+) addr=127\.0\.0\.1:\d+ laddr=127\.0\.0\.1:\d+ fd=\d+ name=(\S*) age=\d+ idle=\d+ flags=([A-Za-z]+) db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=\d+ qbuf-free=\d+ argv-mem=\d+ multi-mem=0 rbs=0 rbp=0 obl=\d+ oll=0 omem=0 tot-mem=\d+ events=r cmd=(\S+) user=default redir=-1 resp=([23])$`)

// listLines splits a CLIENT LIST bulk reply into its lines.
func listLines(t *testing.T, reply string) [][]string {
	t.Helper()
	_, body, ok := strings.Cut(reply, "\r\n")
	if !ok || !strings.HasPrefix(reply, "$") {
		t.Fatalf("not a bulk string: %q", reply)
	}
	body = strings.TrimSuffix(strings.TrimSuffix(body, "\r\n"), "\n")
	var out [][]string
	for _, line := range strings.Split(body, "\n") {
		if line == "" {
			continue
		}
		m := clientLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("CLIENT LIST line does not match Redis's format:\n%s", line)
		}
		out = append(out, m[1:])
	}
	return out
}

func TestClientList(t *testing.T) {
	addr := startServer(t)
	a, b := dialRaw(t, addr), dialRaw(t, addr)
	aID := strings.Trim(a.do("CLIENT", "ID"), ":\r\n")
	bID := strings.Trim(b.do("CLIENT", "ID"), ":\r\n")
	a.do("CLIENT", "SETNAME", "alpha")
	b.do("HELLO", "3")
	b.do("CLIENT", "NO-EVICT", "on")

	lines := listLines(t, a.do("CLIENT", "LIST"))
	want := [][]string{{aID, "alpha", "N", "client|list", "2"}, {bID, "", "e", "client|no-evict", "3"}}
	if len(lines) != 2 || strings.Join(lines[0], " ") != strings.Join(want[0], " ") ||
		strings.Join(lines[1], " ") != strings.Join(want[1], " ") {
		t.Errorf("CLIENT LIST = %q, want %q", lines, want)
	}
	cases := []struct {
		name string
		args []string
		ids  []string
	}{
		{"type normal", []string{"TYPE", "normal"}, []string{aID, bID}},
		{"type pubsub", []string{"TYPE", "PUBSUB"}, nil},
		{"type replica", []string{"type", "replica"}, nil},
		{"ids in order asked, unknown skipped", []string{"ID", bID, "999999", aID}, []string{bID, aID}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var ids []string
			for _, l := range listLines(t, a.do(append([]string{"CLIENT", "LIST"}, tc.args...)...)) {
				ids = append(ids, l[0])
			}
			if strings.Join(ids, ",") != strings.Join(tc.ids, ",") {
				t.Errorf("ids %v, want %v", ids, tc.ids)
			}
		})
	}
	if got := b.do("CLIENT", "INFO"); !strings.HasPrefix(got, "=") || !strings.Contains(got, "txt:id="+bID+" ") {
		t.Errorf("CLIENT INFO in RESP3 = %q, want verbatim text", got)
	}
}

func TestClientErrors(t *testing.T) {
	r := dialRaw(t, startServer(t))
	runExchanges(t, r, []exchange{
		{"container alone", []string{"CLIENT"}, "-ERR wrong number of arguments for 'client' command\r\n"},
		{"unknown subcommand", []string{"CLIENT", "foo"}, "-ERR unknown subcommand 'foo'. Try CLIENT HELP.\r\n"},
		{"setinfo is Redis 7.2", []string{"client", "SETINFO", "lib-name", "x"}, "-ERR unknown subcommand 'SETINFO'. Try CLIENT HELP.\r\n"},
		{"no-touch is Redis 7.2", []string{"CLIENT", "NO-TOUCH", "on"}, "-ERR unknown subcommand 'NO-TOUCH'. Try CLIENT HELP.\r\n"},
		{"subcommand arity", []string{"CLIENT", "ID", "x"}, "-ERR wrong number of arguments for 'client|id' command\r\n"},
		{"setname arity", []string{"CLIENT", "SETNAME"}, "-ERR wrong number of arguments for 'client|setname' command\r\n"},
		{"setname space", []string{"CLIENT", "SETNAME", "a b"}, "-ERR Client names cannot contain spaces, newlines or special characters.\r\n"},
		{"getname unset", []string{"CLIENT", "GETNAME"}, "$-1\r\n"},
		{"setname", []string{"CLIENT", "SETNAME", "x"}, "+OK\r\n"},
		{"getname", []string{"CLIENT", "GETNAME"}, "$1\r\nx\r\n"},
		{"no-evict bad", []string{"CLIENT", "NO-EVICT", "maybe"}, "-ERR syntax error\r\n"},
		{"no-evict off", []string{"CLIENT", "NO-EVICT", "OFF"}, "+OK\r\n"},
		{"list bad type", []string{"CLIENT", "LIST", "TYPE", "bad"}, "-ERR Unknown client type 'bad'\r\n"},
		{"list bad id", []string{"CLIENT", "LIST", "ID", "1", "2", "abc"}, "-ERR Invalid client ID\r\n"},
		{"list id without ids", []string{"CLIENT", "LIST", "ID"}, "-ERR syntax error\r\n"},
		{"list junk", []string{"CLIENT", "LIST", "foo"}, "-ERR syntax error\r\n"},
		{"list no match", []string{"CLIENT", "LIST", "ID", "999999"}, "$0\r\n\r\n"},
		{"kill old form, no match", []string{"CLIENT", "KILL", "1.2.3.4:5"}, "-ERR No such client\r\n"},
		{"kill id zero", []string{"CLIENT", "KILL", "ID", "0"}, "-ERR client-id should be greater than 0\r\n"},
		{"kill id not a number", []string{"CLIENT", "KILL", "ID", "x"}, "-ERR client-id should be greater than 0\r\n"},
		{"kill id no match", []string{"CLIENT", "KILL", "ID", "999999"}, ":0\r\n"},
		{"kill bad type", []string{"CLIENT", "KILL", "TYPE", "foo"}, "-ERR Unknown client type 'foo'\r\n"},
		{"kill unknown user", []string{"CLIENT", "KILL", "USER", "foo"}, "-ERR No such user 'foo'\r\n"},
		{"kill bad skipme", []string{"CLIENT", "KILL", "USER", "default", "SKIPME", "maybe"}, "-ERR syntax error\r\n"},
		{"kill unknown option", []string{"CLIENT", "KILL", "foo", "bar"}, "-ERR syntax error\r\n"},
		{"kill option without value", []string{"CLIENT", "KILL", "id", "5", "type"}, "-ERR syntax error\r\n"},
		{"kill skips me by default", []string{"CLIENT", "KILL", "USER", "default"}, ":0\r\n"},
		{"help arity", []string{"CLIENT", "HELP", "x"}, "-ERR wrong number of arguments for 'client|help' command\r\n"},
	})
}

func TestClientKill(t *testing.T) {
	addr := startServer(t)
	admin, victim := dialRaw(t, addr), dialRaw(t, addr)
	victimID := strings.Trim(victim.do("CLIENT", "ID"), ":\r\n")
	if got := admin.do("CLIENT", "KILL", "ID", victimID); got != ":1\r\n" {
		t.Fatalf("CLIENT KILL ID replied %q", got)
	}
	if lines := listLines(t, admin.do("CLIENT", "LIST")); len(lines) != 1 {
		t.Errorf("killed client still listed: %v", lines)
	}
	victim.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := victim.rd.ReadByte(); err == nil {
		t.Error("killed connection still open")
	}
	// The old form may kill the caller itself, after the reply.
	addrLine := regexp.MustCompile(`addr=(\S+)`).FindStringSubmatch(admin.do("CLIENT", "INFO"))
	if got := admin.do("CLIENT", "KILL", addrLine[1]); got != "+OK\r\n" {
		t.Fatalf("CLIENT KILL addr replied %q", got)
	}
	admin.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := admin.rd.ReadByte(); err == nil {
		t.Error("connection that killed itself is still open")
	}
}

func TestClientHelp(t *testing.T) {
	r := dialRaw(t, startServer(t))
	got := r.do("client", "help")
	for _, want := range []string{"*48\r\n+CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n",
		"+UNPAUSE\r\n+    Stop the current client pause, resuming traffic.\r\n+PAUSE <timeout> [WRITE|ALL]\r\n+    Suspend all, or just write, clients for <timeout> milliseconds.\r\n+REPLY (ON|OFF|SKIP)\r\n",
		"+NO-EVICT (ON|OFF)\r\n+    Protect current client connection from eviction.\r\n+HELP\r\n+    Prints this help.\r\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("CLIENT HELP = %q, missing %q", got, want)
		}
	}
}

// TestGoRedisHandshake checks that go-redis v9, which sends HELLO 3 and
// CLIENT SETINFO (Redis 7.2) on connect, works: it ignores SETINFO's error.
func TestGoRedisHandshake(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: startServer(t), ClientName: "gr"})
	t.Cleanup(func() { rdb.Close() })
	ctx := context.Background()
	if err := rdb.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatalf("SET: %v", err)
	}
	name, err := rdb.ClientGetName(ctx).Result()
	if err != nil || name != "gr" {
		t.Errorf("CLIENT GETNAME = %q, %v", name, err)
	}
	info, err := rdb.ClientInfo(ctx).Result()
	if err != nil || info.Name != "gr" || info.Resp != 3 || info.LastCmd != "client|info" {
		t.Errorf("CLIENT INFO = %+v, %v", info, err)
	}
}
