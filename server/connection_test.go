package server

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// exchange is one command and the exact reply Redis 7.0.15 gives to it.
type exchange struct {
	name string
	args []string
	want string
}

func runExchanges(t *testing.T, r *rawClient, cases []exchange) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := r.do(tc.args...); got != tc.want {
				t.Errorf("%q:\n got %q\nwant %q", tc.args, got, tc.want)
			}
		})
	}
}

func bulk(s string) string { return "$" + strconv.Itoa(len(s)) + "\r\n" + s + "\r\n" }

func helloReply(proto int, id string) string {
	head := "*14\r\n"
	if proto == 3 {
		head = "%7\r\n"
	}
	return head + bulk("server") + bulk("redis") + bulk("version") + bulk("7.0.15") +
		bulk("proto") + ":" + strconv.Itoa(proto) + "\r\n" + bulk("id") + ":" + id + "\r\n" +
		bulk("mode") + bulk("standalone") + bulk("role") + bulk("master") + bulk("modules") + "*0\r\n"
}

func TestConnectionCommands(t *testing.T) {
	r := dialRaw(t, startServer(t))
	id := strings.TrimSuffix(strings.TrimPrefix(r.do("CLIENT", "ID"), ":"), "\r\n")
	runExchanges(t, r, []exchange{
		{"ping", []string{"PING"}, "+PONG\r\n"},
		{"ping message", []string{"ping", "hi"}, "$2\r\nhi\r\n"},
		{"ping too many", []string{"PING", "a", "b"}, "-ERR wrong number of arguments for 'ping' command\r\n"},
		{"echo", []string{"ECHO", "x y"}, "$3\r\nx y\r\n"},
		{"echo arity", []string{"ECHO"}, "-ERR wrong number of arguments for 'echo' command\r\n"},
		{"select 0", []string{"SELECT", "0"}, "+OK\r\n"},
		{"select other db", []string{"SELECT", "1"}, "+OK\r\n"},
		{"select past the last db", []string{"SELECT", "16"}, "-ERR DB index is out of range\r\n"},
		{"select not a number", []string{"SELECT", "x"}, "-ERR value is not an integer or out of range\r\n"},
		{"auth password only", []string{"AUTH", "x"}, "-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n"},
		{"auth default user", []string{"AUTH", "default", "anything"}, "+OK\r\n"},
		{"auth user names are case-sensitive", []string{"AUTH", "DEFAULT", "x"}, "-WRONGPASS invalid username-password pair or user is disabled.\r\n"},
		{"auth unknown user", []string{"AUTH", "foo", "x"}, "-WRONGPASS invalid username-password pair or user is disabled.\r\n"},
		{"auth too many", []string{"AUTH", "a", "b", "c"}, "-ERR syntax error\r\n"},
		{"auth arity", []string{"AUTH"}, "-ERR wrong number of arguments for 'auth' command\r\n"},
		{"hello keeps protocol", []string{"HELLO"}, helloReply(2, id)},
		{"hello bad version", []string{"HELLO", "4"}, "-NOPROTO unsupported protocol version\r\n"},
		{"hello version not a number", []string{"HELLO", "x"}, "-ERR Protocol version is not an integer or out of range\r\n"},
		{"hello unknown user", []string{"HELLO", "3", "AUTH", "foo", "bar"}, "-WRONGPASS invalid username-password pair or user is disabled.\r\n"},
		{"hello bad name", []string{"HELLO", "3", "SETNAME", "a b"}, "-ERR Client names cannot contain spaces, newlines or special characters.\r\n"},
		{"hello name missing", []string{"HELLO", "3", "SETNAME"}, "-ERR Syntax error in HELLO option 'SETNAME'\r\n"},
		{"hello auth incomplete", []string{"HELLO", "2", "auth", "default"}, "-ERR Syntax error in HELLO option 'auth'\r\n"},
		{"hello name set before a bad option", []string{"HELLO", "3", "SETNAME", "early", "FOO"}, "-ERR Syntax error in HELLO option 'FOO'\r\n"},
		{"... stays set, protocol unchanged", []string{"CLIENT", "GETNAME"}, "$5\r\nearly\r\n"},
		{"hello 3 with auth and name", []string{"HELLO", "3", "AUTH", "default", "pw", "SETNAME", "n"}, helloReply(3, id)},
		{"resp3 null", []string{"CLIENT", "SETNAME", ""}, "+OK\r\n"},
		{"resp3 null name", []string{"CLIENT", "GETNAME"}, "_\r\n"},
		{"hello 2", []string{"HELLO", "2"}, helloReply(2, id)},
	})
}

func TestQuitClosesAfterReply(t *testing.T) {
	r := dialRaw(t, startServer(t))
	r.send("QUIT")
	r.send("PING")
	if got := r.reply(); got != "+OK\r\n" {
		t.Fatalf("QUIT replied %q", got)
	}
	buf := make([]byte, 1)
	if n, err := r.rd.Read(buf); err == nil {
		t.Fatalf("connection still open after QUIT: read %q", buf[:n])
	}
}

func TestTime(t *testing.T) {
	r := dialRaw(t, startServer(t))
	got := r.do("TIME")
	m := regexp.MustCompile(`^\*2\r\n\$10\r\n(\d{10})\r\n\$\d\r\n(\d{1,6})\r\n$`).FindStringSubmatch(got)
	if m == nil {
		t.Fatalf("TIME replied %q", got)
	}
	if sec, _ := strconv.ParseInt(m[1], 10, 64); sec < time.Now().Unix()-5 {
		t.Errorf("TIME seconds %d are not now", sec)
	}
	if got := r.do("TIME", "x"); got != "-ERR wrong number of arguments for 'time' command\r\n" {
		t.Errorf("TIME x replied %q", got)
	}
}
