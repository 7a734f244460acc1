package protocol

import (
	"strconv"
	"testing"
)

// runTTLSteps runs steps on a fresh strings harness. Besides commands, a
// step may be "@advance ms" (move the clock) or "@pttl key" (the key's
// remaining TTL in ms from the keyspace: -2 missing, -1 persistent), both
// replying as integers.
func runTTLSteps(t *testing.T, steps [][2]string) {
	t.Helper()
	h := newStringsHarness(t)
	for _, st := range steps {
		args := splitQuoted(t, st[0])
		var got string
		switch args[0] {
		case "@advance":
			ms, _ := strconv.ParseInt(args[1], 10, 64)
			h.advance(ms)
			got = ":0|"
		case "@pttl":
			got = ":" + strconv.FormatInt(pttlOf(h, args[1]), 10) + "|"
		default:
			got = squashReply(h.do(args...))
		}
		if got != st[1] {
			t.Errorf("%s\n got: %q\nwant: %q", st[0], got, st[1])
		}
	}
}

func pttlOf(h *harness, key string) int64 {
	e := h.ks.Lookup(key, h.now)
	switch {
	case e == nil:
		return -2
	case e.ExpireAt == 0:
		return -1
	}
	return e.ExpireAt - h.now
}

func TestStringsTTL(t *testing.T) {
	// The harness clock starts at 1_700_000_000_000 (unix ms).
	tests := []struct {
		name  string
		steps [][2]string
	}{
		{"set EX lives through its last millisecond", [][2]string{
			{"SET k v EX 10", "+OK|"},
			{"@pttl k", ":10000|"},
			{"@advance 10000", ":0|"},
			{"GET k", "$1|v|"},
			{"@advance 1", ":0|"},
			{"GET k", "$-1|"},
			{"@pttl k", ":-2|"},
		}},
		{"set PX EXAT PXAT are absolute at entry time", [][2]string{
			{"SET a v PX 1500", "+OK|"},
			{"@pttl a", ":1500|"},
			{"SET b v EXAT 1700000100", "+OK|"},
			{"@pttl b", ":100000|"},
			{"SET c v PXAT 1700000000250", "+OK|"},
			{"@pttl c", ":250|"},
			{"SET d v EX 10 EX 20", "+OK|"},
			{"@pttl d", ":20000|"},
		}},
		{"set with a past absolute time stores an expired key", [][2]string{
			{"SET k v PXAT 1", "+OK|"},
			{"GET k", "$-1|"},
			{"EXISTS k", ":0|"},
			{"SET k v PXAT 1700000000000", "+OK|"},
			{"GET k", "$1|v|"},
			{"@advance 1", ":0|"},
			{"GET k", "$-1|"},
		}},
		{"set clears the TTL unless KEEPTTL", [][2]string{
			{"SET k v EX 100", "+OK|"},
			{"SET k w", "+OK|"},
			{"@pttl k", ":-1|"},
			{"SET k v EX 100", "+OK|"},
			{"SET k w KEEPTTL", "+OK|"},
			{"@pttl k", ":100000|"},
			{"SET k x KEEPTTL GET", "$1|w|"},
			{"@pttl k", ":100000|"},
			{"SET n v KEEPTTL", "+OK|"},
			{"@pttl n", ":-1|"},
			{"SET k y XX", "+OK|"},
			{"@pttl k", ":-1|"},
		}},
		{"set NX XX GET see an expired key as missing", [][2]string{
			{"SET k v PX 5", "+OK|"},
			{"@advance 6", ":0|"},
			{"SET k w XX", "$-1|"},
			{"SET k w GET", "$-1|"},
			{"SET k v PX 5", "+OK|"},
			{"@advance 6", ":0|"},
			{"SET k w NX GET", "$-1|"},
			{"GET k", "$1|w|"},
			{"@pttl k", ":-1|"},
		}},
		{"setex psetex setnx", [][2]string{
			{"SETEX k 5 v", "+OK|"},
			{"@pttl k", ":5000|"},
			{"PSETEX k 5 v", "+OK|"},
			{"@pttl k", ":5|"},
			{"SETNX k w", ":0|"},
			{"@pttl k", ":5|"},
			{"@advance 6", ":0|"},
			{"SETNX k w", ":1|"},
			{"@pttl k", ":-1|"},
		}},
		{"append setrange incr keep the TTL", [][2]string{
			{"SET k 1 EX 100", "+OK|"},
			{"APPEND k 0", ":2|"},
			{"@pttl k", ":100000|"},
			{"SETRANGE k 0 2", ":2|"},
			{"@pttl k", ":100000|"},
			{"INCR k", ":21|"},
			{"DECR k", ":20|"},
			{"INCRBY k 5", ":25|"},
			{"DECRBY k 5", ":20|"},
			{"@pttl k", ":100000|"},
			{"INCRBYFLOAT k 0.5", "$4|20.5|"},
			{"@pttl k", ":100000|"},
			{"GET k", "$4|20.5|"},
		}},
		{"writes to an expired key start afresh without TTL", [][2]string{
			{"SET a 5 PX 1", "+OK|"},
			{"SET b 5 PX 1", "+OK|"},
			{"SET c 5 PX 1", "+OK|"},
			{"SET d 5 PX 1", "+OK|"},
			{"@advance 2", ":0|"},
			{"INCR a", ":1|"},
			{"@pttl a", ":-1|"},
			{"APPEND b x", ":1|"},
			{"@pttl b", ":-1|"},
			{`SETRANGE c 1 x`, ":2|"},
			{"GET c", "$2|\x00x|"},
			{"@pttl c", ":-1|"},
			{"INCRBYFLOAT d 1.5", "$3|1.5|"},
			{"@pttl d", ":-1|"},
			{"SETRANGE e 0 \"\"", ":0|"},
		}},
		{"getset clears the TTL, getdel deletes", [][2]string{
			{"SET k v EX 100", "+OK|"},
			{"GETSET k w", "$1|v|"},
			{"@pttl k", ":-1|"},
			{"SET k v EX 100", "+OK|"},
			{"GETDEL k", "$1|v|"},
			{"@pttl k", ":-2|"},
			{"SET k v PX 1", "+OK|"},
			{"@advance 2", ":0|"},
			{"GETDEL k", "$-1|"},
			{"GETSET k w", "$-1|"},
		}},
		{"mset clears TTLs, msetnx sees expired keys as missing", [][2]string{
			{"SET a v EX 100", "+OK|"},
			{"MSET a 1 b 2", "+OK|"},
			{"@pttl a", ":-1|"},
			{"SET c v PX 1", "+OK|"},
			{"MSETNX c 1 d 2", ":0|"},
			{"@advance 2", ":0|"},
			{"MSETNX c 1 d 2", ":1|"},
			{"@pttl c", ":-1|"},
			{"MGET a c", "*2|$1|1|$1|1|"},
		}},
		{"getex sets, keeps or removes the TTL", [][2]string{
			{"SET k v EX 100", "+OK|"},
			{"GETEX k", "$1|v|"},
			{"@pttl k", ":100000|"},
			{"GETEX k EX 5", "$1|v|"},
			{"@pttl k", ":5000|"},
			{"GETEX k PX 7", "$1|v|"},
			{"@pttl k", ":7|"},
			{"GETEX k EXAT 1700000009", "$1|v|"},
			{"@pttl k", ":9000|"},
			{"GETEX k PXAT 1700000000011", "$1|v|"},
			{"@pttl k", ":11|"},
			{"GETEX k PERSIST", "$1|v|"},
			{"@pttl k", ":-1|"},
			{"GETEX k PERSIST", "$1|v|"},
			{"@pttl k", ":-1|"},
		}},
		{"getex with a past absolute time deletes the key", [][2]string{
			{"SET k v", "+OK|"},
			{"GETEX k PXAT 1700000000000", "$1|v|"},
			{"@pttl k", ":-2|"},
			{"SET k v", "+OK|"},
			{"GETEX k EXAT 1", "$1|v|"},
			{"@pttl k", ":-2|"},
			{"SET k v", "+OK|"},
			{"GETEX k PXAT 1700000000001", "$1|v|"},
			{"@pttl k", ":1|"},
		}},
		{"getex on an expired key", [][2]string{
			{"SET k v PX 1", "+OK|"},
			{"@advance 2", ":0|"},
			{"GETEX k PERSIST", "$-1|"},
			{"GETEX k EX abc", "$-1|"},
		}},
		{"relative expiry overflow depends on the entry time", [][2]string{
			{"PSETEX k 9223370336854775807 v", "+OK|"},
			{"@pttl k", ":9223370336854775807|"},
			{"PSETEX k 9223370336854775808 v", "-ERR invalid expire time in 'psetex' command|"},
			{"GETEX k PX 9223370336854775808", "-ERR invalid expire time in 'getex' command|"},
			{"SET k v EX 9223370336854775", "+OK|"},
			{"SET k v EX 9223372036854775", "-ERR invalid expire time in 'set' command|"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { runTTLSteps(t, tc.steps) })
	}
}
