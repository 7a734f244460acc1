package protocol

import (
	"strings"
	"testing"

	"github.com/geetcache/geetcache/datatypes"
)

// Each test case runs its commands in order on a fresh harness holding a
// string at key "s"; replies are RESP with "\r\n" written as "|".
type listCase struct {
	name  string
	cmds  [][2]string
	proto int // 3 for RESP3, else RESP2
}

func runListCases(t *testing.T, cases []listCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			if tc.proto == 3 {
				h.proto = 3
			}
			h.do("SET", "s", "v")
			h.check(tc.cmds)
		})
	}
}

const wrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value|"

func TestListPush(t *testing.T) { runListCases(t, listPushCases) }

var listPushCases = []listCase{
	{name: "lpush rpush order", cmds: [][2]string{
		{"LPUSH l a b c", ":3|"},
		{"RPUSH l d e", ":5|"},
		{"LRANGE l 0 -1", "*5|$1|c|$1|b|$1|a|$1|d|$1|e|"},
	}},
	{name: "pushx on a missing key", cmds: [][2]string{
		{"LPUSHX l a", ":0|"},
		{"RPUSHX l a b", ":0|"},
		{"EXISTS l", ":0|"},
	}},
	{name: "pushx on a list", cmds: [][2]string{
		{"RPUSH l a", ":1|"},
		{"LPUSHX l x y", ":3|"},
		{"RPUSHX l z", ":4|"},
		{"LRANGE l 0 -1", "*4|$1|y|$1|x|$1|a|$1|z|"},
	}},
	{name: "wrong type", cmds: [][2]string{
		{"LPUSH s a", wrongType},
		{"RPUSH s a", wrongType},
		{"LPUSHX s a", wrongType},
		{"RPUSHX s a", wrongType},
		{"LLEN s", wrongType},
	}},
	{name: "arity", cmds: [][2]string{
		{"LPUSH l", "-ERR wrong number of arguments for 'lpush' command|"},
		{"RPUSHX l", "-ERR wrong number of arguments for 'rpushx' command|"},
		{"LLEN", "-ERR wrong number of arguments for 'llen' command|"},
	}},
	{name: "llen", cmds: [][2]string{
		{"LLEN l", ":0|"},
		{"RPUSH l a b", ":2|"},
		{"LLEN l", ":2|"},
		{"TYPE l", "+list|"},
	}},
}

func TestListPop(t *testing.T) { runListCases(t, listPopCases) }

var listPopCases = []listCase{
	{name: "single pops", cmds: [][2]string{
		{"RPUSH l a b c", ":3|"},
		{"LPOP l", "$1|a|"},
		{"RPOP l", "$1|c|"},
		{"RPOP l", "$1|b|"},
		{"EXISTS l", ":0|"},
		{"LPOP l", "$-1|"},
	}},
	{name: "counted pops", cmds: [][2]string{
		{"RPUSH l a b c d e", ":5|"},
		{"LPOP l 0", "*0|"},
		{"LPOP l 2", "*2|$1|a|$1|b|"},
		{"RPOP l 2", "*2|$1|e|$1|d|"},
		{"RPOP l 9223372036854775807", "*1|$1|c|"},
		{"EXISTS l", ":0|"},
		{"LPOP l 0", "*-1|"},
		{"RPOP l 3", "*-1|"},
	}},
	{name: "bad counts", cmds: [][2]string{
		{"RPUSH l a", ":1|"},
		{"LPOP l -1", "-ERR value is out of range, must be positive|"},
		{"RPOP l x", "-ERR value is out of range, must be positive|"},
		{"LPOP s x", "-ERR value is out of range, must be positive|"},
		{"LPOP l 1 2", "-ERR wrong number of arguments for 'lpop' command|"},
		{"RPOP l 1 2", "-ERR wrong number of arguments for 'rpop' command|"},
	}},
	{name: "wrong type", cmds: [][2]string{
		{"LPOP s", wrongType},
		{"RPOP s 0", wrongType},
	}},
	{name: "resp3 nulls", proto: 3, cmds: [][2]string{
		{"LPOP l", "_|"},
		{"LPOP l 2", "_|"},
		{"RPUSH l a", ":1|"},
		{"RPOP l 0", "*0|"},
	}},
}

func TestListIndex(t *testing.T) { runListCases(t, listIndexCases) }

var listIndexCases = []listCase{
	{name: "lindex", cmds: [][2]string{
		{"LINDEX l 0", "$-1|"},
		{"LINDEX l x", "$-1|"},
		{"RPUSH l a b c", ":3|"},
		{"LINDEX l 0", "$1|a|"},
		{"LINDEX l -1", "$1|c|"},
		{"LINDEX l -3", "$1|a|"},
		{"LINDEX l 3", "$-1|"},
		{"LINDEX l -4", "$-1|"},
		{"LINDEX l x", "-ERR value is not an integer or out of range|"},
		{"LINDEX l -9223372036854775808", "$-1|"},
		{"LINDEX s x", wrongType},
	}},
	{name: "lset", cmds: [][2]string{
		{"LSET l 0 x", "-ERR no such key|"},
		{"LSET s x v", wrongType},
		{"RPUSH l a b c", ":3|"},
		{"LSET l 1 bb", "+OK|"},
		{"LSET l -1 C", "+OK|"},
		{"LSET l 3 x", "-ERR index out of range|"},
		{"LSET l -4 x", "-ERR index out of range|"},
		{"LSET l x v", "-ERR value is not an integer or out of range|"},
		{"LRANGE l 0 -1", "*3|$1|a|$2|bb|$1|C|"},
	}},
	{name: "lrange clamping", cmds: [][2]string{
		{"LRANGE l 0 -1", "*0|"},
		{"RPUSH l a b c d", ":4|"},
		{"LRANGE l 1 2", "*2|$1|b|$1|c|"},
		{"LRANGE l -2 100", "*2|$1|c|$1|d|"},
		{"LRANGE l -100 0", "*1|$1|a|"},
		{"LRANGE l 2 1", "*0|"},
		{"LRANGE l 4 10", "*0|"},
		{"LRANGE l -9223372036854775808 9223372036854775807", "*4|$1|a|$1|b|$1|c|$1|d|"},
		{"LRANGE l 0 -5", "*0|"},
	}},
	{name: "lrange parses before lookup", cmds: [][2]string{
		{"LRANGE missing x 1", "-ERR value is not an integer or out of range|"},
		{"LRANGE s 0 x", "-ERR value is not an integer or out of range|"},
		{"LRANGE s 0 1", wrongType},
	}},
	{name: "ltrim", cmds: [][2]string{
		{"LTRIM l 0 1", "+OK|"},
		{"LTRIM l x 1", "-ERR value is not an integer or out of range|"},
		{"LTRIM s 0 1", wrongType},
		{"RPUSH l a b c d e", ":5|"},
		{"LTRIM l 1 -2", "+OK|"},
		{"LRANGE l 0 -1", "*3|$1|b|$1|c|$1|d|"},
		{"LTRIM l -100 100", "+OK|"},
		{"LLEN l", ":3|"},
		{"LTRIM l 2 1", "+OK|"},
		{"EXISTS l", ":0|"},
	}},
}

func TestListEditCommands(t *testing.T) { runListCases(t, listEditCases) }

var listEditCases = []listCase{
	{name: "lrem", cmds: [][2]string{
		{"LREM l 0 a", ":0|"},
		{"LREM l x a", "-ERR value is not an integer or out of range|"},
		{"LREM s x a", "-ERR value is not an integer or out of range|"},
		{"LREM s 0 a", wrongType},
		{"RPUSH l a b a c a d a", ":7|"},
		{"LREM l 2 a", ":2|"},
		{"LRANGE l 0 -1", "*5|$1|b|$1|c|$1|a|$1|d|$1|a|"},
		{"LREM l -1 a", ":1|"},
		{"LRANGE l 0 -1", "*4|$1|b|$1|c|$1|a|$1|d|"},
		{"LREM l 0 zz", ":0|"},
		{"LREM l 100 a", ":1|"},
		{"LREM l -9223372036854775808 b", ":1|"},
		{"LREM l 0 c", ":1|"},
		{"LREM l 0 d", ":1|"},
		{"EXISTS l", ":0|"},
	}},
	{name: "linsert", cmds: [][2]string{
		{"LINSERT l before a b", ":0|"},
		{"LINSERT l middle a b", "-ERR syntax error|"},
		{"LINSERT s middle a b", "-ERR syntax error|"},
		{"LINSERT s BEFORE a b", wrongType},
		{"RPUSH l a b a", ":3|"},
		{"LINSERT l BEFORE a x", ":4|"},
		{"LINSERT l after a y", ":5|"},
		{"LINSERT l After nope z", ":-1|"},
		{"LRANGE l 0 -1", "*5|$1|x|$1|a|$1|y|$1|b|$1|a|"},
		{"LINSERT l after a", "-ERR wrong number of arguments for 'linsert' command|"},
	}},
}

const rankZero = "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... " +
	"or use negative to start from the end of the list|"

func TestListPos(t *testing.T) { runListCases(t, listPosCases) }

var listPosCases = []listCase{
	{name: "matches", cmds: [][2]string{
		{"RPUSH l a b a c a", ":5|"},
		{"LPOS l a", ":0|"},
		{"LPOS l c", ":3|"},
		{"LPOS l z", "$-1|"},
		{"LPOS l a RANK 2", ":2|"},
		{"LPOS l a RANK -1", ":4|"},
		{"LPOS l a RANK 4", "$-1|"},
		{"LPOS l a COUNT 0", "*3|:0|:2|:4|"},
		{"LPOS l a COUNT 2", "*2|:0|:2|"},
		{"LPOS l a COUNT 0 RANK -1", "*3|:4|:2|:0|"},
		{"LPOS l a COUNT 2 RANK 2", "*2|:2|:4|"},
		{"LPOS l a MAXLEN 2 COUNT 0", "*1|:0|"},
		{"LPOS l a RANK -1 MAXLEN 1", ":4|"},
		{"LPOS l a RANK 2 COUNT 5 RANK 1", "*3|:0|:2|:4|"},
		{"LPOS l z COUNT 1", "*0|"},
		{"LPOS l a RANK 9223372036854775807 COUNT 0", "*0|"},
	}},
	{name: "rank -2^63 wraps as in Redis", cmds: [][2]string{
		{"RPUSH l a b a c a", ":5|"},
		{"LPOS l a RANK -9223372036854775808", ":4|"},
		{"LPOS l a RANK -9223372036854775808 COUNT 1", "*3|:4|:2|:0|"},
		{"LPOS l a RANK -9223372036854775808 MAXLEN 2 COUNT 1", "*1|:4|"},
		{"LPOS l a RANK -9223372036854775807 COUNT 1", "*0|"},
	}},
	{name: "missing key", cmds: [][2]string{
		{"LPOS l a", "$-1|"},
		{"LPOS l a COUNT 1", "*0|"},
	}},
	{name: "errors", cmds: [][2]string{
		{"LPOS l a RANK 0", rankZero},
		{"LPOS s a RANK 0", rankZero},
		{"LPOS s a", wrongType},
		{"LPOS l a RANK x", "-ERR value is not an integer or out of range|"},
		{"LPOS l a COUNT -1", "-ERR COUNT can't be negative|"},
		{"LPOS l a COUNT x", "-ERR COUNT can't be negative|"},
		{"LPOS l a MAXLEN -1", "-ERR MAXLEN can't be negative|"},
		{"LPOS l a MAXLEN x", "-ERR MAXLEN can't be negative|"},
		{"LPOS l a FOO", "-ERR syntax error|"},
		{"LPOS l a FOO 1", "-ERR syntax error|"},
		{"LPOS l a RANK", "-ERR syntax error|"},
		{"LPOS l a RANK 1 COUNT", "-ERR syntax error|"},
		{"LPOS l a RANK x COUNT", "-ERR value is not an integer or out of range|"},
	}},
	{name: "resp3", proto: 3, cmds: [][2]string{
		{"LPOS l a", "_|"},
		{"RPUSH l a", ":1|"},
		{"LPOS l z", "_|"},
	}},
}

func TestListMove(t *testing.T) { runListCases(t, listMoveCases) }

var listMoveCases = []listCase{
	{name: "lmove between lists", cmds: [][2]string{
		{"RPUSH src a b c", ":3|"},
		{"LMOVE src dst LEFT RIGHT", "$1|a|"},
		{"LMOVE src dst right left", "$1|c|"},
		{"LRANGE dst 0 -1", "*2|$1|c|$1|a|"},
		{"RPOPLPUSH src dst", "$1|b|"},
		{"EXISTS src", ":0|"},
		{"LRANGE dst 0 -1", "*3|$1|b|$1|c|$1|a|"},
		{"LMOVE src dst LEFT LEFT", "$-1|"},
		{"RPOPLPUSH src dst", "$-1|"},
	}},
	{name: "rotation", cmds: [][2]string{
		{"RPUSH l 1 2 3", ":3|"},
		{"RPOPLPUSH l l", "$1|3|"},
		{"LRANGE l 0 -1", "*3|$1|3|$1|1|$1|2|"},
		{"LMOVE l l LEFT RIGHT", "$1|3|"},
		{"LRANGE l 0 -1", "*3|$1|1|$1|2|$1|3|"},
		{"LMOVE l l RIGHT RIGHT", "$1|3|"},
		{"LMOVE l l LEFT LEFT", "$1|1|"},
		{"LRANGE l 0 -1", "*3|$1|1|$1|2|$1|3|"},
	}},
	{name: "single element onto itself", cmds: [][2]string{
		{"RPUSH l a", ":1|"},
		{"LMOVE l l LEFT RIGHT", "$1|a|"},
		{"RPOPLPUSH l l", "$1|a|"},
		{"LRANGE l 0 -1", "*1|$1|a|"},
	}},
	{name: "wrong types checked before popping", cmds: [][2]string{
		{"RPUSH l a", ":1|"},
		{"LMOVE l s LEFT LEFT", wrongType},
		{"RPOPLPUSH l s", wrongType},
		{"LMOVE s l LEFT LEFT", wrongType},
		{"LMOVE missing s LEFT LEFT", "$-1|"},
		{"LLEN l", ":1|"},
	}},
	{name: "bad directions", cmds: [][2]string{
		{"LMOVE l x FOO LEFT", "-ERR syntax error|"},
		{"LMOVE l x LEFT FOO", "-ERR syntax error|"},
		{"LMOVE s s UP DOWN", "-ERR syntax error|"},
	}},
	{name: "resp3 null", proto: 3, cmds: [][2]string{
		{"LMOVE missing l LEFT LEFT", "_|"},
		{"RPOPLPUSH missing l", "_|"},
	}},
}

func TestListMpop(t *testing.T) { runListCases(t, listMpopCases) }

var listMpopCases = []listCase{
	{name: "pops from the first non-empty list", cmds: [][2]string{
		{"RPUSH l2 a b c", ":3|"},
		{"LMPOP 2 l1 l2 LEFT", "*2|$2|l2|*1|$1|a|"},
		{"LMPOP 2 l1 l2 right COUNT 5", "*2|$2|l2|*2|$1|c|$1|b|"},
		{"EXISTS l2", ":0|"},
		{"LMPOP 2 l1 l2 LEFT", "*-1|"},
	}},
	{name: "wrong type", cmds: [][2]string{
		{"RPUSH l a", ":1|"},
		{"LMPOP 1 s LEFT", wrongType},
		{"LMPOP 2 missing s LEFT", wrongType},
		{"LMPOP 2 l s RIGHT", "*2|$1|l|*1|$1|a|"},
	}},
	{name: "errors", cmds: [][2]string{
		{"LMPOP 0 l LEFT", "-ERR numkeys should be greater than 0|"},
		{"LMPOP x l LEFT", "-ERR numkeys should be greater than 0|"},
		{"LMPOP -1 l LEFT", "-ERR numkeys should be greater than 0|"},
		{"LMPOP 2 l LEFT", "-ERR syntax error|"},
		{"LMPOP 9223372036854775807 l LEFT", "-ERR syntax error|"},
		{"LMPOP 1 l MIDDLE", "-ERR syntax error|"},
		{"LMPOP 1 l LEFT COUNT 0", "-ERR count should be greater than 0|"},
		{"LMPOP 1 l LEFT COUNT -1", "-ERR count should be greater than 0|"},
		{"LMPOP 1 l LEFT COUNT x", "-ERR count should be greater than 0|"},
		{"LMPOP 1 l LEFT COUNT x FOO", "-ERR count should be greater than 0|"},
		{"LMPOP 1 l LEFT COUNT 1 COUNT 1", "-ERR syntax error|"},
		{"LMPOP 1 l LEFT COUNT 1 FOO", "-ERR syntax error|"},
		{"LMPOP 1 l LEFT FOO", "-ERR syntax error|"},
		{"LMPOP 1 l LEFT COUNT", "-ERR syntax error|"},
		{"LMPOP 1 l", "-ERR wrong number of arguments for 'lmpop' command|"},
	}},
	{name: "resp3", proto: 3, cmds: [][2]string{
		{"LMPOP 1 l LEFT", "_|"},
		{"RPUSH l a b", ":2|"},
		{"LMPOP 1 l LEFT COUNT 2", "*2|$1|l|*2|$1|a|$1|b|"},
	}},
}

// TestListExpiredKey checks list commands treat an expired list as missing.
func TestListExpiredKey(t *testing.T) {
	h := newHarness(t)
	h.check([][2]string{
		{"RPUSH l a b", ":2|"},
		{"PEXPIRE l 10", ":1|"},
	})
	h.advance(11)
	h.check([][2]string{
		{"LLEN l", ":0|"},
		{"LPUSHX l x", ":0|"},
		{"RPUSH l c", ":1|"},
		{"TTL l", ":-1|"},
		{"LRANGE l 0 -1", "*1|$1|c|"},
	})
}

// TestListKeepsSnapshot checks list writes never change a value a frozen
// snapshot shares.
func TestListKeepsSnapshot(t *testing.T) {
	cmds := []string{"RPUSH l x", "LPOP l", "RPOP l 2", "LSET l 0 changed", "LREM l 0 a",
		"LTRIM l 1 1", "LINSERT l BEFORE b x", "LMOVE l l LEFT RIGHT", "RPOPLPUSH l other", "LMPOP 1 l RIGHT"}
	for _, cmd := range cmds {
		t.Run(cmd, func(t *testing.T) {
			h := newHarness(t)
			h.do("RPUSH", "l", "a", "b", "c")
			frozen := h.ks.Freeze()
			h.do(strings.Fields(cmd)...)
			l := frozen.Lookup("l", h.now).Value.(*datatypes.List)
			got := []string{}
			l.Each(false, func(e []byte) bool { got = append(got, string(e)); return true })
			if strings.Join(got, ",") != "a,b,c" {
				t.Errorf("snapshot's list became %v", got)
			}
		})
	}
}
