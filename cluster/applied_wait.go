package cluster

import (
	"sync/atomic"
	"time"
)

// appliedSignal wakes the goroutines waiting for the state machine's
// applied index to move. The FSM calls advanced after storing a new index;
// a waiter takes the channel before it checks the index, so an advance
// that comes after the check always closes the channel it waits on.
type appliedSignal struct {
	ch atomic.Pointer[chan struct{}] // closed at the next advance; nil while no one waits
}

// next returns the channel the next advance closes.
func (a *appliedSignal) next() <-chan struct{} {
	for {
		if p := a.ch.Load(); p != nil {
			return *p
		}
		ch := make(chan struct{})
		if a.ch.CompareAndSwap(nil, &ch) {
			return ch
		}
	}
}

// advanced wakes every waiter; it costs one atomic swap when none waits.
func (a *appliedSignal) advanced() {
	if p := a.ch.Swap(nil); p != nil {
		close(*p)
	}
}

// WaitApplied returns nil once this node's state machine has applied the
// log up to index, or ErrApplyWait after timeout.
func (n *Node) WaitApplied(index uint64, timeout time.Duration) error {
	return n.fsm.WaitApplied(index, timeout)
}

// WaitApplied returns nil once the FSM has applied the log up to index, or
// ErrApplyWait after timeout. It sleeps between advances of the applied
// index, never polls.
func (f *FSM) WaitApplied(index uint64, timeout time.Duration) error {
	if f.applied.Load() >= index {
		return nil
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		ch := f.advance.next()
		if f.applied.Load() >= index {
			return nil
		}
		select {
		case <-ch:
		case <-timer.C:
			return ErrApplyWait
		}
	}
}
