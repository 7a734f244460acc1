package cluster

import (
	"errors"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// TestWaitApplied: a waiter returns once the FSM applies its index, by
// batches or by a restore, and fails with ErrApplyWait when the index
// is not applied in time.
func TestWaitApplied(t *testing.T) {
	l := randomLog(7, 40)
	donor := NewFSM(protocol.DataTable(), nil)
	donor.ApplyBatch(l.logs[:30])
	cases := []struct {
		name    string
		index   uint64
		timeout time.Duration
		apply   func(f *FSM) // runs while the waiter waits
		want    error
	}{
		{"already applied", 10, 0, nil, nil},
		{"one batch", 20, 5 * time.Second, func(f *FSM) { f.ApplyBatch(l.logs[10:20]) }, nil},
		{"several batches", 25, 5 * time.Second, func(f *FSM) {
			for i := 10; i < 25; i++ {
				f.ApplyBatch(l.logs[i : i+1])
			}
		}, nil},
		{"restore", 30, 5 * time.Second, func(f *FSM) { restoreFrom(t, f, donor) }, nil},
		{"short of the index", 40, 50 * time.Millisecond, func(f *FSM) { f.ApplyBatch(l.logs[10:39]) }, ErrApplyWait},
		{"nothing applied", 11, 20 * time.Millisecond, nil, ErrApplyWait},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := NewFSM(protocol.DataTable(), nil)
			f.ApplyBatch(l.logs[:10])
			var wg sync.WaitGroup
			errs := make([]error, 8)
			for i := range errs {
				wg.Add(1)
				go func() { defer wg.Done(); errs[i] = f.WaitApplied(tc.index, tc.timeout) }()
			}
			if tc.apply != nil {
				time.Sleep(5 * time.Millisecond)
				tc.apply(f)
			}
			wg.Wait()
			for i, err := range errs {
				if !errors.Is(err, tc.want) {
					t.Fatalf("waiter %d: WaitApplied(%d) = %v, want %v (applied %d)", i, tc.index, err, tc.want, f.AppliedIndex())
				}
			}
		})
	}
}

// restoreFrom restores f from a snapshot of donor.
func restoreFrom(t *testing.T, f, donor *FSM) {
	t.Helper()
	snap, err := donor.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	sink := &memSink{}
	if err := snap.Persist(sink); err != nil {
		t.Fatal(err)
	}
	if err := f.Restore(io.NopCloser(&sink.buf)); err != nil {
		t.Fatal(err)
	}
}
