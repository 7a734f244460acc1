package scripting

import (
	"testing"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// probeConn is a connection running probes.
type probeConn struct{ need ProbeNeed }

func (p *probeConn) Probing() bool               { return true }
func (p *probeConn) ProbeStopped(need ProbeNeed) { p.need = need }

// probe runs args as a probe (a read on a probing connection) and returns
// the reply and what the probe reported.
func (h *harness) probe(args ...string) (string, ProbeNeed) {
	h.t.Helper()
	argv := make([][]byte, len(args))
	for i, a := range args {
		argv[i] = []byte(a)
	}
	w := &protocol.Writer{Proto: h.proto}
	pc := &probeConn{}
	h.table.Lookup(argv[0]).Handler.ServeRESP(&protocol.Ctx{Args: argv, DB: h.ks, Now: h.now, Out: w, Conn: pc})
	return string(w.B), pc.need
}

func TestProbe(t *testing.T) {
	h := newFunctionHarness(t)
	NewMonitor().Attach(h.eng)
	h.do("SET", "k", "v")
	h.do("SCRIPT", "LOAD", "return redis.call('get', KEYS[1])")
	h.do("SCRIPT", "LOAD", "return redis.call('set', KEYS[1], 'x')")
	h.do("SCRIPT", "LOAD", "local ok = pcall(redis.call, 'set', KEYS[1], 'x') return redis.call('get', KEYS[1])")
	h.do("SCRIPT", "LOAD", "redis.pcall('del', KEYS[1]) return redis.call('get', KEYS[1])")
	h.do("FUNCTION", "LOAD", "#!lua name=p\nredis.register_function('g', function(k) return redis.call('get', k[1]) end)\n"+
		"redis.register_function('s', function(k) return redis.call('set', k[1], 'y') end)")
	cases := []struct {
		name  string
		args  []string
		reply string
		need  ProbeNeed
	}{
		{"read-only script answers", []string{"EVAL", "return redis.call('get', KEYS[1])", "1", "k"}, "$1\r\nv\r\n", NeedNothing},
		{"a write stops it", []string{"EVAL", "return redis.call('set', KEYS[1], 'x')", "1", "k"}, "", NeedWrite},
		{"pcall cannot hide the write", []string{"EVAL", "local ok = pcall(redis.call, 'set', KEYS[1], 'x') return redis.call('get', KEYS[1])", "1", "k"}, "", NeedWrite},
		{"nor redis.pcall", []string{"EVAL", "redis.pcall('del', KEYS[1]) return redis.call('get', KEYS[1])", "1", "k"}, "", NeedWrite},
		{"a new body must be cached first", []string{"EVAL", "return 'new'", "0"}, "", NeedCache},
		{"EVALSHA", []string{"EVALSHA", SHA1Hex([]byte("return redis.call('get', KEYS[1])")), "1", "k"}, "$1\r\nv\r\n", NeedNothing},
		{"unknown sha", []string{"EVALSHA", SHA1Hex([]byte("nope")), "0"}, "-NOSCRIPT No matching script. Please use EVAL.\r\n", NeedNothing},
		{"script error", []string{"EVAL", "return redis.call('get', KEYS[1])", "x"}, "-ERR value is not an integer or out of range\r\n", NeedNothing},
		{"read-only function", []string{"FCALL", "g", "1", "k"}, "$1\r\nv\r\n", NeedNothing},
		{"function that writes", []string{"FCALL", "s", "1", "k"}, "", NeedWrite},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			reply, need := h.probe(tc.args...)
			if reply != tc.reply || need != tc.need {
				t.Fatalf("%q: reply %q need %d, want %q need %d", tc.args, reply, need, tc.reply, tc.need)
			}
		})
	}
	if got := h.do("GET", "k"); got != "$1\r\nv\r\n" {
		t.Fatalf("a probe wrote: GET k = %q", got)
	}
	sum := h.eng.functions().Library("p").sum
	if !h.eng.busy.writers.has(false, SHA1Hex([]byte("return redis.call('set', KEYS[1], 'x')"))) ||
		!h.eng.busy.writers.has(true, sum+":s") || h.eng.busy.writers.has(true, sum+":g") {
		t.Fatal("the scripts whose probe reached a write are not the ones remembered")
	}
	// A function of the same name in a library loaded since is another
	// function: it is probed again (Redis's suite loads a writing 'test',
	// then an endless one it kills).
	h.do("FUNCTION", "LOAD", "REPLACE", "#!lua name=p\nredis.register_function('s', function(k) return redis.call('get', k[1]) end)")
	if reply, need := h.probe("FCALL", "s", "1", "k"); reply != "$1\r\nv\r\n" || need != NeedNothing {
		t.Fatalf("FCALL of a replaced function: reply %q need %d, want it answered by its probe", reply, need)
	}
}

func TestProbeKilled(t *testing.T) {
	h := newHarness(t)
	m := NewMonitor()
	m.Attach(h.eng)
	h.do("SCRIPT", "LOAD", "while true do end")
	type result struct {
		reply string
		need  ProbeNeed
	}
	done := make(chan result, 1)
	go func() {
		r, n := h.probe("EVAL", "while true do end", "0")
		done <- result{r, n}
	}()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, ok := m.Current(); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the probe never started")
		}
		time.Sleep(time.Millisecond)
	}
	if got := m.Kill(KindEval); got != "" {
		t.Fatalf("SCRIPT KILL of a probe: %q", got)
	}
	r := <-done
	want := "-" + "ERR " + KilledMessage + " script: " + SHA1Hex([]byte("while true do end")) + ", on @user_script:1.\r\n"
	if r.reply != want || r.need != ProbeKilled {
		t.Fatalf("killed probe: %q need %d, want %q", r.reply, r.need, want)
	}
}

// BenchmarkProbe: what trying a write script as a read first costs, beside
// its run in the state machine: once a script reached a write on this
// node, its later probes stop at once (probeKnownWriter).
func BenchmarkProbe(b *testing.B) {
	h := newHarness(b)
	NewMonitor().Attach(h.eng)
	args := []string{"EVAL", "return redis.call('incr', KEYS[1])", "1", "k"}
	h.do(args...)
	b.Run("run=fsm", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			h.do(args...)
		}
	})
	b.Run("run=probe", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			h.probe(args...)
		}
	})
}
