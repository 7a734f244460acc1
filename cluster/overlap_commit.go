package cluster

import (
	"errors"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/raft"
)

// durableIndex is how far this node's Raft log is on disk (overlapLogs):
// every entry up to it is written and synced. Safe for concurrent use.
type durableIndex struct {
	at     atomic.Uint64
	mu     sync.Mutex
	moved  chan struct{} // closed and replaced whenever at changes
	closed bool
}

func newDurableIndex(at uint64) *durableIndex {
	d := &durableIndex{moved: make(chan struct{})}
	d.at.Store(at)
	return d
}

func (d *durableIndex) get() uint64 { return d.at.Load() }

// set records that the log is on disk up to i, and no further.
func (d *durableIndex) set(i uint64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.at.Store(i)
	d.wake()
}

// lower brings the index down to i if it is above.
func (d *durableIndex) lower(i uint64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.at.Load() > i {
		d.at.Store(i)
		d.wake()
	}
}

// wake tells the waiters the index changed; d.mu is held.
func (d *durableIndex) wake() {
	close(d.moved)
	d.moved = make(chan struct{})
}

// wait returns true once the index reaches i, false if d is closed first.
func (d *durableIndex) wait(i uint64) bool {
	for {
		if d.at.Load() >= i {
			return true
		}
		d.mu.Lock()
		moved, closed := d.moved, d.closed
		d.mu.Unlock()
		if closed {
			return d.at.Load() >= i
		}
		if d.at.Load() >= i {
			return true
		}
		<-moved
	}
}

// close releases the waiters: nothing more will be written.
func (d *durableIndex) close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.closed {
		d.closed = true
		d.wake()
	}
}

// errNotDurable is the state machine's answer for entries it was given
// while the node closed before they were on its disk: they are not applied.
var errNotDurable = errors.New("cluster: the node closed before the entry was on its disk")

// durableFSM applies a batch of entries only once this node's log holds
// them on disk (overlapLogs): a leader's Raft may count an entry committed
// while the leader's own write of it is still under way.
type durableFSM struct {
	snapshotNoter
	durable *durableIndex
}

var _ raft.BatchingFSM = durableFSM{}

// Apply applies one entry; see ApplyBatch.
func (f durableFSM) Apply(l *raft.Log) interface{} {
	return f.ApplyBatch([]*raft.Log{l})[0]
}

// ApplyBatch waits until logs are on disk, then applies them.
func (f durableFSM) ApplyBatch(logs []*raft.Log) []interface{} {
	if len(logs) > 0 && !f.durable.wait(logs[len(logs)-1].Index) {
		out := make([]interface{}, len(logs))
		for i := range out {
			out[i] = errNotDurable
		}
		return out
	}
	return f.snapshotNoter.ApplyBatch(logs)
}

// durableCommitTransport caps the commit index a leader sends its
// followers at how far its own log is on disk, so that no follower applies
// an entry the leader could still lose (overlapLogs).
type durableCommitTransport struct {
	transport
	durable *durableIndex
}

// AppendEntries sends the RPC with the commit index capped.
func (t durableCommitTransport) AppendEntries(id raft.ServerID, target raft.ServerAddress,
	args *raft.AppendEntriesRequest, resp *raft.AppendEntriesResponse) error {
	capCommit(args, t.durable)
	return t.transport.AppendEntries(id, target, args, resp)
}

// AppendEntriesPipeline opens a pipeline whose RPCs have the commit index
// capped.
func (t durableCommitTransport) AppendEntriesPipeline(id raft.ServerID, target raft.ServerAddress) (raft.AppendPipeline, error) {
	p, err := t.transport.AppendEntriesPipeline(id, target)
	if err != nil {
		return nil, err
	}
	return durableCommitPipeline{p, t.durable}, nil
}

// durableCommitPipeline is a pipeline of durableCommitTransport.
type durableCommitPipeline struct {
	raft.AppendPipeline
	durable *durableIndex
}

// AppendEntries sends the RPC with the commit index capped.
func (p durableCommitPipeline) AppendEntries(args *raft.AppendEntriesRequest,
	resp *raft.AppendEntriesResponse) (raft.AppendFuture, error) {
	capCommit(args, p.durable)
	return p.AppendPipeline.AppendEntries(args, resp)
}

// capCommit lowers args' commit index to the durable index. Raft builds a
// request per RPC, so changing it changes nothing else.
func capCommit(args *raft.AppendEntriesRequest, durable *durableIndex) {
	if d := durable.get(); args.LeaderCommitIndex > d {
		args.LeaderCommitIndex = d
	}
}
