package cluster

import (
	"sync"

	"github.com/hashicorp/raft"
)

// storedWatch tells the batch loop when the entry it proposed last is in
// this node's log on disk, so that it collects units for the next entry
// for as long as Raft's leader loop is busy storing (and fsyncing) that
// one, as Redis collects the commands of one event-loop turn per fsync.
// Proposing the next entry sooner only queues it behind the store with the
// few units that had arrived, and the units arriving during the fsync wait
// for the entry after it.
//
// An entry is known by its data's first byte: hashicorp/raft stores the
// slice given to Apply, and encode allocates a new one for every entry.
type storedWatch struct {
	mu   sync.Mutex
	want *byte         // the awaited entry's first data byte, nil if none
	ch   chan struct{} // closed when it is stored or forgotten
}

// expect starts waiting for the entry with data, which must not be empty;
// call it before Apply, as the store may come first.
func (w *storedWatch) expect(data []byte) chan struct{} {
	ch := make(chan struct{})
	w.mu.Lock()
	w.want, w.ch = &data[0], ch
	w.mu.Unlock()
	return ch
}

// stored is told of every batch of entries the log store wrote.
func (w *storedWatch) stored(logs []*raft.Log) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.want == nil {
		return
	}
	for _, l := range logs {
		if len(l.Data) > 0 && &l.Data[0] == w.want {
			w.release()
			return
		}
	}
}

// forget stops waiting on ch, if it is still awaited: its entry's future
// finished, and a refused entry is never stored.
func (w *storedWatch) forget(ch chan struct{}) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.ch == ch && ch != nil {
		w.release()
	}
}

func (w *storedWatch) release() {
	close(w.ch)
	w.want, w.ch = nil, nil
}

// closedChan is already closed: an entry that never reached Raft.
var closedChan = func() chan struct{} { c := make(chan struct{}); close(c); return c }()
