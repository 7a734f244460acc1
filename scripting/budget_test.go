package scripting

import (
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// runBudgeted runs src in a fresh state under b and returns the error and
// the global n the script counts in.
func runBudgeted(t testing.TB, src string, b *Budget, coroutines bool) (error, float64) {
	t.Helper()
	L := lua.NewState()
	defer L.Close()
	if coroutines {
		BudgetCoroutines(L)
	}
	L.SetGlobal("n", lua.LNumber(0))
	L.SetGlobal("charge", L.NewFunction(func(L *lua.LState) int { b.Charge(CallSteps); return 0 }))
	L.SetContext(b)
	err := L.DoString(src)
	L.RemoveContext()
	n, _ := L.GetGlobal("n").(lua.LNumber)
	return err, float64(n)
}

func TestBudgetStopsAtTheSameInstruction(t *testing.T) {
	cases := []struct {
		name, src  string
		coroutines bool
	}{
		{"loop", `while true do n = n + 1 end`, false},
		{"pcall cannot catch it", `while true do pcall(function() while true do n = n + 1 end end) end`, false},
		{"error handler", `while true do xpcall(function() while true do n = n + 1 end end, function(e) n = n + 1; return e end) end`, false},
		{"coroutine.wrap", `local f = coroutine.wrap(function() while true do n = n + 1 end end) f()`, true},
		{"coroutine.create", `local co = coroutine.create(function() while true do n = n + 1; coroutine.yield() end end)
			while true do coroutine.resume(co); n = n + 1 end`, true},
		{"charged calls", `while true do charge(); n = n + 1 end`, false},
		{"string functions", `local s = "" while true do s = string.rep("a", 10) .. tostring(n); n = n + 1 end`, false},
	}
	const limit = 200_000
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var first float64
			for i := range 3 {
				b := NewBudget(limit)
				err, n := runBudgeted(t, tc.src, b, tc.coroutines)
				if err == nil || !strings.Contains(err.Error(), BudgetMessage(limit)) {
					t.Fatalf("run %d: err = %v, want the budget's message", i, err)
				}
				if msg, ok := b.Stopped(); !ok || msg != BudgetMessage(limit) {
					t.Fatalf("run %d: Stopped() = %q, %v", i, msg, ok)
				}
				if n == 0 {
					t.Fatalf("run %d: the script did nothing", i)
				}
				if i == 0 {
					first = n
				} else if n != first {
					t.Fatalf("run %d stopped after %v iterations, run 0 after %v", i, n, first)
				}
			}
			t.Logf("stopped after %v iterations", first)
		})
	}
}

func TestBudgetChargeStopsSooner(t *testing.T) {
	const limit = 100_000
	_, plain := runBudgeted(t, `while true do n = n + 1 end`, NewBudget(limit), false)
	_, charged := runBudgeted(t, `while true do charge(); n = n + 1 end`, NewBudget(limit), false)
	// A charged iteration costs at least CallSteps.
	if charged > limit/CallSteps || plain < 4*charged {
		t.Fatalf("%v charged iterations, %v plain: a charge is not counted", charged, plain)
	}
}

func TestBudgetUnderLimitFinishes(t *testing.T) {
	b := NewBudget(1_000_000)
	err, n := runBudgeted(t, `for i = 1, 1000 do n = n + 1 end`, b, false)
	if err != nil || n != 1000 {
		t.Fatalf("err %v, n %v", err, n)
	}
	if _, ok := b.Stopped(); ok || b.Err() != nil {
		t.Fatal("a script under its budget was stopped")
	}
	if b.Steps() < 1000 || b.Steps() > 10000 {
		t.Fatalf("Steps() = %d for 1000 iterations", b.Steps())
	}
}

func TestBudgetKill(t *testing.T) {
	b := NewBudget(0)
	done := make(chan error, 1)
	go func() {
		err, _ := runBudgeted(t, `while true do pcall(function() while true do n = n + 1 end end) end`, b, false)
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	b.Kill()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), KilledMessage) {
			t.Fatalf("err = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a killed script still runs after 5 s")
	}
}

// BenchmarkBudget compares gopher-lua's loop with and without a Budget
// (the cost of counting), and reports instructions per second.
func BenchmarkBudget(b *testing.B) {
	const src = `local a = 0 for i = 1, 1000000 do a = a + i end`
	for _, withBudget := range []bool{false, true} {
		b.Run("budget="+map[bool]string{false: "none", true: "counted"}[withBudget], func(b *testing.B) {
			L := lua.NewState()
			defer L.Close()
			fn, err := L.LoadString(src)
			if err != nil {
				b.Fatal(err)
			}
			var steps int64
			for b.Loop() {
				bud := NewBudget(0)
				if withBudget {
					L.SetContext(bud)
				}
				L.Push(fn)
				if err := L.PCall(0, 0, nil); err != nil {
					b.Fatal(err)
				}
				L.RemoveContext()
				steps += bud.Steps()
			}
			if withBudget {
				b.ReportMetric(float64(steps)/b.Elapsed().Seconds(), "steps/s")
			}
		})
	}
}
