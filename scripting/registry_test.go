package scripting

import (
	"testing"
	"time"
)

// TestLongConcatIsFast: table.concat and unpack of 65536 items push that
// many values; with gopher-lua's default registry growth this took 4-10 s
// (registryGrowStep). The bound here is loose: a regression is seconds.
func TestLongConcatIsFast(t *testing.T) {
	h := newHarness(t)
	script := "local t = {} for i = 1, 65536 do t[i] = 'x' end " +
		"local n = select('#', unpack(t)) return {#table.concat(t), n}"
	start := time.Now()
	got := h.do("EVAL_RO", script, "0")
	took := time.Since(start)
	t.Logf("table.concat and unpack of 65536 items: %v", took)
	if want := "*2\r\n:65536\r\n:65536\r\n"; got != want {
		t.Fatalf("reply %q, want %q", got, want)
	}
	if took > 2*time.Second {
		t.Fatalf("took %v, want well under 2 s", took)
	}
}
