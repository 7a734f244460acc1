package server

import "testing"

// TestMaxMemory: maxmemory with noeviction, as redis-server 7.0.15
// answers: above it, denyoom commands get OOM (in MULTI the transaction is
// discarded), others run; 0 turns it off. CONFIG takes memory units.
func TestMaxMemory(t *testing.T) {
	const oom = "-OOM command not allowed when used memory > 'maxmemory'.\r\n"
	r := dialRaw(t, startServer(t))
	runExchanges(t, r, []exchange{
		{"default", []string{"CONFIG", "GET", "maxmemory"}, "*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n"},
		{"units", []string{"CONFIG", "SET", "maxmemory", "1GB"}, "+OK\r\n"},
		{"units read", []string{"CONFIG", "GET", "maxmemory"}, "*2\r\n$9\r\nmaxmemory\r\n$10\r\n1073741824\r\n"},
		{"bad", []string{"CONFIG", "SET", "maxmemory", "-1"}, "-ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value\r\n"},
		{"room", []string{"SET", "a", "1"}, "+OK\r\n"},
		{"tiny", []string{"CONFIG", "SET", "maxmemory", "1"}, "+OK\r\n"},
		{"denyoom", []string{"SET", "a", "2"}, oom},
		{"not denyoom", []string{"DEL", "nosuch"}, ":0\r\n"},
		{"read", []string{"GET", "a"}, "$1\r\n1\r\n"},
		{"multi", []string{"MULTI"}, "+OK\r\n"},
		{"queued oom", []string{"SET", "a", "3"}, oom},
		{"exec", []string{"EXEC"}, "-EXECABORT Transaction discarded because of previous errors.\r\n"},
		{"off", []string{"CONFIG", "SET", "maxmemory", "0"}, "+OK\r\n"},
		{"again", []string{"SET", "a", "4"}, "+OK\r\n"},
	})
}
