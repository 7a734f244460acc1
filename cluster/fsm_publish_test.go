package cluster

import (
	"testing"

	"github.com/hashicorp/raft"
)

func TestDeliveryGate(t *testing.T) {
	logs := raft.NewInmemStore()
	for i, term := range []uint64{1, 1, 2, 2, 3} { // indexes 1..5
		if err := logs.StoreLog(&raft.Log{Index: uint64(i + 1), Term: term, Type: raft.LogCommand}); err != nil {
			t.Fatal(err)
		}
	}
	gate, err := newDeliveryGate(logs, 5)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name        string
		index, term uint64
		want        bool
	}{
		{"replayed", 3, 2, false},
		{"replayed last", 5, 3, false},
		{"replaced tail", 5, 4, true},
		{"replaced middle", 4, 3, true},
		{"after start", 6, 3, true},
		{"below the log", 0, 1, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := gate.live(tc.index, tc.term); got != tc.want {
				t.Errorf("live(%d, %d) = %v, want %v", tc.index, tc.term, got, tc.want)
			}
		})
	}
	empty, err := newDeliveryGate(raft.NewInmemStore(), 0)
	if err != nil || !empty.live(1, 1) {
		t.Errorf("a new node's first entry is not live (%v)", err)
	}
	snap := deliveryGate{last: 10} // a snapshot at 10, no log
	if snap.live(7, 1) || !snap.live(11, 1) {
		t.Errorf("a restored snapshot's entries: live(7) %v live(11) %v", snap.live(7, 1), snap.live(11, 1))
	}
}
