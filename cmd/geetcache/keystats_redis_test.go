package main

import (
	"strconv"
	"strings"
	"testing"
)

// keyStatsCalls are the calls TestKeyspaceHitsMatchRedis runs, each after
// keyStatsSetup, on redis-server 7.0.15 and on a node: reads of present
// and missing keys, writes that read keys first, scripts, transactions
// (commands a | separates run in turn).
var keyStatsCalls = []string{
	"GET s", "GET missing", "MGET s missing h", "EXISTS s missing", "TYPE s", "TTL s", "PTTL missing",
	"STRLEN s", "GETRANGE s 0 1", "BITCOUNT s", "GETBIT s 0", "HGET h f", "HGETALL h", "HGET missing f",
	"HEXISTS h f", "HRANDFIELD h", "SMEMBERS a", "SISMEMBER a m", "SCARD missing", "SINTER a b",
	"SINTERSTORE dst a b", "SUNIONSTORE dst a missing", "SRANDMEMBER a", "ZRANGE z 0 -1", "ZSCORE z m",
	"ZRANGESTORE zd z 0 -1", "ZUNIONSTORE zu 2 z missing", "LRANGE l 0 -1", "LINDEX l 0", "LPOS l x",
	"LLEN missing", "XRANGE x - +", "XLEN x", "XREAD STREAMS x missing 0 0", "OBJECT ENCODING s",
	"OBJECT ENCODING missing", "DUMP s", "SET s v GET", "SET missing2 v GET", "GETDEL g", "GETEX s",
	"INCR n", "APPEND s2 x", "SETBIT bits 1 1", "COPY s s3", "SORT l ALPHA", "SORT_RO l ALPHA", "SORT l ALPHA BY w_* GET h_* GET #", "PFCOUNT hll",
	"LMOVE l l2 LEFT LEFT", "RPOPLPUSH l l2", "RANDOMKEY", "DBSIZE", "SCAN 0", "KEYS *",
	"EVAL return%redis.call('get',KEYS[1]) 1 s", "EVAL_RO return%redis.call('get',KEYS[1]) 1 missing",
	"EVAL #!lua%flags=no-writes\\nreturn%redis.call('exists',KEYS[1]) 1 s",
	"MULTI|GET s|GET missing|EXEC", "MULTI|GET s|SET t 1|HGET h f|EXEC", "MULTI|SINTERSTORE dst a missing|EXEC", "EVAL redis.call('get',KEYS[1]);return%redis.call('set',KEYS[1],'x') 1 s",
}

// keyStatsSetup makes the keys the calls read.
var keyStatsSetup = [][]string{
	{"FLUSHALL"}, {"SET", "s", "hello"}, {"SET", "g", "x"}, {"HSET", "h", "f", "v"},
	{"SADD", "a", "m", "n"}, {"SADD", "b", "m"}, {"ZADD", "z", "1", "m"}, {"RPUSH", "l", "x", "y"},
	{"XADD", "x", "1-1", "f", "v"}, {"PFADD", "hll", "a"},
}

// TestKeyspaceHitsMatchRedis: INFO's keyspace_hits and keyspace_misses
// move by what Redis's move for each call (Redis counts its lookupKeyRead
// lookups), on a node as on redis-server 7.0.15.
func TestKeyspaceHitsMatchRedis(t *testing.T) {
	sides := redisAndNode(t)
	deltas := make([][][2]int64, len(sides))
	for i, side := range sides {
		s := dialDiffSide(t, side.name, side.addr)
		for _, call := range keyStatsCalls {
			for _, args := range keyStatsSetup {
				mustRun(t, s, args)
			}
			before := keyStatsOf(t, s)
			for _, one := range strings.Split(call, "|") {
				mustRun(t, s, keyStatsArgs(one))
			}
			after := keyStatsOf(t, s)
			deltas[i] = append(deltas[i], [2]int64{after[0] - before[0], after[1] - before[1]})
		}
	}
	names := append(keyStatsCalls, "XREAD BLOCK 0 STREAMS x2 $, woken by XADD x2")
	for i, side := range sides {
		deltas[i] = append(deltas[i], blockedReadStats(t, side))
	}
	for j, call := range names {
		if deltas[0][j] != deltas[1][j] {
			t.Errorf("%s: Redis counted hits/misses %v, geetcache %v", call, deltas[0][j], deltas[1][j])
		}
	}
	for _, side := range sides { // CONFIG RESETSTAT zeroes both, and expired_keys, on Redis
		s := dialDiffSide(t, side.name, side.addr)
		mustRun(t, s, []string{"CONFIG", "RESETSTAT"})
		rep, err := s.roundTrip([]string{"INFO", "stats"})
		if err != nil {
			t.Fatal(err)
		}
		for _, field := range []string{"keyspace_hits", "keyspace_misses", "expired_keys"} {
			if v := infoLineOf(string(rep.raw), field); v != "0" {
				t.Errorf("%s: %s is %q after CONFIG RESETSTAT", side.name, field, v)
			}
		}
	}
}

// keyStatsArgs splits a call at spaces; a % stands for a space inside an
// argument, \n for a line break.
func keyStatsArgs(call string) []string {
	args := strings.Fields(call)
	for i := range args {
		args[i] = strings.ReplaceAll(strings.ReplaceAll(args[i], "%", " "), `\n`, "\n")
	}
	return args
}

// mustRun sends args and requires a reply that is not an error.
func mustRun(t *testing.T, s *diffSide, args []string) {
	t.Helper()
	rep, err := s.roundTrip(args)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(string(rep.raw), "-") {
		t.Fatalf("%s: %q answered %q", s.name, args, rep.raw)
	}
}

// keyStatsOf returns INFO's keyspace_hits and keyspace_misses on s.
func keyStatsOf(t *testing.T, s *diffSide) [2]int64 {
	t.Helper()
	rep, err := s.roundTrip([]string{"INFO", "stats"})
	if err != nil {
		t.Fatal(err)
	}
	var out [2]int64
	for i, field := range []string{"keyspace_hits", "keyspace_misses"} {
		v := infoLineOf(string(rep.raw), field)
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatalf("%s: %s is %q", s.name, field, v)
		}
		out[i] = n
	}
	return out
}

// blockedReadStats returns what a blocked XREAD, served when another
// connection adds to its stream, moves keyspace_hits and keyspace_misses
// by on side: its first run's lookups (Redis serves a woken client with
// LOOKUP_NOSTATS).
func blockedReadStats(t *testing.T, side namedAddr) [2]int64 {
	s := dialDiffSide(t, side.name, side.addr)
	reader := dialDiffSide(t, side.name, side.addr)
	mustRun(t, s, []string{"DEL", "x2"})
	before := keyStatsOf(t, s)
	reader.send([][]string{{"XREAD", "BLOCK", "0", "STREAMS", "x2", "$"}})
	reader.w.Flush()
	waitBlockedClients(t, s, 1)
	mustRun(t, s, []string{"XADD", "x2", "1-1", "f", "v"})
	if _, err := reader.replies(1); err != nil {
		t.Fatal(err)
	}
	after := keyStatsOf(t, s)
	return [2]int64{after[0] - before[0], after[1] - before[1]}
}
