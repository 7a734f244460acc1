package main

import (
	"strconv"
	"testing"
)

// hllElems returns "prefix0" .. "prefix<n-1>".
func hllElems(prefix string, from, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = prefix + strconv.Itoa(from+i)
	}
	return out
}

// hllByteSteps builds HLLs across Redis's sparse/dense boundary (by
// hll-sparse-max-bytes and by a register above 32), merges them and
// converts them with PFDEBUG, reading their raw bytes after each step; a
// single-key PFCOUNT stores its count in the header (bytes 8-15), which
// later changes leave stale, as Redis's does.
func hllByteSteps() [][]string {
	raw := func(k string) [][]string {
		return [][]string{{"GET", k}, {"STRLEN", k}, {"GETRANGE", k, "0", "20"}, {"PFDEBUG", "ENCODING", k}}
	}
	pfadd := func(k string, elems []string) []string { return append([]string{"PFADD", k}, elems...) }
	steps := [][]string{{"PFADD", "empty"}}
	steps = append(steps, raw("empty")...)
	steps = append(steps, pfadd("h", []string{"a", "b", "c"}), []string{"PFDEBUG", "DECODE", "h"})
	steps = append(steps, raw("h")...)
	steps = append(steps, []string{"PFCOUNT", "h"}, []string{"GETRANGE", "h", "8", "15"}, []string{"PFCOUNT", "h"},
		pfadd("h", []string{"a"}), []string{"GETRANGE", "h", "8", "15"}, pfadd("h", []string{"d"}), []string{"GETRANGE", "h", "8", "15"},
		[]string{"PFCOUNT", "empty"}, []string{"GET", "empty"}, []string{"PFCOUNT", "nokey"}, []string{"EXISTS", "nokey"})
	for i := range 30 { // 100 .. 3000 elements: sparse, then dense past 3000 bytes
		steps = append(steps, pfadd("grow", hllElems("e", i*100, 100)))
		steps = append(steps, raw("grow")...)
		if i%3 == 0 {
			steps = append(steps, []string{"PFCOUNT", "grow"}, []string{"GETRANGE", "grow", "0", "20"})
		}
	}
	steps = append(steps, []string{"CONFIG", "SET", "hll-sparse-max-bytes", "100"})
	for i := range 40 {
		steps = append(steps, []string{"PFADD", "small", "x" + strconv.Itoa(i)}, []string{"STRLEN", "small"})
	}
	steps = append(steps, raw("small")...)
	steps = append(steps, []string{"CONFIG", "SET", "hll-sparse-max-bytes", "3000"},
		[]string{"PFMERGE", "m", "h", "grow"}, []string{"PFMERGE", "m2", "h"}, []string{"PFCOUNT", "m2"}, []string{"PFMERGE", "m2", "m2", "empty"},
		[]string{"PFDEBUG", "TODENSE", "h"}, []string{"PFDEBUG", "TODENSE", "h"}, []string{"PFDEBUG", "DECODE", "h"},
		[]string{"PFDEBUG", "GETREG", "m2"}, []string{"PFDEBUG", "GETREG", "nokey"}, []string{"PFDEBUG", "NOPE", "h"},
		[]string{"DUMP", "m2"}, []string{"SET", "plain", "x"}, []string{"PFDEBUG", "ENCODING", "plain"})
	steps = append(steps, raw("m")...)
	steps = append(steps, raw("m2")...)
	steps = append(steps, raw("h")...)
	// Redis's corruption checks on the edited bytes (unit/hyperloglog).
	steps = append(steps, []string{"PFADD", "c1", "a"}, []string{"APPEND", "c1", "hello"}, []string{"PFCOUNT", "c1"},
		[]string{"PFADD", "c2", "a"}, []string{"SETRANGE", "c2", "4", "\x00"}, []string{"PFCOUNT", "c2"},
		[]string{"PFADD", "c3", "a"}, []string{"SETRANGE", "c3", "0", "0123"}, []string{"PFADD", "c3", "z"},
		[]string{"PFSELFTEST"})
	return append(steps, hllCountSteps()...)
}

// hllCountSteps: a PFCOUNT that stores its count is a change WATCH sees,
// in a transaction or a script as on its own; a read-only script may not
// call PFCOUNT at all.
func hllCountSteps() [][]string {
	const count = "return redis.call('pfcount', KEYS[1])"
	return [][]string{
		{"PFADD", "w", "x"}, {"WATCH", "w"}, {"PFCOUNT", "w"}, {"MULTI"}, {"SET", "z", "1"}, {"EXEC"},
		{"WATCH", "w"}, {"PFCOUNT", "w"}, {"MULTI"}, {"SET", "z", "1"}, {"EXEC"},
		{"PFADD", "t", "x", "y"}, {"MULTI"}, {"PFCOUNT", "t"}, {"GET", "t"}, {"EXEC"}, {"GET", "t"},
		{"PFADD", "e", "x", "y", "z"}, {"EVAL", count, "1", "e"}, {"GET", "e"},
		{"PFADD", "e", "q"}, {"EVAL", "redis.call('set', 'g', 1) " + count, "1", "e"}, {"GET", "e"},
		{"PFADD", "e", "r"}, {"EVAL_RO", count, "1", "e"}, {"EVAL", "#!lua flags=no-writes\n" + count, "1", "e"},
		{"EVAL_RO", "return redis.call('pfcount', KEYS[1], 'w')", "1", "e"}, {"GET", "e"},
		{"PFADD", "x", "a"}, {"EXPIRE", "x", "100"}, {"PFCOUNT", "x"}, {"TTL", "x"}, {"GET", "x"},
	}
}

// TestHLLBytesMatchRedis: GET, STRLEN, GETRANGE, DUMP and PFDEBUG of
// HyperLogLogs are byte for byte redis-server 7.0.15's (Redis's "HYLL"
// strings, dense or sparse as Redis holds them), and raw bytes copied from
// one server to the other count and grow alike there.
func TestHLLBytesMatchRedis(t *testing.T) {
	redisAddr := startRedisServer(t)
	n := startNode(t)
	p := newDiffPair(t, 2, redisAddr, n.addr())
	requireRedis70(t, p.redis)
	p.requireSame(t, "HLL bytes", hllByteSteps())
	// Copy each server's bytes into the other: both then hold the same
	// strings and must answer PFCOUNT, PFADD and PFMERGE alike.
	var copies [][]string
	for _, k := range []string{"h", "grow", "small", "m2"} {
		for name, side := range map[string]*diffSide{"redis": p.redis, "geetcache": p.gc} {
			rep, err := side.roundTrip([]string{"GET", k})
			if err != nil || rep.kind != '$' {
				t.Fatalf("GET %s on %s: %q %v", k, name, rep.raw, err)
			}
			copies = append(copies, []string{"SET", name + ":" + k, replyText(rep)})
		}
	}
	steps := copies
	for _, c := range copies {
		k := c[1]
		steps = append(steps, []string{"PFCOUNT", k}, []string{"PFADD", k, "new1", "new2"},
			[]string{"GET", k}, []string{"PFCOUNT", k}, []string{"GET", k},
			[]string{"PFMERGE", "u", k}, []string{"GET", "u"})
	}
	p.requireSame(t, "HLL bytes copied across", steps)
}
