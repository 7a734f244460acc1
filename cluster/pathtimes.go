package cluster

import "github.com/hashicorp/raft"

// Stage timing of the write path, for profiling: a node built with
// `go build -tags pathtimes ./cmd/geetcache` prints, every few seconds,
// the mean time a write spent in each stage from the connection to the
// log, the disk, the state machine and back (pathtimes_on.go). In any other
// build PathTimes is false and every call site, guarded by it, is
// compiled out; the stamps it keeps are then of size zero.

// PathStage is one stage of a write's way through the node.
type PathStage int

// The stages, in the order a write passes them. Per unit: queued,
// reply wake. Per entry: proposing to replied. Per pipeline: reply write
// to read wake. Units is a count (units per entry), not a time.
const (
	StageQueued     PathStage = iota // submitted, until collected into an entry
	StageProposing                   // collected, until handed to Raft (encode, stamp, barrier)
	StageToStore                     // handed to Raft, until its log store begins the write
	StageStore                       // the log store's write and fsync
	StageToApply                     // stored, until the state machine takes it
	StageApply                       // the state machine's apply of a batch of entries
	StageToReplied                   // applied, until its units have their replies
	StageReplyWake                   // a unit has its reply, until its connection takes it
	StageReplyWrite                  // the connection took the reply, until the replies are written
	StageTurnaround                  // written, until the client's next request arrived (the socket's stamp)
	StageReadWake                    // arrived, until the read returned it
	StageUnits                       // units per entry
	numPathStages
)

// pathEntry is one proposed entry's stamps (pathtimes_on.go keeps them).
type pathEntry struct {
	key                       *byte // its data's first byte
	proposed, stored, applied int64
}

var pathStageNames = [numPathStages]string{"queued", "proposing", "to_store", "store", "to_apply",
	"apply", "to_replied", "reply_wake", "reply_write", "client_turnaround", "read_wake", "units_per_entry"}

// The call sites below are guarded by PathTimes: without the build tag
// they are compiled out with these helpers.

// pathQueued times units from their submission to their collection.
func pathQueued(units []*Pending) {
	now := PathNow()
	for _, p := range units {
		PathAdd(StageQueued, now-p.submitted.Get())
	}
	PathAdd(StageUnits, int64(len(units)))
}

// pathProposed times an entry's proposing since start and returns its
// stamps, which the log store, the state machine and the reply loop find.
func pathProposed(data []byte, start int64) *pathEntry {
	e := pathEntryOf(data)
	e.proposed = PathNow()
	PathAdd(StageProposing, e.proposed-start)
	return e
}

// pathStored times the stored entries the batch loop proposed: from
// their proposal to the store's start, and the store itself (once per
// store, however many of them it held).
func pathStored(logs []*raft.Log, start int64) {
	now := PathNow()
	timed := false
	for _, l := range logs {
		if e := pathEntryFound(l.Data); e != nil {
			PathAdd(StageToStore, start-e.proposed)
			e.stored, timed = now, true
		}
	}
	if timed {
		PathAdd(StageStore, now-start)
	}
}

// pathApplied times the applied entries the batch loop proposed: from
// their store to the apply's start, and the apply.
func pathApplied(logs []*raft.Log, start int64) {
	now := PathNow()
	timed := false
	for _, l := range logs {
		if e := pathEntryFound(l.Data); e != nil && e.stored != 0 {
			PathAdd(StageToApply, start-e.stored)
			e.applied, timed = now, true
		}
	}
	if timed {
		PathAdd(StageApply, now-start)
	}
}

// pathReplied times an entry from its apply to its units' replies (when
// it was applied), and forgets it; e is nil for an entry never proposed.
func pathReplied(e *pathEntry) {
	if e == nil {
		return
	}
	if e.applied != 0 {
		PathAdd(StageToReplied, PathNow()-e.applied)
	}
	pathEntryDone(e)
}
