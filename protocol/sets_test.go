package protocol

import (
	"strconv"
	"strings"
	"testing"
)

func TestSetCommands(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cases [][2]string
	}{
		{"sadd srem scard", [][2]string{
			{"SADD s a b a c", ":3|"},
			{"SADD s c d", ":1|"},
			{"SCARD s", ":4|"},
			{"SCARD nokey", ":0|"},
			{"SREM s a zz a", ":1|"},
			{"SREM nokey a", ":0|"},
			{"SREM s b c d", ":3|"},
			{"EXISTS s", ":0|"},
			{"SADD str a", hsWrongType},
			{"SREM str a", hsWrongType},
			{"SCARD str", hsWrongType},
		}},
		{"membership", [][2]string{
			{"SADD s a b", ":2|"},
			{"SISMEMBER s a", ":1|"},
			{"SISMEMBER s z", ":0|"},
			{"SISMEMBER nokey a", ":0|"},
			{"SMISMEMBER s a z b", "*3|:1|:0|:1|"},
			{"SMISMEMBER nokey a b", "*2|:0|:0|"},
			{"SISMEMBER str a", hsWrongType},
			{"SMISMEMBER str a", hsWrongType},
		}},
		{"smembers in insertion order", [][2]string{
			{"SADD s a b c d", ":4|"},
			{"SREM s b", ":1|"},
			{"SMEMBERS s", "*3|$1|a|$1|d|$1|c|"},
			{"SMEMBERS nokey", "*0|"},
			{"SMEMBERS str", hsWrongType},
		}},
		{"smove", [][2]string{
			{"SADD s a b", ":2|"},
			{"SMOVE nokey str a", ":0|"},
			{"SMOVE str s a", hsWrongType},
			{"SMOVE s str a", hsWrongType},
			{"SMOVE str str a", hsWrongType},
			{"SMOVE s s a", ":1|"},
			{"SMOVE s s z", ":0|"},
			{"SMOVE s t z", ":0|"},
			{"EXISTS t", ":0|"},
			{"SMOVE s t a", ":1|"},
			{"SMOVE s t b", ":1|"},
			{"EXISTS s", ":0|"},
			{"SMEMBERS t", "*2|$1|a|$1|b|"},
			{"SADD u a", ":1|"},
			{"SMOVE t u a", ":1|"},
			{"SMEMBERS u", "*1|$1|a|"},
		}},
		{"sinter sunion sdiff", [][2]string{
			{"SADD a 1 2 3 4", ":4|"},
			{"SADD b 4 3 5", ":3|"},
			{"SINTER a b", "*2|$1|4|$1|3|"},
			{"SINTER a", "*4|$1|1|$1|2|$1|3|$1|4|"},
			{"SINTER a nokey", "*0|"},
			{"SINTER nokey str", hsWrongType},
			{"SINTER a nokey str", hsWrongType},
			{"SUNION a b", "*5|$1|1|$1|2|$1|3|$1|4|$1|5|"},
			{"SUNION nokey b", "*3|$1|4|$1|3|$1|5|"},
			{"SUNION a str", hsWrongType},
			{"SDIFF a b", "*2|$1|1|$1|2|"},
			{"SDIFF a nokey b", "*2|$1|1|$1|2|"},
			{"SDIFF a a", "*0|"},
			{"SDIFF nokey a", "*0|"},
			{"SDIFF nokey str", hsWrongType},
		}},
		{"store variants", [][2]string{
			{"SADD a 1 2 3", ":3|"},
			{"SADD b 2 3 4", ":3|"},
			{"SINTERSTORE d a b", ":2|"},
			{"SMEMBERS d", "*2|$1|2|$1|3|"},
			{"PEXPIRE d 100000", ":1|"},
			{"SUNIONSTORE d a b", ":4|"},
			{"PTTL d", ":-1|"},
			{"SDIFFSTORE str a b", ":1|"},
			{"TYPE str", "+set|"},
			{"SDIFFSTORE d a a", ":0|"},
			{"EXISTS d", ":0|"},
			{"SET d x", "+OK|"},
			{"SINTERSTORE d a nokey", ":0|"},
			{"EXISTS d", ":0|"},
			{"SET d x", "+OK|"},
			{"SUNIONSTORE d d2 x", ":0|"},
			{"EXISTS d", ":0|"},
			{"SUNIONSTORE a a b", ":4|"},
			{"SET w x", "+OK|"},
			{"SINTERSTORE d a w", hsWrongType},
			{"SUNIONSTORE d a w", hsWrongType},
			{"SDIFFSTORE d w a", hsWrongType},
		}},
		{"sintercard", [][2]string{
			{"SADD a 1 2 3 4", ":4|"},
			{"SADD b 2 3 4 5", ":4|"},
			{"SINTERCARD 2 a b", ":3|"},
			{"SINTERCARD 2 a b LIMIT 2", ":2|"},
			{"SINTERCARD 2 a b LIMIT 0", ":3|"},
			{"SINTERCARD 2 a b limit 1 LIMIT 5", ":3|"},
			{"SINTERCARD 1 a", ":4|"},
			{"SINTERCARD 2 a nokey", ":0|"},
			{"SINTERCARD 0 a", "-ERR numkeys should be greater than 0|"},
			{"SINTERCARD -1 a", "-ERR numkeys should be greater than 0|"},
			{"SINTERCARD x a", "-ERR numkeys should be greater than 0|"},
			{"SINTERCARD 9223372036854775808 a", "-ERR numkeys should be greater than 0|"},
			{"SINTERCARD 3 a b", "-ERR Number of keys can't be greater than number of args|"},
			{"SINTERCARD 2 a b LIMIT", "-ERR syntax error|"},
			{"SINTERCARD 2 a b LIMIT -1", "-ERR LIMIT can't be negative|"},
			{"SINTERCARD 2 a b LIMIT x", "-ERR LIMIT can't be negative|"},
			{"SINTERCARD 2 a b FOO 1", "-ERR syntax error|"},
			{"SINTERCARD 1 a LIMIT 1 extra", "-ERR syntax error|"},
			{"SINTERCARD 2 nokey str", hsWrongType},
			{"SINTERCARD 2 str nokey", hsWrongType},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.do("SET", "str", "v")
			h.check(tc.cases)
		})
	}
}

func TestSetResp3Shapes(t *testing.T) {
	h := newHarness(t)
	h.proto = 3
	h.check([][2]string{
		{"SADD s a b", ":2|"},
		{"SMEMBERS s", "~2|$1|a|$1|b|"},
		{"SMEMBERS nokey", "~0|"},
		{"SINTER s", "~2|$1|a|$1|b|"},
		{"SUNION nokey", "~0|"},
		{"SDIFF s s", "~0|"},
		{"SISMEMBER s a", ":1|"},
		{"SMISMEMBER s a z", "*2|:1|:0|"},
		{"SRANDMEMBER nokey", "_|"},
		{"SRANDMEMBER nokey 2", "*0|"},
		{"SRANDMEMBER s 5", "*2|$1|a|$1|b|"},
		{"SPOP nokey", "_|"},
		{"SPOP nokey 2", "~0|"},
		{"SPOP s 0", "~0|"},
		{"SPOP s 5", "~2|$1|a|$1|b|"},
		{"EXISTS s", ":0|"},
		{"SSCAN nokey 0", "*2|$1|0|*0|"},
	})
}

func TestSpopAndSrandmember(t *testing.T) {
	h := newHarness(t)
	h.do("SET", "str", "v")
	h.check([][2]string{
		{"SADD s a", ":1|"},
		{"SRANDMEMBER s", "$1|a|"},
		{"SRANDMEMBER s -3", "*3|$1|a|$1|a|$1|a|"},
		{"SRANDMEMBER s 0", "*0|"},
		{"SRANDMEMBER nokey", "$-1|"},
		{"SRANDMEMBER nokey 3", "*0|"},
		{"SRANDMEMBER nokey -3", "*0|"},
		{"SRANDMEMBER s x", "-ERR value is not an integer or out of range|"},
		{"SRANDMEMBER nokey x", "-ERR value is not an integer or out of range|"},
		{"SRANDMEMBER s 1 2", "-ERR syntax error|"},
		{"SRANDMEMBER s -9223372036854775808", "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807|"},
		{"SRANDMEMBER s -9223372036854775807", "-" + ErrReplyTooLarge + "|"},
		{"SRANDMEMBER str", hsWrongType},
		{"SRANDMEMBER str 1", hsWrongType},
		{"SPOP s", "$1|a|"},
		{"EXISTS s", ":0|"},
		{"SPOP nokey", "$-1|"},
		{"SPOP nokey 2", "*0|"},
		{"SPOP s 1 2", "-ERR syntax error|"},
		{"SPOP s -1", "-ERR value is out of range, must be positive|"},
		{"SPOP s x", "-ERR value is out of range, must be positive|"},
		{"SPOP nokey -1", "-ERR value is out of range, must be positive|"},
		{"SPOP str", hsWrongType},
		{"SPOP str 0", hsWrongType},
		{"SADD s a b c d", ":4|"},
		{"SPOP s 0", "*0|"},
		{"SCARD s", ":4|"},
	})
	for _, pop := range []struct {
		count string
		want  int
	}{{"1", 1}, {"2", 2}, {"3", 1}} {
		if got := hsBulks(t, h.do("SPOP", "s", pop.count)); len(got) != pop.want {
			t.Fatalf("SPOP s %s: %q", pop.count, got)
		}
	}
	if got := h.do("EXISTS", "s"); got != ":0\r\n" {
		t.Fatalf("popped set still exists: %q", got)
	}
}

// TestRandomReplyLimit lowers the bound on repeated picks and expects the
// error instead of a reply over it.
func TestRandomReplyLimit(t *testing.T) {
	defer func(old int) { maxRandomReply = old }(maxRandomReply)
	maxRandomReply = 1000
	h := newHarness(t)
	h.do("SADD", "s", strings.Repeat("x", 100))
	h.do("HSET", "h", strings.Repeat("f", 100), "v")
	for _, args := range [][]string{
		{"SRANDMEMBER", "s", "-9"},
		{"HRANDFIELD", "h", "-9"},
	} {
		if got := h.do(args...); !strings.HasPrefix(got, "*9\r\n") {
			t.Errorf("%q under the limit: %q", args, got)
		}
		args[2] = "-11"
		if got := h.do(args...); got != "-"+ErrReplyTooLarge+"\r\n" {
			t.Errorf("%q over the limit: %q", args, got)
		}
	}
}

// TestSpopIsDeterministic runs the same SPOPs on two keyspaces with the same
// log sequence numbers and expects the same members popped.
func TestSpopIsDeterministic(t *testing.T) {
	run := func() string {
		h := newHarness(t)
		args := []string{"SADD", "s"}
		for i := range 100 {
			args = append(args, strconv.Itoa(i))
		}
		h.do(args...)
		return h.do("SPOP", "s", "10") + h.do("SPOP", "s") + h.do("SMEMBERS", "s")
	}
	if a, b := run(), run(); a != b {
		t.Fatalf("replicas diverge:\n%q\n%q", a, b)
	}
}

func TestSscan(t *testing.T) {
	h := newHarness(t)
	h.do("SET", "str", "v")
	h.check([][2]string{
		{"SADD s a b ab", ":3|"},
		{"SSCAN s 0", "*2|$1|0|*3|$1|a|$1|b|$2|ab|"},
		{"SSCAN s 0 MATCH a* COUNT 1", "*2|$1|0|*2|$1|a|$2|ab|"},
		{"SSCAN s 0 COUNT 0", "-ERR syntax error|"},
		{"SSCAN s 0 COUNT x", "-ERR value is not an integer or out of range|"},
		{"SSCAN s 0 MATCH", "-ERR syntax error|"},
		{"SSCAN s 0 TYPE set", "-ERR syntax error|"},
		{"SSCAN s x", "-ERR invalid cursor|"},
		{"SSCAN nokey 0 foo", "*2|$1|0|*0|"},
		{"SSCAN str 0 foo", hsWrongType},
		{"SSCAN str x", "-ERR invalid cursor|"},
	})
	args := []string{"SADD", "big"}
	for i := range 500 {
		args = append(args, strconv.Itoa(i))
	}
	h.do(args...)
	seen := map[string]int{}
	for cursor := "0"; ; {
		lines := strings.Split(h.do("SSCAN", "big", cursor, "COUNT", "20"), "\r\n")
		cursor = lines[2]
		for i := 5; i < len(lines); i += 2 {
			seen[lines[i]]++
		}
		if cursor == "0" {
			break
		}
	}
	if len(seen) != 500 {
		t.Fatalf("saw %d of 500", len(seen))
	}
}

// TestRandomShapes checks counts, distinctness and membership of random
// replies, which cannot be compared verbatim.
func TestRandomShapes(t *testing.T) {
	h := newHarness(t)
	members := []string{"SADD", "s"}
	for i := range 40 {
		members = append(members, string(rune('A'+i)))
	}
	h.do(members...)
	for _, tc := range []struct {
		name     string
		args     []string
		n        int
		distinct bool
	}{
		{"single", []string{"SRANDMEMBER", "s", "1"}, 1, true},
		{"distinct", []string{"SRANDMEMBER", "s", "25"}, 25, true},
		{"all", []string{"SRANDMEMBER", "s", "100"}, 40, true},
		{"repeats", []string{"SRANDMEMBER", "s", "-100"}, 100, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := hsBulks(t, h.do(tc.args...))
			if len(got) != tc.n {
				t.Fatalf("%d members, want %d", len(got), tc.n)
			}
			seen := map[string]bool{}
			for _, m := range got {
				if len(m) != 1 || m[0] < 'A' || m[0] >= 'A'+40 {
					t.Fatalf("not a member: %q", m)
				}
				if tc.distinct && seen[m] {
					t.Fatalf("repeated %q", m)
				}
				seen[m] = true
			}
		})
	}
}

// hsBulks returns the bulk strings of a flat RESP array of bulks.
func hsBulks(t *testing.T, reply string) []string {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(reply, "\r\n"), "\r\n")
	if !strings.HasPrefix(lines[0], "*") && !strings.HasPrefix(lines[0], "~") {
		t.Fatalf("not an array: %q", reply)
	}
	var out []string
	for i := 2; i < len(lines); i += 2 {
		out = append(out, lines[i])
	}
	return out
}
