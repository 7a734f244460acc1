package server

import "testing"

// TestStreamNodeSettings: stream-node-max-entries and -bytes are set
// through the log, read back, refused with Redis's reasons, and XADD
// splits nodes by them (an approximate trim removes whole nodes only).
func TestStreamNodeSettings(t *testing.T) {
	r := dialRaw(t, startServer(t))
	failed := func(name, reason string) string {
		return "-ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + reason + "\r\n"
	}
	runExchanges(t, r, []exchange{
		{"default entries", []string{"CONFIG", "GET", "stream-node-max-entries"}, "*2\r\n" + bulk("stream-node-max-entries") + bulk("100")},
		{"default bytes", []string{"CONFIG", "GET", "stream-node-max-bytes"}, "*2\r\n" + bulk("stream-node-max-bytes") + bulk("4096")},
		{"negative", []string{"CONFIG", "SET", "stream-node-max-entries", "-1"}, failed("stream-node-max-entries", "argument must be between 0 and 9223372036854775807 inclusive")},
		{"not a number", []string{"CONFIG", "SET", "stream-node-max-entries", "x"}, failed("stream-node-max-entries", "argument couldn't be parsed into an integer")},
		{"not memory", []string{"CONFIG", "SET", "stream-node-max-bytes", "-1"}, failed("stream-node-max-bytes", "argument must be a memory value")},
		{"set", []string{"CONFIG", "SET", "stream-node-max-entries", "2", "stream-node-max-bytes", "8kb"}, "+OK\r\n"},
		{"read back", []string{"CONFIG", "GET", "stream-node-max-bytes"}, "*2\r\n" + bulk("stream-node-max-bytes") + bulk("8192")},
		{"add 1", []string{"XADD", "s", "1-1", "f", "v"}, bulk("1-1")},
		{"add 2", []string{"XADD", "s", "1-2", "f", "v"}, bulk("1-2")},
		{"add 3", []string{"XADD", "s", "1-3", "f", "v"}, bulk("1-3")},
		{"no whole node within the limit", []string{"XTRIM", "s", "MAXLEN", "~", "0", "LIMIT", "1"}, ":0\r\n"},
		{"the first node of two", []string{"XTRIM", "s", "MAXLEN", "~", "0", "LIMIT", "2"}, ":2\r\n"},
	})
}
