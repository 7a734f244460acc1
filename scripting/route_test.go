package scripting

import (
	"strings"
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

// TestKnownWriter: once a probe of a script or function reached a write,
// the server may propose its later calls at once, without settling the
// pipeline for a probe (server/probe.go): by body, by SHA-1 in any case,
// and by function name.
func TestKnownWriter(t *testing.T) {
	h := newFunctionHarness(t)
	NewMonitor().Attach(h.eng)
	set := "return redis.call('set', KEYS[1], 'x')"
	h.do("SCRIPT", "LOAD", set)
	h.do("FUNCTION", "LOAD", "#!lua name=p\nredis.register_function('s', function(k) return redis.call('set', k[1], 'y') end)")
	known := func(args ...string) bool {
		argv := make([][]byte, len(args))
		for i, a := range args {
			argv[i] = []byte(a)
		}
		return h.eng.KnownWriter(argv)
	}
	if known("EVAL", set, "1", "k") || known("FCALL", "s", "1", "k") {
		t.Fatal("known as writers before any probe")
	}
	if _, need := h.probe("EVAL", set, "1", "k"); need != NeedWrite {
		t.Fatalf("probe: %v, want NeedWrite", need)
	}
	if _, need := h.probe("FCALL", "s", "1", "k"); need != NeedWrite {
		t.Fatalf("probe: %v, want NeedWrite", need)
	}
	for _, args := range [][]string{{"EVAL", set, "1", "k"}, {"evalsha", strings.ToUpper(SHA1Hex([]byte(set))), "1", "k"}, {"FCALL", "s", "1", "k"}} {
		if !known(args...) {
			t.Errorf("%q not known as a writer after its probe", args[0])
		}
	}
	if known("EVAL", "return 1", "0") {
		t.Error("a script never probed is known as a writer")
	}
}
