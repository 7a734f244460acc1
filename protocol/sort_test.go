package protocol

// Table tests for SORT and SORT_RO. Every expected reply was taken from
// redis-server 7.0.15 running the same commands.

import (
	"strings"
	"testing"
)

// TestSort checks SORT's options on lists, sets and sorted sets: numeric
// and ALPHA orders, BY and GET patterns (with "->field" and "#"), BY
// nosort with LIMIT, STORE, the errors, and SORT_RO.
func TestSort(t *testing.T) {
	h := newHarness(t)
	h.check([][2]string{
		{"RPUSH n 3 1 2 10 -5 1.5", ":6|"},
		{"RPUSH l 3 1 2 10 b a", ":6|"},
		{"SADD s 5 3 1 10 2", ":5|"},
		{"ZADD z 1 c 2 b 3 a 0 d", ":4|"},
		{"MSET w_3 30 w_1 10 w_2 20 w_10 1 w_-5 -50", "+OK|"},
		{"HSET h_1 f x", ":1|"},
		{"HSET h_2 f y", ":1|"},
		{"HSET h_3 f a", ":1|"},
		{"SET str x", "+OK|"},
		{"SORT n", "*6|$2|-5|$1|1|$3|1.5|$1|2|$1|3|$2|10|"},
		{"SORT n DESC", "*6|$2|10|$1|3|$1|2|$3|1.5|$1|1|$2|-5|"},
		{"SORT n asc", "*6|$2|-5|$1|1|$3|1.5|$1|2|$1|3|$2|10|"},
		{"SORT l", "-ERR One or more scores can't be converted into double|"},
		{"SORT l ALPHA", "*6|$1|1|$2|10|$1|2|$1|3|$1|a|$1|b|"},
		{"SORT l ALPHA DESC LIMIT 1 2", "*2|$1|a|$1|3|"},
		{"SORT l BY nosort", "*6|$1|3|$1|1|$1|2|$2|10|$1|b|$1|a|"},
		{"SORT l BY nosort DESC", "*6|$1|a|$1|b|$2|10|$1|2|$1|1|$1|3|"},
		{"SORT l BY nosort DESC LIMIT 1 2", "*2|$1|b|$2|10|"},
		{"SORT l BY nosort LIMIT 2 10", "*4|$1|2|$2|10|$1|b|$1|a|"},
		{"SORT l BY nosort LIMIT 10 2", "*0|"},
		{"SORT s", "*5|$1|1|$1|2|$1|3|$1|5|$2|10|"},
		{"SORT s DESC LIMIT 0 3", "*3|$2|10|$1|5|$1|3|"},
		{"SORT z", "-ERR One or more scores can't be converted into double|"},
		{"SORT z BY nosort", "*4|$1|d|$1|c|$1|b|$1|a|"},
		{"SORT z BY nosort DESC LIMIT 1 2", "*2|$1|b|$1|c|"},
		{"SORT z BY nosort LIMIT 3 5", "*1|$1|a|"},
		{"SORT z ALPHA", "*4|$1|a|$1|b|$1|c|$1|d|"},
		{"SORT n BY w_*", "*6|$2|-5|$3|1.5|$2|10|$1|1|$1|2|$1|3|"},
		{"SORT n BY w_* GET # GET w_* GET h_*->f", "*18|$2|-5|$3|-50|$-1|$3|1.5|$-1|$-1|$2|10|$1|1|$-1|$1|1|$2|10|$1|x|$1|2|$2|20|$1|y|$1|3|$2|30|$1|a|"},
		{"SORT n BY h_*->f ALPHA", "*6|$2|10|$2|-5|$3|1.5|$1|3|$1|1|$1|2|"},
		{"SORT n BY h_*->f", "-ERR One or more scores can't be converted into double|"},
		{"SORT n BY w_* LIMIT 1 2", "*2|$3|1.5|$2|10|"},
		{"SORT n GET h_*->", "*6|$-1|$-1|$-1|$-1|$-1|$-1|"},
		{"SORT n GET nokey", "*6|$-1|$-1|$-1|$-1|$-1|$-1|"},
		{"SORT missing", "*0|"},
		{"SORT missing STORE d", ":0|"},
		{"SORT n STORE d", ":6|"},
		{"LRANGE d 0 -1", "*6|$2|-5|$1|1|$3|1.5|$1|2|$1|3|$2|10|"},
		{"TYPE d", "+list|"},
		{"SORT n BY nosort GET w_* STORE d", ":6|"},
		{"LRANGE d 0 -1", "*6|$2|30|$2|10|$2|20|$1|1|$3|-50|$0||"},
		{"SORT missing STORE d", ":0|"},
		{"EXISTS d", ":0|"},
		{"SORT n LIMIT a b", "-ERR value is not an integer or out of range|"},
		{"SORT n LIMIT 1", "-ERR syntax error|"},
		{"SORT n foo", "-ERR syntax error|"},
		{"SORT n STORE", "-ERR syntax error|"},
		{"SORT str", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
		{"SORT_RO n STORE d", "-ERR syntax error|"},
		{"SORT_RO n DESC LIMIT 0 2", "*2|$2|10|$1|3|"},
		{"SORT n LIMIT -1 2", "*2|$2|-5|$1|1|"},
		{"SORT n LIMIT 0 -5", "*6|$2|-5|$1|1|$3|1.5|$1|2|$1|3|$2|10|"},
		{"SORT n LIMIT 3 0", "*0|"},
		{"SORT n LIMIT 9223372036854775807 9223372036854775807", "*0|"},
		{"SORT s BY nosort STORE d2", ":5|"},
		{"LRANGE d2 0 -1", "*5|$1|1|$2|10|$1|2|$1|3|$1|5|"},
		{"SORT l BY w_* ALPHA", "*6|$1|b|$1|a|$2|10|$1|1|$1|2|$1|3|"},
		{"RPUSH nb 1 2 nan", ":3|"},
		{"SORT nb", "-ERR One or more scores can't be converted into double|"},
		{"SORT nb ALPHA", "*3|$1|1|$1|2|$3|nan|"},
		{"RPUSH ni 1 inf -inf 0x10", ":4|"},
		{"SORT ni", "*4|$4|-inf|$1|1|$4|0x10|$3|inf|"},
		{"RPUSH nu 1 1e-320", ":2|"},
		{"SORT nu", "-ERR One or more scores can't be converted into double|"},
		{"RPUSH no 1 1e400", ":2|"},
		{"SORT no", "-ERR One or more scores can't be converted into double|"},
		{"SORT n BY w_* STORE n", ":6|"},
		{"LRANGE n 0 -1", "*6|$2|-5|$3|1.5|$2|10|$1|1|$1|2|$1|3|"},
	})
}

// TestSortKeysAndFlags checks SORT's keys (the sorted key and the last
// STORE destination, as COMMAND GETKEYS reports them) and that only a SORT
// naming STORE routes as a write.
func TestSortKeysAndFlags(t *testing.T) {
	table := DataTable()
	cases := []struct {
		args  string
		keys  string
		write bool
	}{
		{"SORT a", "a", false},
		{"SORT a BY x STORE d LIMIT 1 2 STORE e", "a e", true},
		{"SORT a GET store BY store", "a", false},
		{"SORT a store", "a", false},
		{"SORT_RO a STORE d", "a", false},
	}
	for _, tc := range cases {
		argv := splitArgs(tc.args)
		cmd := table.Lookup(argv[0])
		var keys []string
		cmd.KeyArgs(argv, func(k []byte) { keys = append(keys, string(k)) })
		if got := strings.Join(keys, " "); got != tc.keys {
			t.Errorf("%s: keys %q, want %q", tc.args, got, tc.keys)
		}
		if got := cmd.FlagsFor(argv)&Write != 0; got != tc.write {
			t.Errorf("%s: write %v, want %v", tc.args, got, tc.write)
		}
	}
}

func splitArgs(s string) [][]byte {
	var argv [][]byte
	for _, f := range strings.Fields(s) {
		argv = append(argv, []byte(f))
	}
	return argv
}
