package server

import (
	"testing"

	"github.com/geetcache/geetcache/protocol"
)

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

// TestMaxMemoryExecJudged: an EXEC whose transaction queued a denyoom
// command while memory was below maxmemory is refused once memory is
// above it, with the OOM reason, as redis-server 7.0.15 answers (its
// unit/multi "EXEC with at least one use-memory command should fail").
func TestMaxMemoryExecJudged(t *testing.T) {
	srv := startServer(t)
	r, r2 := dialRaw(t, srv), dialRaw(t, srv)
	runExchanges(t, r, []exchange{
		{"multi", []string{"MULTI"}, "+OK\r\n"},
		{"set", []string{"SET", "x", "1"}, "+QUEUED\r\n"},
		{"get", []string{"GET", "x"}, "+QUEUED\r\n"},
	})
	runExchanges(t, r2, []exchange{{"tiny", []string{"CONFIG", "SET", "maxmemory", "1"}, "+OK\r\n"}})
	runExchanges(t, r, []exchange{
		{"exec", []string{"EXEC"}, "-EXECABORT Transaction discarded because of: OOM command not allowed when used memory > 'maxmemory'.\r\n"},
		{"discarded", []string{"EXISTS", "x"}, ":0\r\n"},
		{"reads only", []string{"MULTI"}, "+OK\r\n"},
		{"get refused", []string{"GET", "x"}, "-OOM command not allowed when used memory > 'maxmemory'.\r\n"},
		{"exec reads", []string{"EXEC"}, "-EXECABORT Transaction discarded because of previous errors.\r\n"},
	})
	runExchanges(t, r2, []exchange{{"off", []string{"CONFIG", "SET", "maxmemory", "0"}, "+OK\r\n"}})
}

// dumpBar is redis-server 7.0.15's DUMP of the string "bar".
const dumpBar = "\x00\x03bar\n\x00\xe6\xbeI`\xeef\xfd\x17"

// TestEvictionSettings: the eviction parameters' defaults, values and
// refusals, as redis-server 7.0.15 answers them. One difference: a key
// written before the switch to an LFU policy has the LFU counter of a new
// key, 5 (Redis: 0, its LRU bits read as a counter; both count 1 more
// after a read). RESTORE's IDLETIME and FREQ set the restored key's
// figures (Redis's unit/dump "RESTORE can set LRU/LFU").
func TestEvictionSettings(t *testing.T) {
	failed := func(name, reason string) string {
		return "-ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + reason + "\r\n"
	}
	r := dialRaw(t, startServer(t))
	runExchanges(t, r, []exchange{
		{"policy default", []string{"CONFIG", "GET", "maxmemory-policy"}, "*2\r\n$16\r\nmaxmemory-policy\r\n$10\r\nnoeviction\r\n"},
		{"policy", []string{"CONFIG", "SET", "maxmemory-policy", "ALLKEYS-LRU"}, "+OK\r\n"},
		{"policy read", []string{"CONFIG", "GET", "maxmemory-policy"}, "*2\r\n$16\r\nmaxmemory-policy\r\n$11\r\nallkeys-lru\r\n"},
		{"policy bad", []string{"CONFIG", "SET", "maxmemory-policy", "foo"}, failed("maxmemory-policy",
			"argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction")},
		{"samples", []string{"CONFIG", "GET", "maxmemory-samples"}, "*2\r\n$17\r\nmaxmemory-samples\r\n$1\r\n5\r\n"},
		{"samples 0", []string{"CONFIG", "SET", "maxmemory-samples", "0"}, failed("maxmemory-samples", "argument must be between 1 and 2147483647 inclusive")},
		{"samples x", []string{"CONFIG", "SET", "maxmemory-samples", "x"}, failed("maxmemory-samples", "argument couldn't be parsed into an integer")},
		{"samples 65", []string{"CONFIG", "SET", "maxmemory-samples", "65"}, "+OK\r\n"},
		{"tenacity", []string{"CONFIG", "GET", "maxmemory-eviction-tenacity"}, "*2\r\n$27\r\nmaxmemory-eviction-tenacity\r\n$2\r\n10\r\n"},
		{"tenacity 101", []string{"CONFIG", "SET", "maxmemory-eviction-tenacity", "101"}, failed("maxmemory-eviction-tenacity", "argument must be between 0 and 100 inclusive")},
		{"log factor", []string{"CONFIG", "GET", "lfu-log-factor"}, "*2\r\n$14\r\nlfu-log-factor\r\n$2\r\n10\r\n"},
		{"log factor -1", []string{"CONFIG", "SET", "lfu-log-factor", "-1"}, failed("lfu-log-factor", "argument must be between 0 and 2147483647 inclusive")},
		{"decay", []string{"CONFIG", "GET", "lfu-decay-time"}, "*2\r\n$14\r\nlfu-decay-time\r\n$1\r\n1\r\n"},
		{"decay big", []string{"CONFIG", "SET", "lfu-decay-time", "2147483648"}, failed("lfu-decay-time", "argument must be between 0 and 2147483647 inclusive")},
		{"set", []string{"SET", "foo", "bar"}, "+OK\r\n"},
		{"freq under lru", []string{"OBJECT", "FREQ", "foo"}, "-" + protocol.ErrNoLFU + "\r\n"},
		{"idletime under lru", []string{"OBJECT", "IDLETIME", "foo"}, ":0\r\n"},
		{"lfu", []string{"CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"}, "+OK\r\n"},
		{"idletime under lfu", []string{"OBJECT", "IDLETIME", "foo"}, "-" + protocol.ErrLFUIdle + "\r\n"},
		{"freq", []string{"OBJECT", "FREQ", "foo"}, ":5\r\n"},
		{"read", []string{"GET", "foo"}, "$3\r\nbar\r\n"},
		{"freq after a read", []string{"OBJECT", "FREQ", "foo"}, ":6\r\n"},
		{"restore freq", []string{"RESTORE", "r2", "0", dumpBar, "FREQ", "100"}, "+OK\r\n"},
		{"freq restored", []string{"OBJECT", "FREQ", "r2"}, ":100\r\n"},
		{"lru", []string{"CONFIG", "SET", "maxmemory-policy", "allkeys-lru"}, "+OK\r\n"},
		{"restore idle", []string{"RESTORE", "r1", "0", dumpBar, "IDLETIME", "1000"}, "+OK\r\n"},
		{"idle restored", []string{"OBJECT", "IDLETIME", "r1"}, ":1000\r\n"},
		{"back", []string{"CONFIG", "SET", "maxmemory-policy", "noeviction"}, "+OK\r\n"},
	})
}
