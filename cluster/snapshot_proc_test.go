package cluster

import (
	"errors"
	"runtime"
	"strconv"
	"testing"
)

func TestOwnProcAddsASlotPerEncoder(t *testing.T) {
	before := runtime.GOMAXPROCS(0)
	t.Setenv("GOMAXPROCS", strconv.Itoa(before)) // as if set by the user: restored as it was
	var outer, inner int
	err := withOwnProc(func() error {
		outer = runtime.GOMAXPROCS(0)
		return withOwnProc(func() error { // two encoders at once
			inner = runtime.GOMAXPROCS(0)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	after := runtime.GOMAXPROCS(0)
	if outer != before+1 || inner != before+2 || after != before {
		t.Errorf("GOMAXPROCS %d before, %d and %d during, %d after; want %d, %d, %d",
			before, outer, inner, after, before+1, before+2, before)
	}
}

func TestOwnProcRestoresOnError(t *testing.T) {
	before := runtime.GOMAXPROCS(0)
	t.Setenv("GOMAXPROCS", strconv.Itoa(before))
	boom := errors.New("boom")
	if err := withOwnProc(func() error { return boom }); err != boom {
		t.Fatalf("got %v, want %v", err, boom)
	}
	if got := runtime.GOMAXPROCS(0); got != before {
		t.Errorf("GOMAXPROCS after a failed encoder: %d, want %d", got, before)
	}
}

// Without GOMAXPROCS in the environment, the runtime's own setting comes
// back, and with it its updates from the CPU count and the cgroup's limit.
func TestOwnProcReturnsToTheRuntimeDefault(t *testing.T) {
	prev := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(prev)
	t.Setenv("GOMAXPROCS", "")
	runtime.SetDefaultGOMAXPROCS()
	def := runtime.GOMAXPROCS(0)
	runtime.GOMAXPROCS(def + 3) // as a call would have left it
	_ = withOwnProc(func() error { return nil })
	if got := runtime.GOMAXPROCS(0); got != def {
		t.Errorf("GOMAXPROCS after the encoder: %d, want the default %d", got, def)
	}
}
