package server

import (
	"strconv"
	"testing"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

func TestParseReadIndex(t *testing.T) {
	cases := []struct {
		name   string
		reply  string
		want   readIndex
		errMsg string
	}{
		{"index and time", "*2\r\n:42\r\n:1700000000123\r\n", readIndex{42, 1700000000123}, ""},
		{"zero", "*2\r\n:0\r\n:0\r\n", readIndex{}, ""},
		{"largest", "*2\r\n:9223372036854775807\r\n:-5\r\n", readIndex{1<<63 - 1, -5}, ""},
		{"not leader", "-CLUSTERDOWN no Raft leader is available; the command was not applied\r\n", readIndex{},
			"CLUSTERDOWN no Raft leader is available; the command was not applied"},
		{"index alone (no TIME)", ":42\r\n", readIndex{}, protocol.ErrReplyBadReadIndex},
		{"negative index", "*2\r\n:-1\r\n:5\r\n", readIndex{}, protocol.ErrReplyBadReadIndex},
		{"one element", "*1\r\n:1\r\n", readIndex{}, protocol.ErrReplyBadReadIndex},
		{"three elements", "*3\r\n:1\r\n:2\r\n:3\r\n", readIndex{}, protocol.ErrReplyBadReadIndex},
		{"bulk time", "*2\r\n:1\r\n$1\r\n2\r\n", readIndex{}, protocol.ErrReplyBadReadIndex},
		{"not an integer", "+OK\r\n", readIndex{}, protocol.ErrReplyBadReadIndex},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, errMsg := parseReadIndex([]byte(tc.reply))
			if got != tc.want || errMsg != tc.errMsg {
				t.Fatalf("parseReadIndex(%q) = %+v, %q; want %+v, %q", tc.reply, got, errMsg, tc.want, tc.errMsg)
			}
		})
	}
}

func TestParseFollowerReads(t *testing.T) {
	cases := []struct {
		in   string
		want FollowerReads
		ok   bool
	}{
		{"forward", ForwardReads, true},
		{"readindex", ReadIndexReads, true},
		{"ReadIndex", 0, false},
		{"", 0, false},
		{"local", 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseFollowerReads(tc.in)
			if (err == nil) != tc.ok || got != tc.want {
				t.Fatalf("ParseFollowerReads(%q) = %v, %v", tc.in, got, err)
			}
			if tc.ok && got.String() != tc.in {
				t.Fatalf("String() = %q, want %q", got.String(), tc.in)
			}
		})
	}
}

// startReadIndexServer is startTestServer in readindex mode.
func startReadIndexServer(t *testing.T) *testServer {
	t.Helper()
	return startServerWith(t, func(c *Config) { c.ElectionWait, c.FollowerReads = time.Second, ReadIndexReads })
}

// TestReadIndexOnLeader: in readindex mode the leader answers RAFT
// READINDEX with the index of its last applied write, and serves its own
// reads after applying its read index, pipelined after writes too. Before
// any write the log ends with a no-op and a barrier, which never reach the
// state machine: the read index must skip them, or reads would wait.
func TestReadIndexOnLeader(t *testing.T) {
	ts := startReadIndexServer(t)
	c := dialRaw(t, ts.addr)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"read index before any write", []string{"RAFT", "READINDEX"}, ""}, // checked below
		{"read before any write", []string{"GET", "k"}, "$-1\r\n"},
		{"write", []string{"SET", "k", "v1"}, "+OK\r\n"},
		{"read", []string{"GET", "k"}, "$2\r\nv1\r\n"},
		{"read index", []string{"RAFT", "READINDEX"}, ""}, // checked below
		{"not TIME", []string{"RAFT", "READINDEX", "x"}, "-ERR syntax error\r\n"},
		{"TIME and more", []string{"RAFT", "READINDEX", "TIME", "x"}, "-ERR syntax error\r\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := c.do(tc.args...)
			if tc.want == "" {
				tc.want = ":" + strconv.FormatUint(ts.node.AppliedIndex(), 10) + "\r\n"
			}
			if got != tc.want {
				t.Fatalf("%q = %q, want %q", tc.args, got, tc.want)
			}
		})
	}
	for i := range 20 { // a pipeline: each read sees the write before it
		c.send("SET", "k", strconv.Itoa(i))
		c.send("GET", "k")
	}
	for i := range 20 {
		if got := c.reply(); got != "+OK\r\n" {
			t.Fatalf("SET %d = %q", i, got)
		}
		if got, want := c.reply(), "$"+strconv.Itoa(len(strconv.Itoa(i)))+"\r\n"+strconv.Itoa(i)+"\r\n"; got != want {
			t.Fatalf("GET after SET k %d in a pipeline = %q, want %q", i, got, want)
		}
	}
}
