package scripting

import (
	"testing"

	"github.com/geetcache/geetcache/protocol"
)

// TestEvalRouting: how the server routes one call (FlagsFor): the EVAL of
// a no-writes script is a read, of an allow-oom one, or of one without a
// shebang that calls no denyoom command, a write that memory does not
// stop, of any other a denyoom write; EVAL_RO is a read; SCRIPT
// LOAD and FLUSH are writes, EXISTS a read, HELP and KILL run on the node.
func TestEvalRouting(t *testing.T) {
	h := newHarness(t)
	h.do("SCRIPT", "LOAD", "#!lua flags=no-writes\nreturn 1")
	const write = protocol.Write | protocol.DenyOOM
	for _, tc := range []struct {
		args []string
		want protocol.Flags
	}{
		{[]string{"EVAL", "return 1", "0"}, protocol.Write},
		{[]string{"EVAL", "return redis.call('get','x')", "0"}, protocol.Write},
		{[]string{"EVAL", "redis.call('del','x') return redis.pcall(\"TIME\")", "0"}, protocol.Write},
		{[]string{"EVAL", "return redis.call('set','x','1')", "0"}, write},
		{[]string{"EVAL", "return redis.call(ARGV[1],'x')", "0"}, write},
		{[]string{"EVAL", "local c = redis.call return c('get','x')", "0"}, write},
		{[]string{"EVAL", "local r = redis return r.call('set','x','1')", "0"}, write},
		{[]string{"EVAL", "return redis['call']('set','x','1')", "0"}, write},
		{[]string{"EVAL", "local ok = pcall(function() return 1 end) return redis.call('get','x')", "0"}, protocol.Write},
		{[]string{"EVAL", "#!lua\nreturn 1", "0"}, write},
		{[]string{"EVAL", "#!lua flags=no-writes\nreturn 1", "0"}, protocol.Readonly},
		{[]string{"EVAL", "#!lua flags=allow-oom\nreturn 1", "0"}, protocol.Write},
		{[]string{"EVAL", "#!lua flags=bad\nreturn 1", "0"}, write},
		{[]string{"EVALSHA", SHA1Hex([]byte("#!lua flags=no-writes\nreturn 1")), "0"}, protocol.Readonly},
		{[]string{"EVALSHA", SHA1Hex([]byte("unknown")), "0"}, write},
		{[]string{"EVAL_RO", "return 1", "0"}, protocol.Readonly},
		{[]string{"EVALSHA_RO", SHA1Hex([]byte("unknown")), "0"}, protocol.Readonly},
		{[]string{"SCRIPT", "LOAD", "return 1"}, protocol.Write},
		{[]string{"SCRIPT", "flush"}, protocol.Write},
		{[]string{"SCRIPT", "EXISTS", "x"}, protocol.Readonly},
		{[]string{"SCRIPT", "HELP"}, 0},
		{[]string{"SCRIPT", "KILL"}, 0},
	} {
		argv := make([][]byte, len(tc.args))
		for i, a := range tc.args {
			argv[i] = []byte(a)
		}
		got := h.table.Lookup(argv[0]).FlagsFor(argv) & (protocol.Write | protocol.Readonly | protocol.DenyOOM)
		if got != tc.want {
			t.Errorf("%q: flags %v, want %v", tc.args, got.Names(), tc.want.Names())
		}
	}
}
