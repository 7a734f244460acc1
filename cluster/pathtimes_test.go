//go:build pathtimes

package cluster

import (
	"testing"

	"github.com/hashicorp/raft"
)

// TestPathTimesEntryStages follows one entry through the stage helpers as
// the batch loop, the log store, the state machine and the reply loop call
// them: each stage gets one observation, entries the batch loop did not
// propose are not timed, and the entry is forgotten once replied.
func TestPathTimesEntryStages(t *testing.T) {
	for s := range numPathStages {
		pathCount[s].Store(0)
		pathSum[s].Store(0)
	}
	units := []*Pending{{}, {}}
	for _, p := range units {
		p.submitted.Set(PathNow())
	}
	pathQueued(units)
	data := []byte("entry")
	e := pathProposed(data, PathNow())
	other := &raft.Log{Data: []byte("another node's entry")}
	logs := []*raft.Log{{Data: data}, other}
	pathStored(logs, PathNow())
	pathApplied(logs, PathNow())
	pathReplied(e)

	want := map[PathStage]int64{StageQueued: 2, StageUnits: 1, StageProposing: 1, StageToStore: 1,
		StageStore: 1, StageToApply: 1, StageApply: 1, StageToReplied: 1}
	for s := range numPathStages {
		if got := pathCount[s].Load(); got != want[s] {
			t.Errorf("%s: %d observations, want %d", pathStageNames[s], got, want[s])
		}
	}
	if got := pathSum[StageUnits].Load(); got != 2 {
		t.Errorf("units per entry summed to %d, want 2", got)
	}
	if pathEntryFound(data) != nil {
		t.Error("the entry's stamps are still kept after its replies")
	}
}
