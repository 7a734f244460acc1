package scripting

import (
	"bufio"
	"bytes"
	"testing"

	"github.com/geetcache/geetcache/protocol"
)

// TestFunctionCalls runs FUNCTION and FCALL through the engine as a node
// does (writes as the state machine, reads without Rand); the replies were
// taken from redis-server 7.0.15 except where a comment says otherwise.
func TestFunctionCalls(t *testing.T) {
	h := newFunctionHarness(t)
	h.run([]step{
		cmd("$3|lib|", "FUNCTION", "LOAD", `#!lua name=lib
local count = 0
local lib = redis
lib.register_function('f1', function(keys, args) return {keys[1], args[1], #keys, #args} end)
lib.register_function('f2', function() lib.register_function('f3', function() return 1 end) end)
redis.register_function('f4', function() lib.x = 1 end)
redis.register_function('f5', function() return rawset(lib, 'x', 1) end)
redis.register_function('count', function() count = count + 1 return count end)
redis.register_function('setx', function(keys) return redis.call('set', keys[1], 'x') end)
redis.register_function{function_name='getx', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}}
redis.register_function{function_name='badro', callback=function(keys) return redis.call('set', keys[1], 'y') end, flags={'no-writes'}}
redis.register_function('keysglobal', function() return KEYS end)`),
		cmd("*4|$1|a|$1|c|:2|:1|", "FCALL", "f1", "2", "a", "b", "c"),
		cmd("-ERR redis.register_function can only be called on FUNCTION LOAD command script: f2, on @user_function:5.|", "FCALL", "f2", "0"),
		cmd("-ERR user_function:6: Attempt to modify a readonly table script: f4, on @user_function:6.|", "FCALL", "f4", "0"),
		// geetcache: rawset of the library API is refused like any read-only table's.
		cmd("-ERR Attempt to modify a readonly table script: f5, on @user_function:7.|", "FCALL", "f5", "0"),
		// geetcache: every call starts from the library as loaded (Redis: 1, 2).
		cmd(":1|", "FCALL", "count", "0"),
		cmd(":1|", "FCALL", "COUNT", "0"),
		cmd("+OK|", "FCALL", "setx", "1", "k"),
		cmd("$1|x|", "FCALL_RO", "getx", "1", "k"),
		cmd("$1|x|", "FCALL", "getx", "1", "k"),
		cmd("-ERR Can not execute a script with write flag using *_ro command.|", "FCALL_RO", "setx", "1", "k"),
		cmd("-ERR Write commands are not allowed from read-only scripts. script: badro, on @user_function:11.|", "FCALL", "badro", "1", "k"),
		cmd("-ERR user_function:12: Script attempted to access nonexistent global variable 'KEYS' script: keysglobal, on @user_function:12.|", "FCALL", "keysglobal", "0"),
		cmd("-ERR Function not found|", "FCALL", "nope", "0"),
		cmd("-ERR Bad number of keys provided|", "FCALL", "f1", "x"),
	})
	// A stale KEYS global from an EVAL in the same pooled sandbox is not
	// seen by a function.
	h.do("EVAL", "return 1", "1", "leftover")
	if got := h.do("FCALL", "keysglobal", "0"); got[0] != '-' {
		t.Fatalf("a function saw KEYS: %q", got)
	}
}

// TestFCallRoutes: FCALL is a write unless its function is flagged
// no-writes; FCALL_RO is a read; FUNCTION writes its changes.
func TestFCallRoutes(t *testing.T) {
	h := newFunctionHarness(t)
	h.do("FUNCTION", "LOAD", "#!lua name=lib\nredis.register_function('w', function() return 1 end)\n"+
		"redis.register_function{function_name='r', callback=function() return 1 end, flags={'no-writes'}}\n"+
		"redis.register_function{function_name='oom', callback=function() return 1 end, flags={'allow-oom'}}")
	for _, tc := range []struct {
		args []string
		want protocol.Flags
	}{
		{[]string{"FCALL", "w", "0"}, protocol.Write | protocol.DenyOOM},
		{[]string{"FCALL", "oom", "0"}, protocol.Write},
		{[]string{"FCALL", "R", "0"}, protocol.Readonly},
		{[]string{"FCALL", "nope", "0"}, protocol.Write},
		{[]string{"FCALL_RO", "w", "0"}, protocol.Readonly},
		{[]string{"FUNCTION", "LOAD", "x"}, protocol.Write | protocol.DenyOOM},
		{[]string{"FUNCTION", "delete", "x"}, protocol.Write},
		{[]string{"FUNCTION", "FLUSH"}, protocol.Write},
		{[]string{"FUNCTION", "RESTORE", "x"}, protocol.Write | protocol.DenyOOM},
		{[]string{"FUNCTION", "LIST"}, protocol.Readonly},
		{[]string{"FUNCTION", "DUMP"}, protocol.Readonly},
		{[]string{"FUNCTION", "STATS"}, protocol.AllowBusy},
		{[]string{"FUNCTION", "KILL"}, protocol.AllowBusy},
		{[]string{"FUNCTION", "HELP"}, 0},
	} {
		argv := make([][]byte, len(tc.args))
		for i, a := range tc.args {
			argv[i] = []byte(a)
		}
		got := h.table.Lookup(argv[0]).FlagsFor(argv) & (protocol.Write | protocol.Readonly | protocol.AllowBusy | protocol.DenyOOM)
		if got != tc.want {
			t.Errorf("%q routes as %v, want %v", tc.args, got.Names(), tc.want.Names())
		}
	}
}

// TestFunctionsInStateSnapshot: the libraries travel in the scripting
// State's snapshot and answer the same after a restore.
func TestFunctionsInStateSnapshot(t *testing.T) {
	h := newFunctionHarness(t)
	h.do("FUNCTION", "LOAD", "#!lua name=lib\nredis.register_function{function_name='r', callback=function() return 'hi' end, flags={'no-writes'}, description='d'}")
	snap := h.eng.State().Snapshot().AppendSnapshot(nil)
	h2 := newFunctionHarness(t)
	if err := h2.eng.State().ReadSnapshot(bufio.NewReader(bytes.NewReader(snap))); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"FCALL_RO", "r", "0"}, {"FUNCTION", "LIST"}, {"FUNCTION", "DUMP"}} {
		if a, b := h.do(args...), h2.do(args...); a != b {
			t.Errorf("%q: %q before the snapshot, %q after", args, a, b)
		}
	}
}

// TestFunctionsConcurrentReadsAndLoads: FCALL_RO on several goroutines
// while the libraries are replaced, deleted and flushed (as reads run
// beside the state machine); run with -race.
func TestFunctionsConcurrentReadsAndLoads(t *testing.T) {
	h := newFunctionHarness(t)
	lib := "#!lua name=lib\nredis.register_function{function_name='r', callback=function() return 'v' end, flags={'no-writes'}}"
	h.do("FUNCTION", "LOAD", lib)
	done := make(chan struct{})
	errs := make(chan string, 4)
	for range 4 {
		go func() {
			for {
				select {
				case <-done:
					errs <- ""
					return
				default:
				}
				w := &protocol.Writer{Proto: 2}
				c := &protocol.Ctx{Args: [][]byte{[]byte("FCALL_RO"), []byte("r"), []byte("0")}, DB: h.ks, Now: h.now, Out: w}
				h.table.Lookup(c.Args[0]).Handler.ServeRESP(c)
				if got := string(w.B); got != "$1\r\nv\r\n" && got != "-ERR Function not found\r\n" {
					errs <- got
					return
				}
			}
		}()
	}
	for range 200 {
		h.do("FUNCTION", "LOAD", "REPLACE", lib)
		h.do("FUNCTION", "DELETE", "lib")
		h.do("FUNCTION", "LOAD", lib)
		h.do("FUNCTION", "FLUSH")
		h.do("FUNCTION", "LOAD", lib)
	}
	close(done)
	for range 4 {
		if e := <-errs; e != "" {
			t.Fatalf("FCALL_RO answered %q", e)
		}
	}
}
