package server

import "testing"

// TestMemoryMallocStats: Redis 7.0.15's reply when built without jemalloc
// (object.c), and its COMMAND INFO (checked against redis-server 7.0.15).
func TestMemoryMallocStats(t *testing.T) {
	r := dialRaw(t, startServer(t))
	runExchanges(t, r, []exchange{
		{"reply", []string{"MEMORY", "MALLOC-STATS"}, bulk("Stats not supported for the current allocator")},
		{"arity", []string{"MEMORY", "MALLOC-STATS", "x"},
			"-ERR wrong number of arguments for 'memory|malloc-stats' command\r\n"},
		{"command info", []string{"COMMAND", "INFO", "memory|malloc-stats"},
			"*1\r\n*10\r\n$19\r\nmemory|malloc-stats\r\n:2\r\n*0\r\n:0\r\n:0\r\n:0\r\n*1\r\n+@slow\r\n" +
				"*3\r\n$23\r\nnondeterministic_output\r\n$25\r\nrequest_policy:all_shards\r\n$23\r\nresponse_policy:special\r\n*0\r\n*0\r\n"},
	})
}
