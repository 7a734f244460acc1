package scripting

import "testing"

// newFunctionHarness is newHarness with FUNCTION, FCALL and FCALL_RO.
func newFunctionHarness(t testing.TB) *harness {
	h := newHarness(t)
	for _, c := range h.eng.EnableFunctions() {
		h.table.Register(c)
	}
	return h
}

// BenchmarkFCallVsEval: one INCR through a function and through EVAL, as
// the state machine runs them.
func BenchmarkFCallVsEval(b *testing.B) {
	h := newFunctionHarness(b)
	h.do("FUNCTION", "LOAD", "#!lua name=bench\n"+
		"redis.register_function('incr1', function(keys) return redis.call('incr', keys[1]) end)\n"+
		"redis.register_function('incr2', function(keys) return redis.call('incr', keys[1]) end)\n"+
		"redis.register_function('incr3', function(keys) return redis.call('incr', keys[1]) end)")
	for _, bc := range []struct {
		name string
		args []string
	}{
		{"cmd=fcall", []string{"FCALL", "incr1", "1", "k"}},
		{"cmd=eval", []string{"EVAL", "return redis.call('incr', KEYS[1])", "1", "k"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				h.do(bc.args...)
			}
		})
	}
}
