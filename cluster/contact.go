package cluster

import (
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/raft"
)

// A leader's last contact with each follower. hashicorp/raft keeps this
// figure privately (it drives the leader lease) and publishes it only in a
// FailedHeartbeatObservation, which arrives when a heartbeat RPC fails:
// against a frozen follower that is after the transport's whole I/O
// timeout (10s), so it cannot tell a stalled follower within seconds.
// Instead, the transport Raft uses is wrapped and notes the time each peer
// answers an AppendEntries RPC (heartbeats, sent every 50-100ms, included)
// or an InstallSnapshot RPC. Pipelined replication is not wrapped: the
// heartbeats alone keep the figure fresh.

// transport is what Raft needs of the network transport: the Transport
// interface and the optional ones it checks for.
type transport interface {
	raft.Transport
	raft.WithClose
	raft.WithPreVote
}

// contactTransport is a transport that records in book when each peer last
// answered this node.
type contactTransport struct {
	transport
	book *contactBook
}

var (
	_ raft.WithClose   = contactTransport{}
	_ raft.WithPreVote = contactTransport{}
)

// AppendEntries sends the RPC and, when the peer answered, notes the time.
func (t contactTransport) AppendEntries(id raft.ServerID, target raft.ServerAddress,
	args *raft.AppendEntriesRequest, resp *raft.AppendEntriesResponse) error {
	err := t.transport.AppendEntries(id, target, args, resp)
	if err == nil {
		t.book.heard(id)
	}
	return err
}

// InstallSnapshot sends the snapshot and, when the peer answered, notes
// the time.
func (t contactTransport) InstallSnapshot(id raft.ServerID, target raft.ServerAddress,
	args *raft.InstallSnapshotRequest, resp *raft.InstallSnapshotResponse, data io.Reader) error {
	err := t.transport.InstallSnapshot(id, target, args, resp, data)
	if err == nil {
		t.book.heard(id)
	}
	return err
}

// contactBook holds, per peer, when it last answered. Times are offsets on
// the monotonic clock from base, so a wall-clock jump changes no age.
// heard and age may be called concurrently; heard allocates only the first
// time it hears from a peer.
type contactBook struct {
	base time.Time
	mu   sync.RWMutex
	at   map[raft.ServerID]*atomic.Int64 // offset from base of the last answer; 0: never
}

func newContactBook() *contactBook {
	return &contactBook{base: time.Now(), at: map[raft.ServerID]*atomic.Int64{}}
}

// elapsed is the current offset from base, never 0 (which means never).
func (b *contactBook) elapsed() time.Duration { return max(time.Since(b.base), 1) }

// heard notes that peer id answered now.
func (b *contactBook) heard(id raft.ServerID) { b.heardAt(id, b.elapsed()) }

func (b *contactBook) heardAt(id raft.ServerID, now time.Duration) {
	b.mu.RLock()
	slot := b.at[id]
	b.mu.RUnlock()
	if slot == nil {
		slot = b.slot(id)
	}
	slot.Store(int64(now))
}

// slot returns id's entry, adding it if needed.
func (b *contactBook) slot(id raft.ServerID) *atomic.Int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.at[id] == nil {
		b.at[id] = new(atomic.Int64)
	}
	return b.at[id]
}

// age is how long ago peer id last answered, -1 if it never did.
func (b *contactBook) age(id raft.ServerID) time.Duration { return b.ageAt(id, b.elapsed()) }

func (b *contactBook) ageAt(id raft.ServerID, now time.Duration) time.Duration {
	b.mu.RLock()
	slot := b.at[id]
	b.mu.RUnlock()
	if slot == nil {
		return -1
	}
	at := time.Duration(slot.Load())
	if at == 0 {
		return -1
	}
	return max(now-at, 0)
}

// retain forgets the peers not in servers, so that members removed over
// time do not accumulate.
func (b *contactBook) retain(servers []raft.Server) {
	b.mu.RLock()
	extra := len(b.at) > len(servers)
	b.mu.RUnlock()
	if !extra {
		return
	}
	keep := make(map[raft.ServerID]bool, len(servers))
	for _, s := range servers {
		keep[s.ID] = true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for id := range b.at {
		if !keep[id] {
			delete(b.at, id)
		}
	}
}
