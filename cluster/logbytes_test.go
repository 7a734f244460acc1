package cluster

import (
	"testing"

	"github.com/hashicorp/raft"
)

func TestLogSizesNewestWithin(t *testing.T) {
	stored := func(keep uint64, sizes ...int) *logSizes {
		s := newLogSizes(keep)
		for i, n := range sizes {
			s.add([]*raft.Log{{Index: uint64(i + 1), Data: make([]byte, n)}})
		}
		return s
	}
	cases := []struct {
		name          string
		s             *logSizes
		budget, limit uint64
		want          uint64
	}{
		{"nothing stored keeps the count limit", stored(8), 100, 50, 50},
		{"all remembered entries fit", stored(8, 10, 10), 100, 50, 50},
		{"newest that fit", stored(3, 10, 40, 30, 20, 10), 50, 50, 2},
		{"all remembered fit but older ones were forgotten", stored(3, 10, 40, 30, 20, 10), 60, 50, 3},
		{"count limit first", stored(8, 1, 1, 1, 1), 100, 2, 2},
		{"one entry over budget still kept", stored(4, 10, 500), 100, 50, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.s.newestWithin(tc.budget, tc.limit); got != tc.want {
				t.Fatalf("newestWithin(%d, %d) = %d, want %d", tc.budget, tc.limit, got, tc.want)
			}
		})
	}
	s := stored(4, 10, 20)
	s.snapshotBegan()
	s.add([]*raft.Log{{Index: 3, Data: make([]byte, 5)}})
	if got := s.sinceSnapshot(); got != 5 {
		t.Fatalf("sinceSnapshot = %d, want 5", got)
	}
}
