package protocol

import (
	"testing"
)

var expireScripts = []keyScript{
	{"option errors", [][2]string{
		{"SET k v", "+OK|"},
		{"EXPIRE k 10 foo", "-ERR Unsupported option foo|"},
		{"EXPIRE k abc foo", "-ERR Unsupported option foo|"},
		{"EXPIRE k 10 NX foo", "-ERR Unsupported option foo|"},
		{"EXPIRE k abc NX XX", "-ERR NX and XX, GT or LT options at the same time are not compatible|"},
		{"EXPIRE k 10 XX NX", "-ERR NX and XX, GT or LT options at the same time are not compatible|"},
		{"EXPIRE k 10 nx gt", "-ERR NX and XX, GT or LT options at the same time are not compatible|"},
		{"EXPIRE k 10 LT NX", "-ERR NX and XX, GT or LT options at the same time are not compatible|"},
		{"EXPIRE k 10 NX XX GT LT", "-ERR NX and XX, GT or LT options at the same time are not compatible|"},
		{"EXPIRE k 10 GT LT", "-ERR GT and LT options at the same time are not compatible|"},
		{"PEXPIRE k 10 gt lt xx", "-ERR GT and LT options at the same time are not compatible|"},
		{"EXPIRE k abc", "-ERR value is not an integer or out of range|"},
		{"EXPIRE k 1.5", "-ERR value is not an integer or out of range|"},
		{"EXPIRE k +1", "-ERR value is not an integer or out of range|"},
		{"EXPIRE", "-ERR wrong number of arguments for 'expire' command|"},
		{"EXPIRE k", "-ERR wrong number of arguments for 'expire' command|"},
		{"PEXPIREAT k", "-ERR wrong number of arguments for 'pexpireat' command|"},
		{"TTL k", ":-1|"},
	}},
	{"overflow", [][2]string{
		{"SET k v", "+OK|"},
		{"EXPIRE k 9223372036854776", "-ERR invalid expire time in 'expire' command|"},
		{"EXPIRE k -9223372036854776", "-ERR invalid expire time in 'expire' command|"},
		{"EXPIRE k 9223372036854775", "-ERR invalid expire time in 'expire' command|"},
		{"EXPIREAT k 9223372036854776", "-ERR invalid expire time in 'expireat' command|"},
		{"PEXPIRE k 9223372036854775807", "-ERR invalid expire time in 'pexpire' command|"},
		{"EXPIRE k 9223372036854775808", "-ERR value is not an integer or out of range|"},
		{"TTL k", ":-1|"},
		{"EXPIREAT k -9223372036854775", ":1|"},
		{"EXISTS k", ":0|"},
		{"SET k v", "+OK|"},
		{"PEXPIRE k -9223372036854775808", ":1|"},
		{"EXISTS k", ":0|"},
		{"SET k v", "+OK|"},
		{"PEXPIREAT k 9223372036854775807", ":1|"},
		{"PEXPIRETIME k", ":9223372036854775807|"},
		{"EXPIRETIME k", ":9223372036854776|"},
		{"EXPIREAT k 9223372036854775", ":1|"},
		{"PEXPIRETIME k", ":9223372036854775000|"},
		{"EXPIRETIME k", ":9223372036854775|"},
	}},
	{"past times delete", [][2]string{
		{"SET k v", "+OK|"},
		{"EXPIRE k 0", ":1|"},
		{"EXISTS k", ":0|"},
		{"SET k v", "+OK|"},
		{"PEXPIRE k -1", ":1|"},
		{"EXISTS k", ":0|"},
		{"SET k v", "+OK|"},
		{"EXPIREAT k 1", ":1|"},
		{"EXISTS k", ":0|"},
		{"SET k v", "+OK|"},
		{"PEXPIREAT k 0", ":1|"},
		{"EXISTS k", ":0|"},
		{"EXPIRE k 10", ":0|"},
		{"EXPIRE k -10", ":0|"},
	}},
	{"absolute times", [][2]string{
		{"SET k v", "+OK|"},
		{"EXPIREAT k 4000000000", ":1|"},
		{"EXPIRETIME k", ":4000000000|"},
		{"PEXPIRETIME k", ":4000000000000|"},
		{"PEXPIREAT k 4000000000123", ":1|"},
		{"EXPIRETIME k", ":4000000000|"},
		{"PEXPIREAT k 4000000000500", ":1|"},
		{"EXPIRETIME k", ":4000000001|"},
		{"TYPE k", "+string|"},
	}},
	{"nx xx", [][2]string{
		{"SET k v", "+OK|"},
		{"EXPIRE k 100 XX", ":0|"},
		{"TTL k", ":-1|"},
		{"EXPIRE k 100 nx", ":1|"},
		{"EXPIRE k 200 NX", ":0|"},
		{"TTL k", ":100|"},
		{"EXPIRE k 200 xx", ":1|"},
		{"TTL k", ":200|"},
		{"EXPIRE k -1 NX", ":0|"},
		{"EXISTS k", ":1|"},
		{"EXPIRE k -1 XX", ":1|"},
		{"EXISTS k", ":0|"},
		{"EXPIRE k 10 NX", ":0|"},
	}},
	{"gt lt", [][2]string{
		{"SET k v", "+OK|"},
		{"EXPIRE k 100 GT", ":0|"},
		{"TTL k", ":-1|"},
		{"EXPIRE k 100 LT", ":1|"},
		{"TTL k", ":100|"},
		// Not "EXPIRE k 100 GT": on a real server a millisecond may pass
		// between the two EXPIREs, making the new deadline the later one.
		{"EXPIRE k 99 GT", ":0|"},
		{"EXPIRE k 50 GT", ":0|"},
		{"EXPIRE k 200 GT", ":1|"},
		{"TTL k", ":200|"},
		{"EXPIRE k 200 LT", ":0|"},
		{"EXPIRE k 300 LT", ":0|"},
		{"EXPIRE k 150 lt", ":1|"},
		{"TTL k", ":150|"},
		{"EXPIRE k 300 XX GT", ":1|"},
		{"EXPIRE k 100 XX LT", ":1|"},
		{"TTL k", ":100|"},
		{"EXPIRE k -5 GT", ":0|"},
		{"EXISTS k", ":1|"},
		{"EXPIRE k -5 LT", ":1|"},
		{"EXISTS k", ":0|"},
		{"SET k v", "+OK|"},
		{"EXPIRE k -5 LT", ":1|"},
		{"EXISTS k", ":0|"},
		{"EXPIRE k 10 LT", ":0|"},
	}},
	{"persist", [][2]string{
		{"PERSIST k", ":0|"},
		{"SET k v", "+OK|"},
		{"PERSIST k", ":0|"},
		{"EXPIRE k 100", ":1|"},
		{"PERSIST k", ":1|"},
		{"TTL k", ":-1|"},
		{"PERSIST k", ":0|"},
		{"PERSIST", "-ERR wrong number of arguments for 'persist' command|"},
	}},
	{"set keeps no ttl", [][2]string{
		{"SET k v", "+OK|"},
		{"EXPIRE k 100", ":1|"},
		{"SET k w", "+OK|"},
		{"TTL k", ":-1|"},
	}},
}

func TestExpireCommands(t *testing.T) { runKeyScripts(t, expireScripts) }

var ttlScripts = []keyScript{
	{"missing and persistent", [][2]string{
		{"TTL k", ":-2|"},
		{"PTTL k", ":-2|"},
		{"EXPIRETIME k", ":-2|"},
		{"PEXPIRETIME k", ":-2|"},
		{"SET k v", "+OK|"},
		{"TTL k", ":-1|"},
		{"PTTL k", ":-1|"},
		{"EXPIRETIME k", ":-1|"},
		{"PEXPIRETIME k", ":-1|"},
		{"TTL", "-ERR wrong number of arguments for 'ttl' command|"},
		{"PEXPIRETIME k k", "-ERR wrong number of arguments for 'pexpiretime' command|"},
	}},
	{"relative", [][2]string{
		{"SET k v", "+OK|"},
		{"EXPIRE k 100", ":1|"},
		{"TTL k", ":100|"},
		{"PTTL k", "!:100000|"},
		{"PEXPIRE k 100000", ":1|"},
		{"TTL k", ":100|"},
		{"PEXPIRE k 1400", ":1|"},
		{"TTL k", ":1|"},
		{"PEXPIRE k 1600", ":1|"},
		{"TTL k", ":2|"},
	}},
}

func TestTTLCommands(t *testing.T) { runKeyScripts(t, ttlScripts) }

// TestTTLOverTime follows one key through its expiry with the harness clock:
// TTL rounds to the nearest second, the key lives through its expiry
// millisecond, and reads do not remove it (the FSM's next lookup does).
func TestTTLOverTime(t *testing.T) {
	h := newHarness(t)
	h.check([][2]string{
		{"SET k v", "+OK|"},
		{"PEXPIRE k 1500", ":1|"},
		{"PTTL k", ":1500|"},
		{"TTL k", ":2|"},
		{"PEXPIRETIME k", ":" + decimal(h.now+1500) + "|"},
		{"EXPIRETIME k", ":" + decimal((h.now+1500+500)/1000) + "|"},
	})
	steps := []struct {
		advance   int64
		pttl, ttl string
	}{
		{1000, ":500|", ":1|"},
		{1, ":499|", ":0|"},
		{499, ":0|", ":0|"},
		{1, ":-2|", ":-2|"},
	}
	for _, st := range steps {
		h.advance(st.advance)
		h.check([][2]string{{"PTTL k", st.pttl}, {"TTL k", st.ttl}})
	}
	h.check([][2]string{
		{"DBSIZE", ":1|"},
		{"PERSIST k", ":0|"},
		{"DBSIZE", ":0|"},
	})
}

// TestExpireUsesEntryTime checks relative expiries become absolute at the
// entry's time, and that an expiry at exactly that time deletes the key.
func TestExpireUsesEntryTime(t *testing.T) {
	h := newHarness(t)
	h.check([][2]string{
		{"SET k v", "+OK|"},
		{"EXPIRE k 10", ":1|"},
		{"PEXPIRETIME k", ":" + decimal(h.now+10_000) + "|"},
		{"PEXPIREAT k " + decimal(h.now+1), ":1|"},
		{"PTTL k", ":1|"},
		{"PEXPIREAT k " + decimal(h.now), ":1|"},
		{"EXISTS k", ":0|"},
		{"DBSIZE", ":0|"},
	})
}

// TestExpireOptionBytes checks options are read as C strings, as Redis's
// strcasecmp reads them, and how an unknown option is echoed.
func TestExpireOptionBytes(t *testing.T) {
	h := newHarness(t)
	h.do("SET", "k", "v")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"option ends at NUL", []string{"EXPIRE", "k", "100", "nx\x00junk"}, ":1\r\n"},
		{"unknown option cut at NUL, newlines spaced",
			[]string{"EXPIRE", "k", "10", "fo\r\nx\x00y"}, "-ERR Unsupported option fo  x\r\n"},
		{"trailing newlines trimmed", []string{"EXPIRE", "k", "10", "foo\r\n"}, "-ERR Unsupported option foo\r\n"},
		{"empty option", []string{"EXPIRE", "k", "10", ""}, "-ERR Unsupported option \r\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := h.do(tc.args...); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
