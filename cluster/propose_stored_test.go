package cluster

import (
	"testing"

	"github.com/hashicorp/raft"
)

func isClosed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

func TestStoredWatch(t *testing.T) {
	mine, other := []byte("mine"), []byte("mine") // equal bytes, different arrays
	for _, tc := range []struct {
		name   string
		steps  func(w *storedWatch, ch chan struct{})
		closed bool
	}{
		{"nothing stored", func(w *storedWatch, ch chan struct{}) {}, false},
		{"another entry with the same bytes", func(w *storedWatch, ch chan struct{}) {
			w.stored([]*raft.Log{{Data: other}, {Data: nil}})
		}, false},
		{"stored among others", func(w *storedWatch, ch chan struct{}) {
			w.stored([]*raft.Log{{Data: other}, {Data: mine}})
		}, true},
		{"stored twice", func(w *storedWatch, ch chan struct{}) {
			w.stored([]*raft.Log{{Data: mine}})
			w.stored([]*raft.Log{{Data: mine}}) // a retried store must not close it again
		}, true},
		{"forgotten (refused by Raft)", func(w *storedWatch, ch chan struct{}) { w.forget(ch) }, true},
		{"stored then forgotten", func(w *storedWatch, ch chan struct{}) {
			w.stored([]*raft.Log{{Data: mine[:1]}})
			w.forget(ch)
		}, true},
		{"an older channel forgotten", func(w *storedWatch, ch chan struct{}) { w.forget(closedChan) }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var w storedWatch
			ch := w.expect(mine)
			tc.steps(&w, ch)
			if got := isClosed(ch); got != tc.closed {
				t.Fatalf("closed = %v, want %v", got, tc.closed)
			}
		})
	}
}

func TestStoredWatchNextEntry(t *testing.T) {
	var w storedWatch
	first := w.expect([]byte("a"))
	w.stored([]*raft.Log{{Data: []byte("x")}})
	w.forget(first) // its future failed
	second := w.expect([]byte("b"))
	w.forget(first) // late: must leave the second alone
	if isClosed(second) {
		t.Fatal("forgetting the first entry released the second")
	}
}
