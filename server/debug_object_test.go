package server

import (
	"regexp"
	"testing"

	"github.com/geetcache/geetcache/datatypes"
)

// TestDebugObjectLine: DEBUG OBJECT's line has Redis 7.0's fields, with
// the quicklist ones for a list (figures as redis-server 7.0.15 printed
// for RPUSH l a b c).
func TestDebugObjectLine(t *testing.T) {
	l := &datatypes.List{}
	for _, e := range []string{"a", "b", "c"} {
		l.PushBack([]byte(e))
	}
	for _, tc := range []struct {
		v    datatypes.Value
		want string
	}{
		{datatypes.String("5"), `^Value at:0x[0-9a-f]+ refcount:2147483647 encoding:int serializedlength:\d+ lru:\d+ lru_seconds_idle:\d+$`},
		{datatypes.String("hello"), `^Value at:0x[0-9a-f]+ refcount:1 encoding:embstr serializedlength:\d+ lru:\d+ lru_seconds_idle:\d+$`},
		{l, `^Value at:0x[0-9a-f]+ refcount:1 encoding:quicklist serializedlength:\d+ lru:\d+ lru_seconds_idle:\d+ ` +
			`ql_nodes:1 ql_avg_node:3.00 ql_listpack_max:-2 ql_compressed:0 ql_uncompressed_size:16$`},
	} {
		got := debugObjectLine(&datatypes.Entry{Key: "k", Value: tc.v}, datatypes.DefaultEncodingLimits, 1<<24+5)
		if !regexp.MustCompile(tc.want).MatchString(got) {
			t.Errorf("DEBUG OBJECT of %T: %q does not match %q", tc.v, got, tc.want)
		}
	}
}

// TestDebugObjectReplies: Redis's errors for a missing key and a wrong
// number of arguments.
func TestDebugObjectReplies(t *testing.T) {
	r := dialRaw(t, startServer(t))
	runExchanges(t, r, []exchange{
		{"missing", []string{"DEBUG", "OBJECT", "nokey"}, "-ERR no such key\r\n"},
		{"arity", []string{"DEBUG", "OBJECT"}, "-ERR unknown subcommand or wrong number of arguments for 'OBJECT'. Try DEBUG HELP.\r\n"},
	})
}

// TestMemoryUsageAndPackedThreshold: MEMORY USAGE's replies and refusals
// and DEBUG QUICKLIST-PACKED-THRESHOLD's checks, as redis-server 7.0.15's
// (the size itself is an estimate).
func TestMemoryUsageAndPackedThreshold(t *testing.T) {
	r := dialRaw(t, startServer(t))
	runExchanges(t, r, []exchange{
		{"set", []string{"SET", "k", "hello"}, "+OK\r\n"},
		{"usage", []string{"MEMORY", "USAGE", "k", "SAMPLES", "0"}, ":96\r\n"}, // Redis 7.0.15: 56; here the Go cost (datatypes/memsize.go)
		{"missing", []string{"MEMORY", "USAGE", "nokey"}, "$-1\r\n"},
		{"samples not a number", []string{"MEMORY", "USAGE", "k", "SAMPLES", "x"}, "-ERR value is not an integer or out of range\r\n"},
		{"negative samples", []string{"MEMORY", "USAGE", "k", "SAMPLES", "-1"}, "-ERR syntax error\r\n"},
		{"bad option", []string{"MEMORY", "USAGE", "k", "foo"}, "-ERR syntax error\r\n"},
		{"threshold", []string{"DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1b"}, "+OK\r\n"},
		{"threshold default", []string{"DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0"}, "+OK\r\n"},
		{"threshold too big", []string{"DEBUG", "QUICKLIST-PACKED-THRESHOLD", "5gb"}, "-ERR argument must be a memory value bigger than 1 and smaller than 4gb\r\n"},
	})
}
