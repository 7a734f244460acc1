package server

import (
	"time"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// The server sees the replicated node through five narrow interfaces, one
// per concern, each held in its own Server field; *cluster.Node is all of
// them. A test double need only implement what the code under test uses.

// Backend is everything the server needs from its node; New takes one.
type Backend interface {
	Proposer
	Router
	Linearizer
	StateView
	Admin
	Evictor
	Replicator
}

var _ Backend = (*cluster.Node)(nil)

// Proposer puts writes in the log (dispatch.go, multi_exec.go,
// block_cmd.go, resend.go).
type Proposer interface {
	// Submit queues a unit for the log; its Reply is the reply bytes.
	Submit(u protocol.Unit) *cluster.Pending
}

// Router says where a command that needs the leader must go, and how a
// Raft failure is answered (the routing in conn.go, forward.go,
// readindex.go, readmode.go, readonly.go, resend.go, multi_exec.go; ROLE,
// HELLO and RAFT).
type Router interface {
	IsLeader() bool
	// LeaderClientAddr is the leader's client address, when known.
	LeaderClientAddr() (string, bool)
	// ErrorReply turns a Raft error into an error reply; a not-leader
	// error names the leader's client address when it is known. It is
	// the one place that translation happens (cluster.Node.ErrorReply).
	ErrorReply(err error) string
}

// Linearizer says when a read may run on the local state (readmode.go,
// readindex.go, readonly.go, watch.go).
type Linearizer interface {
	// ReadBarrier returns nil once local reads are linearizable, and the
	// leader's time they judge expiry by.
	ReadBarrier() (int64, error)
	// ReadIndex, on the leader, returns the index a follower must apply
	// before a linearizable read, and the leader's time the read judges
	// expiry by; WaitApplied waits for this node to apply an index (see
	// cluster.Node).
	ReadIndex() (uint64, int64, error)
	WaitApplied(index uint64, timeout time.Duration) error
	AppliedIndex() uint64
	// Loading reports whether the node has yet to apply what it had
	// applied before it started (see cluster.Node.Loading).
	Loading() bool
	// LeaderClockAhead is how far this node's clock is ahead of the
	// leader's, the shortest transit of an entry included; ok is false
	// without an entry stored lately (cluster.Node).
	LeaderClockAhead() (offset int64, ok bool)
}

// StateView reads the applied keyspace (dispatch.go, debug_cmd.go,
// info_sections.go, watch.go, server.go).
type StateView interface {
	// View runs fn over the databases under a read lock.
	View(fn func(dbs *datatypes.DBs))
	// ViewAt runs fn over the keyspace under a read lock with the time to
	// judge expiry by: t, or the last applied entry's time if later.
	// LocalTime (this node's clock, for READONLY reads) and WatchTime (for
	// WATCH) are such times; see cluster.Node.
	ViewAt(t int64, fn func(dbs *datatypes.DBs, now int64))
	LocalTime() int64
	WatchTime() int64
	// NotifyFlags is the keyspace-event classes this node applied: a read
	// that misses publishes keymiss to this node's subscribers (class m).
	NotifyFlags() protocol.NotifyFlags
	// Watch registers w to hear, from the state machine, of keys that hold
	// a value after a write named them.
	Watch(w cluster.KeyWatcher)
}

// Admin is the node's membership and maintenance side, for RAFT, ROLE,
// INFO and SAVE/BGSAVE (raft_cmd.go, role_cmd.go, info_sections.go,
// persistence.go).
type Admin interface {
	Members() ([]cluster.Member, error)
	NodeID() string
	// Term is the current Raft term.
	Term() uint64
	// Stats lists Raft facts for INFO.
	Stats() [][2]string
	// Snapshot takes a snapshot now.
	Snapshot() error
	AddVoter(id, raftAddr string) error
	Advertise(id, clientAddr string) error
	// SetSetting records a replicated CONFIG parameter through the log
	// (leader only); Setting reads the applied value (cluster/settings.go).
	SetSetting(name, value string) error
	Setting(name string) (string, bool)
	RemoveServer(id string) error
	TransferLeadership(id string) error
	// HandOver hands a leader's leadership to another voter once its
	// proposals are answered (cluster.Node.HandOver); nil on a follower.
	HandOver(timeout time.Duration, abort <-chan struct{}) error
	// HandOverTo is HandOver to a chosen voter, reporting when the
	// transfer starts (FAILOVER, CLUSTER FAILOVER).
	HandOverTo(p cluster.HandOverPlan) error
	// AdvertisedAddr is the client address this node announces;
	// SetAdvertisedAddr changes it (CONFIG SET port), and the node
	// announces it again.
	AdvertisedAddr() string
	SetAdvertisedAddr(addr string)
}

// Evictor is maxmemory's side of the node (maxmemory.go, access.go,
// info_sections.go): the replicated eviction settings and memory figure,
// the leader's eviction, and the access reports followers send it.
type Evictor interface {
	Eviction() cluster.EvictionSettings
	// UsedMemory is the figure maxmemory is judged by, the same on every
	// replica at the same applied index; DatasetMemory is its keyspace
	// part.
	UsedMemory() int64
	DatasetMemory() int64
	EvictedKeys() int64
	ExpiredKeys() int64
	KeyStats() *protocol.KeyStats
	// MakeRoom evicts (leader only) until memory is at most maxmemory; false
	// means a write must get OOM.
	MakeRoom() bool
	// TouchKeys counts a follower's reported reads on this node.
	TouchKeys(keys []string, counts []int64)
}
