package scripting

import "testing"

// BenchmarkEval runs EVAL of one INCR, and EVALSHA of a 10-command
// script, as the state machine runs them (no network, no log).
func BenchmarkEval(b *testing.B) {
	ten := "for i = 1, 10 do redis.call('incr', KEYS[1]) end return 1"
	for _, bc := range []struct {
		name string
		args []string
	}{
		{"script=incr", []string{"EVAL", "return redis.call('incr',KEYS[1])", "1", "k"}},
		{"script=ten", []string{"EVALSHA", SHA1Hex([]byte(ten)), "1", "k"}},
	} {
		for _, busy := range []bool{false, true} {
			b.Run(bc.name+"/busy="+map[bool]string{false: "no", true: "yes"}[busy], func(b *testing.B) {
				h := newHarness(b)
				if busy {
					NewMonitor().Attach(h.eng)
				}
				h.do("SCRIPT", "LOAD", ten)
				b.ReportAllocs()
				for b.Loop() {
					h.do(bc.args...)
				}
			})
		}
	}
}
