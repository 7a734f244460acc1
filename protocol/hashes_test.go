package protocol

import (
	"strconv"
	"strings"
	"testing"
)

const hsWrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value|"

func TestHashCommands(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cases [][2]string
	}{
		{"hset and hget", [][2]string{
			{"HSET h a 1 b 2", ":2|"},
			{"HSET h a 3 c 4", ":1|"},
			{"HGET h a", "$1|3|"},
			{"HGET h zz", "$-1|"},
			{"HGET nokey a", "$-1|"},
			{"HSET h a", "-ERR wrong number of arguments for 'hset' command|"},
			{"HSET h a 1 b", "-ERR wrong number of arguments for 'hset' command|"},
			{"HSET s a 1 b", "-ERR wrong number of arguments for 'hset' command|"},
			{"HSET s a 1", hsWrongType},
			{"HGET s a", hsWrongType},
		}},
		{"hmset", [][2]string{
			{"HMSET h a 1 b 2", "+OK|"},
			{"HMSET h a", "-ERR wrong number of arguments for 'hmset' command|"},
			{"HMSET h a 1 b", "-ERR wrong number of arguments for 'hmset' command|"},
			{"HMSET s a 1", hsWrongType},
			{"HMGET h a b zz", "*3|$1|1|$1|2|$-1|"},
			{"HMGET nokey a b", "*2|$-1|$-1|"},
			{"HMGET s a", hsWrongType},
		}},
		{"hsetnx", [][2]string{
			{"HSETNX h a 1", ":1|"},
			{"HSETNX h a 2", ":0|"},
			{"HGET h a", "$1|1|"},
			{"HSETNX s a 1", hsWrongType},
		}},
		{"hdel deletes the empty hash", [][2]string{
			{"HSET h a 1 b 2 c 3", ":3|"},
			{"HDEL h a zz a", ":1|"},
			{"HLEN h", ":2|"},
			{"HDEL h b c", ":2|"},
			{"EXISTS h", ":0|"},
			{"HDEL nokey a", ":0|"},
			{"HDEL s a", hsWrongType},
		}},
		{"hlen hexists hstrlen", [][2]string{
			{"HSET h a hello", ":1|"},
			{"HLEN h", ":1|"},
			{"HLEN nokey", ":0|"},
			{"HEXISTS h a", ":1|"},
			{"HEXISTS h b", ":0|"},
			{"HEXISTS nokey a", ":0|"},
			{"HSTRLEN h a", ":5|"},
			{"HSTRLEN h b", ":0|"},
			{"HSTRLEN nokey a", ":0|"},
			{"HLEN s", hsWrongType},
			{"HEXISTS s a", hsWrongType},
			{"HSTRLEN s a", hsWrongType},
		}},
		{"hgetall hkeys hvals in insertion order", [][2]string{
			{"HSET h a 1 b 2 c 3", ":3|"},
			{"HDEL h a", ":1|"},
			{"HGETALL h", "*4|$1|c|$1|3|$1|b|$1|2|"},
			{"HKEYS h", "*2|$1|c|$1|b|"},
			{"HVALS h", "*2|$1|3|$1|2|"},
			{"HGETALL nokey", "*0|"},
			{"HKEYS nokey", "*0|"},
			{"HVALS nokey", "*0|"},
			{"HGETALL s", hsWrongType},
			{"HKEYS s", hsWrongType},
			{"HVALS s", hsWrongType},
		}},
		{"hincrby", [][2]string{
			{"HINCRBY h n 5", ":5|"},
			{"HINCRBY h n -7", ":-2|"},
			{"HGET h n", "$2|-2|"},
			{"HINCRBY h n x", "-ERR value is not an integer or out of range|"},
			{"HINCRBY h n 1.5", "-ERR value is not an integer or out of range|"},
			{"HSET h f 1.5 z 012 big 9223372036854775807 neg -9223372036854775808", ":4|"},
			{"HINCRBY h f 1", "-ERR hash value is not an integer|"},
			{"HINCRBY h z 1", "-ERR hash value is not an integer|"},
			{"HINCRBY h big 1", "-ERR increment or decrement would overflow|"},
			{"HINCRBY h big -1", ":9223372036854775806|"},
			{"HINCRBY h neg -1", "-ERR increment or decrement would overflow|"},
			{"HINCRBY h neg 9223372036854775807", ":-1|"},
			{"HINCRBY s a 1", hsWrongType},
			{"HINCRBY nokey2 a x", "-ERR value is not an integer or out of range|"},
			{"EXISTS nokey2", ":0|"},
		}},
		{"hincrbyfloat", [][2]string{
			{"HINCRBYFLOAT h f 1.1", "$3|1.1|"},
			{"HINCRBYFLOAT h f 0.1", "$3|1.2|"},
			{"HINCRBYFLOAT h f -1.2", "$1|0|"},
			{"HSET h big 9223372036854775807 bad x inf inf", ":3|"},
			{"HINCRBYFLOAT h big 1", "$19|9223372036854775808|"},
			{"HINCRBYFLOAT h f 5e3", "$4|5000|"},
			{"HINCRBYFLOAT h f x", "-ERR value is not a valid float|"},
			{"HINCRBYFLOAT h f nan", "-ERR value is not a valid float|"},
			{"HINCRBYFLOAT h f inf", "-ERR value is NaN or Infinity|"},
			{"HINCRBYFLOAT h f -inf", "-ERR value is NaN or Infinity|"},
			{"HINCRBYFLOAT h bad 1", "-ERR hash value is not a float|"},
			{"HINCRBYFLOAT h inf 1", "-ERR increment would produce NaN or Infinity|"},
			{"HINCRBYFLOAT s a 1", hsWrongType},
			{"HINCRBYFLOAT nokey2 a x", "-ERR value is not a valid float|"},
			{"EXISTS nokey2", ":0|"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.do("SET", "s", "v")
			h.check(tc.cases)
		})
	}
}

func TestHashResp3Shapes(t *testing.T) {
	h := newHarness(t)
	h.proto = 3
	h.check([][2]string{
		{"HSET h a 1 b 2", ":2|"},
		{"HGETALL h", "%2|$1|a|$1|1|$1|b|$1|2|"},
		{"HGETALL nokey", "%0|"},
		{"HKEYS h", "*2|$1|a|$1|b|"},
		{"HGET h zz", "_|"},
		{"HMGET h zz", "*1|_|"},
		{"HRANDFIELD nokey", "_|"},
		{"HRANDFIELD nokey 2", "*0|"},
		{"HRANDFIELD h 5 WITHVALUES", "*2|*2|$1|a|$1|1|*2|$1|b|$1|2|"},
		{"HRANDFIELD h 0 WITHVALUES", "*0|"},
		{"HSCAN h 0", "*2|$1|0|*4|$1|a|$1|1|$1|b|$1|2|"},
	})
}

func TestHrandfield(t *testing.T) {
	h := newHarness(t)
	h.do("SET", "s", "v")
	h.check([][2]string{
		{"HSET h a 1 b 2 c 3", ":3|"},
		{"HRANDFIELD h 3", "*3|$1|a|$1|b|$1|c|"},
		{"HRANDFIELD h 10 WITHVALUES", "*6|$1|a|$1|1|$1|b|$1|2|$1|c|$1|3|"},
		{"HRANDFIELD h 0", "*0|"},
		{"HRANDFIELD nokey", "$-1|"},
		{"HRANDFIELD nokey 3", "*0|"},
		{"HRANDFIELD nokey -3 WITHVALUES", "*0|"},
		{"HRANDFIELD h x", "-ERR value is not an integer or out of range|"},
		{"HRANDFIELD nokey x", "-ERR value is not an integer or out of range|"},
		{"HRANDFIELD h 1 foo", "-ERR syntax error|"},
		{"HRANDFIELD nokey 1 foo", "-ERR syntax error|"},
		{"HRANDFIELD h 1 WITHVALUES x", "-ERR syntax error|"},
		{"HRANDFIELD h -9223372036854775808", "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807|"},
		{"HRANDFIELD h 4611686018427387904 WITHVALUES", "-ERR value is out of range|"},
		{"HRANDFIELD h -4611686018427387904 WITHVALUES", "-ERR value is out of range|"},
		{"HRANDFIELD h 4611686018427387903 WITHVALUES", "*6|$1|a|$1|1|$1|b|$1|2|$1|c|$1|3|"},
		{"HRANDFIELD h -9223372036854775807", "-" + ErrReplyTooLarge + "|"},
		{"HRANDFIELD s", hsWrongType},
		{"HRANDFIELD s 1", hsWrongType},
		{"HRANDFIELD s x", "-ERR value is not an integer or out of range|"},
	})
	// Redis compares keywords as C strings: they end at a NUL byte.
	if got := h.do("HRANDFIELD", "h", "-1", "withvalues\x00junk"); !strings.HasPrefix(got, "*2\r\n$1\r\n") {
		t.Errorf("WITHVALUES with a NUL: %q", got)
	}
}

func TestHscan(t *testing.T) {
	h := newHarness(t)
	h.do("SET", "s", "v")
	h.check([][2]string{
		{"HSET h a 1 b 2 ab 3", ":3|"},
		{"HSCAN h 0", "*2|$1|0|*6|$1|a|$1|1|$1|b|$1|2|$2|ab|$1|3|"},
		{"HSCAN h 0 MATCH a*", "*2|$1|0|*4|$1|a|$1|1|$2|ab|$1|3|"},
		{"HSCAN h 0 MATCH 1", "*2|$1|0|*0|"},
		{"HSCAN h 123 COUNT 1", "*2|$1|0|*6|$1|a|$1|1|$1|b|$1|2|$2|ab|$1|3|"},
		{"HSCAN h x", "-ERR invalid cursor|"},
		{"HSCAN h -", "-ERR invalid cursor|"},
		{"HSCAN h 18446744073709551616", "-ERR invalid cursor|"},
		{"HSCAN h 0 COUNT 0", "-ERR syntax error|"},
		{"HSCAN h 0 COUNT x", "-ERR value is not an integer or out of range|"},
		{"HSCAN h 0 COUNT", "-ERR syntax error|"},
		{"HSCAN h 0 NOVALUES", "-ERR syntax error|"},
		{"HSCAN h 0 TYPE hash", "-ERR syntax error|"},
		{"HSCAN h 0 TYPE hash COUNT x", "-ERR syntax error|"},
		{"HSCAN h 0 COUNT x TYPE hash", "-ERR value is not an integer or out of range|"},
		{"HSCAN nokey 0 foo", "*2|$1|0|*0|"},
		{"HSCAN nokey x", "-ERR invalid cursor|"},
		{"HSCAN s 0 foo", hsWrongType},
		{"HSCAN s x", "-ERR invalid cursor|"},
	})
}

// TestHscanLarge walks a large hash with small batches and expects every
// field once, with its value.
func TestHscanLarge(t *testing.T) {
	h := newHarness(t)
	args := []string{"HSET", "h"}
	for i := range 300 {
		args = append(args, "f"+strconv.Itoa(i), "v"+strconv.Itoa(i))
	}
	h.do(args...)
	seen := map[string]string{}
	cursor := "0"
	for calls := 0; ; calls++ {
		if calls > 1000 {
			t.Fatal("scan does not end")
		}
		lines := strings.Split(h.do("HSCAN", "h", cursor, "COUNT", "7"), "\r\n")
		cursor = lines[2]
		for i := 5; i+2 < len(lines); i += 4 {
			seen[lines[i]] = lines[i+2]
		}
		if cursor == "0" {
			break
		}
	}
	if len(seen) != 300 || seen["f42"] != "v42" {
		t.Fatalf("saw %d fields, f42=%q", len(seen), seen["f42"])
	}
}
