package cluster

import (
	"errors"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/raft"

	"github.com/geetcache/geetcache/protocol"
)

// gatedStore is a log store whose writes can be held, or made to fail,
// and which records the indexes of each StoreLogs call.
type gatedStore struct {
	raft.LogStore
	fails atomic.Int32 // writes left to fail

	mu    sync.Mutex
	open  chan struct{} // while non-nil, writes wait until it is closed
	calls [][]uint64
}

func newGatedStore() *gatedStore {
	return &gatedStore{LogStore: raft.NewInmemStore()}
}

// IsMonotonic passes on the store's raft.MonotonicLogStore answer.
func (g *gatedStore) IsMonotonic() bool { return isMonotonic(g.LogStore) }

// hold makes writes wait until release.
func (g *gatedStore) hold() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.open = make(chan struct{})
}

// release lets writes through; a second release does nothing.
func (g *gatedStore) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.open != nil {
		close(g.open)
		g.open = nil
	}
}

func (g *gatedStore) gate() chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.open
}

func (g *gatedStore) StoreLogs(logs []*raft.Log) error {
	if open := g.gate(); open != nil {
		<-open
	}
	if g.fails.Add(-1) >= 0 {
		return errors.New("injected write failure")
	}
	g.fails.Store(0)
	var idx []uint64
	for _, l := range logs {
		idx = append(idx, l.Index)
	}
	g.mu.Lock()
	g.calls = append(g.calls, idx)
	g.mu.Unlock()
	return g.LogStore.StoreLogs(logs)
}

func (g *gatedStore) StoreLog(l *raft.Log) error { return g.StoreLogs([]*raft.Log{l}) }

func (g *gatedStore) written() [][]uint64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.calls)
}

func entries(from, to uint64) []*raft.Log {
	var logs []*raft.Log
	for i := from; i <= to; i++ {
		logs = append(logs, &raft.Log{Index: i, Term: 1, Type: raft.LogCommand, Data: []byte{byte(i)}})
	}
	return logs
}

// overlapRig is an overlapLogs over a gatedStore, steered by leading
// (whether StoreLogs may return before its write) and applied.
type overlapRig struct {
	s       *overlapLogs
	inner   *gatedStore
	leading atomic.Bool
	applied atomic.Uint64
}

func newOverlapRig(t *testing.T, leading bool) *overlapRig {
	t.Helper()
	r := &overlapRig{inner: newGatedStore()}
	r.leading.Store(leading)
	s, err := newOverlapLogs(r.inner, r.leading.Load, r.applied.Load, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	r.s = s
	return r
}

// waitDurable fails t unless s's durable index reaches i within 5 s.
func waitDurable(t *testing.T, s *overlapLogs, i uint64) {
	t.Helper()
	waitFor(t, 5*time.Second, func() bool { return s.durable.get() >= i })
}

// TestOverlapLeaderReturnsBeforeItsWrite: a leader's StoreLogs returns
// while its write is held; the entries are readable from memory, durable
// stays behind until the write is done, and the disk store gets the
// writes in order.
func TestOverlapLeaderReturnsBeforeItsWrite(t *testing.T) {
	r := newOverlapRig(t, true)
	s, inner := r.s, r.inner
	inner.hold()
	for _, batch := range [][]*raft.Log{entries(1, 2), entries(3, 3), entries(4, 6)} {
		if err := s.StoreLogs(batch); err != nil {
			t.Fatal(err)
		}
	}
	if last, _ := s.LastIndex(); last != 6 {
		t.Fatalf("LastIndex %d, want 6", last)
	}
	if first, _ := s.FirstIndex(); first != 1 {
		t.Fatalf("FirstIndex %d, want 1", first)
	}
	var l raft.Log
	for i := uint64(1); i <= 6; i++ {
		if err := s.GetLog(i, &l); err != nil || l.Index != i || l.Data[0] != byte(i) {
			t.Fatalf("GetLog(%d) = %+v, %v", i, l, err)
		}
	}
	if d := s.durable.get(); d != 0 {
		t.Fatalf("durable %d while the write is held, want 0", d)
	}
	inner.release()
	waitDurable(t, s, 6)
	got := slices.Concat(inner.written()...)
	if !slices.Equal(got, []uint64{1, 2, 3, 4, 5, 6}) {
		t.Fatalf("written %v, want 1..6 in order", inner.written())
	}
	if err := s.GetLog(5, &l); err != nil || l.Index != 5 {
		t.Fatalf("GetLog(5) from disk = %+v, %v", l, err)
	}
}

// TestOverlapFollowerWaitsForWrites: a StoreLogs that is not the
// leader's, and a DeleteRange, reach the disk store only after the
// queued writes; the follower's write is durable when it returns.
func TestOverlapFollowerWaitsForWrites(t *testing.T) {
	r := newOverlapRig(t, true)
	s, inner := r.s, r.inner
	inner.hold()
	if err := s.StoreLogs(entries(1, 3)); err != nil {
		t.Fatal(err)
	}
	r.leading.Store(false) // stepped down
	done := make(chan error, 1)
	go func() { done <- s.StoreLogs(entries(4, 4)) }()
	select {
	case err := <-done:
		t.Fatalf("a follower's StoreLogs returned (%v) while the leader's write was held", err)
	case <-time.After(100 * time.Millisecond):
	}
	inner.release()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if d := s.durable.get(); d != 4 {
		t.Fatalf("durable %d after a follower's write, want 4", d)
	}
	if got := inner.written(); !slices.Equal(slices.Concat(got...), []uint64{1, 2, 3, 4}) {
		t.Fatalf("written %v, want 1..4 in order", got)
	}

	r.leading.Store(true)
	inner.hold()
	if err := s.StoreLogs(entries(5, 5)); err != nil {
		t.Fatal(err)
	}
	deleted := make(chan error, 1)
	go func() { deleted <- s.DeleteRange(4, 5) }() // a conflicting tail
	select {
	case <-deleted:
		t.Fatal("DeleteRange returned while a write was held")
	case <-time.After(100 * time.Millisecond):
	}
	inner.release()
	if err := <-deleted; err != nil {
		t.Fatal(err)
	}
	if d := s.durable.get(); d != 3 {
		t.Fatalf("durable %d after deleting the tail from 4, want 3", d)
	}
	if last, _ := s.LastIndex(); last != 3 {
		t.Fatalf("LastIndex %d after deleting the tail, want 3", last)
	}
}

// TestOverlapCompactionKeepsDurable: deleting applied entries (a
// compaction after a snapshot) leaves durable where it is, even when it
// deletes the whole log; deleting unapplied ones lowers it.
func TestOverlapCompactionKeepsDurable(t *testing.T) {
	r := newOverlapRig(t, false)
	s := r.s
	if err := s.StoreLogs(entries(1, 10)); err != nil {
		t.Fatal(err)
	}
	r.applied.Store(10)
	if err := s.DeleteRange(1, 10); err != nil {
		t.Fatal(err)
	}
	if d := s.durable.get(); d != 10 {
		t.Fatalf("durable %d after a compaction, want 10", d)
	}
	if err := s.StoreLogs(entries(11, 20)); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteRange(11, 20); err != nil { // a snapshot installed over unapplied entries
		t.Fatal(err)
	}
	if d := s.durable.get(); d != 10 {
		t.Fatalf("durable %d after deleting unapplied entries from 11, want 10", d)
	}
}

// TestOverlapRetriesFailedWrite: a failed write is tried again; durable
// moves only once it succeeds.
func TestOverlapRetriesFailedWrite(t *testing.T) {
	r := newOverlapRig(t, true)
	s, inner := r.s, r.inner
	inner.fails.Store(2)
	start := time.Now()
	if err := s.StoreLogs(entries(1, 2)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(overlapRetry / 2)
	if d := s.durable.get(); d != 0 {
		t.Fatalf("durable %d after a failed write, want 0", d)
	}
	waitDurable(t, s, 2)
	if took := time.Since(start); took < 2*overlapRetry {
		t.Fatalf("written after %v, before two retries", took)
	}
	if got := inner.written(); len(got) != 1 || !slices.Equal(got[0], []uint64{1, 2}) {
		t.Fatalf("written %v, want one write of 1, 2", got)
	}
}

// TestOverlapCloseOnFailingDisk: Close returns although the disk keeps
// failing, and a wait for the unwritten entries returns false.
func TestOverlapCloseOnFailingDisk(t *testing.T) {
	r := newOverlapRig(t, true)
	s, inner := r.s, r.inner
	inner.fails.Store(1 << 30)
	if err := s.StoreLogs(entries(1, 1)); err != nil {
		t.Fatal(err)
	}
	waited := make(chan bool, 1)
	go func() { waited <- s.durable.wait(1) }()
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return on a failing disk")
	}
	if ok := <-waited; ok {
		t.Fatal("wait for an unwritten entry returned true")
	}
	r.leading.Store(false)
	inner.fails.Store(0)
	if err := s.StoreLogs(entries(1, 1)); err != nil { // after Close: written by the caller
		t.Fatal(err)
	}
	if !s.durable.wait(1) {
		t.Fatal("an entry written after Close is not durable")
	}
}

// TestCapCommit: the commit index a leader sends is capped at its durable
// index, through a plain RPC and a pipeline alike.
func TestCapCommit(t *testing.T) {
	d := newDurableIndex(7)
	for _, tc := range []struct{ commit, want uint64 }{{5, 5}, {7, 7}, {9, 7}, {0, 0}} {
		args := &raft.AppendEntriesRequest{LeaderCommitIndex: tc.commit}
		capCommit(args, d)
		if args.LeaderCommitIndex != tc.want {
			t.Errorf("commit %d capped at durable 7: %d, want %d", tc.commit, args.LeaderCommitIndex, tc.want)
		}
	}
}

// TestDurableIndexWait: wait returns once the index reaches its target,
// not before.
func TestDurableIndexWait(t *testing.T) {
	d := newDurableIndex(1)
	done := make(chan bool, 1)
	go func() { done <- d.wait(3) }()
	d.set(2)
	select {
	case <-done:
		t.Fatal("wait(3) returned at 2")
	case <-time.After(50 * time.Millisecond):
	}
	d.set(3)
	if !<-done {
		t.Fatal("wait(3) returned false at 3")
	}
	d.lower(1)
	if d.get() != 1 {
		t.Fatalf("lower(1): %d", d.get())
	}
	d.lower(5)
	if d.get() != 1 {
		t.Fatalf("lower(5) raised the index to %d", d.get())
	}
}

// TestNotDurableIsUncertain: an entry a closing node did not apply, for
// want of its own write, is answered UNCERTAIN (its followers may still
// commit it), even while the disk guard refuses writes; a response that
// holds no replies stands for that error.
func TestNotDurableIsUncertain(t *testing.T) {
	n := &Node{disk: newDiskGuard(t.TempDir(), nil)}
	n.disk.storeFailed(syscall.EIO)
	want := protocol.ErrReplyUncertainPrefix + errNotDurable.Error()
	if got := n.ErrorReply(responseError(errNotDurable)); got != want {
		t.Fatalf("ErrorReply: %q, want %q", got, want)
	}
	if got := responseError(nil); got != errNotDurable {
		t.Fatalf("responseError(nil): %v", got)
	}
}
