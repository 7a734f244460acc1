package cluster

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"
	"go.etcd.io/bbolt"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// logCacheEntries is how many recent log entries stay in memory for
// replication: one AppendEntries message's worth. An entry carries a whole
// group commit (up to maxBatchUnits units, maxBatchBytes), so a short cache
// covers a lot of traffic; a long one would hold a copy of recent writes in
// memory next to the keyspace.
const logCacheEntries = maxAppendEntries

// initialMmapSize is how much of raft.db bbolt maps from the start: address
// space, not memory. Each time the file outgrows the mapping, bbolt copies
// every value of the transaction being written out of the old mapping
// before it remaps, so a large entry cost one more copy of itself each
// time the log grew; with 1 GiB mapped (on 64-bit platforms) that happens
// once per GiB of log instead (0, bbolt's default, on 32-bit platforms).
const initialMmapSize = 1 << 30 * (strconv.IntSize / 64)

// boltOptions are raft.db's bbolt options.
func boltOptions() *bbolt.Options {
	return &bbolt.Options{Timeout: time.Second, NoFreelistSync: true, FreelistType: bbolt.FreelistMapType,
		InitialMmapSize: initialMmapSize}
}

// Node is one Raft member with its state machine.
type Node struct {
	cfg Config
	// advertised is the client address this node announces: cfg.ClientAddr
	// until SetAdvertisedAddr (CONFIG SET port).
	advertised atomic.Pointer[string]
	raft       *raft.Raft
	fsm        *FSM
	store      raftStore // the Raft log and stable store (RaftLog)
	disk       *diskGuard
	sizes      *logSizes // sizes of stored entries, for the byte limits
	// leaderClock estimates this clock's offset from the leader's
	// (leaderclock.go).
	leaderClock leaderClock
	expiry      activeExpiry // DEBUG SET-ACTIVE-EXPIRE (expiry_switch.go)
	evict       evictor      // the leader's eviction rounds (evict.go)
	// latencyHook times expiry and eviction rounds (latency_hook.go).
	latencyHook atomic.Pointer[LatencyHook]
	// lazy carries reads' expiry requests to their worker (expiry_lazy.go).
	lazyOnce  sync.Once
	lazy      chan lazyRequest
	logs      raft.LogStore // the store behind a cache of recent entries
	snaps     raft.SnapshotStore
	trans     *raft.NetworkTransport
	overlap   *overlapLogs              // the log's writes beside replication (overlap.go)
	raftReady atomic.Pointer[raft.Raft] // n.raft, once NewRaft has returned

	contacts *contactBook // when each peer last answered this node's RPCs
	clock    *clock       // the time this node stamps and vouches for
	tickMu   sync.Mutex   // one freshReadTime proposes at a time

	barrierMu   sync.Mutex
	barrierTerm atomic.Uint64 // term whose leadership barrier has completed
	verify      verifier
	voters      soleVoterCache // a leader's soleVoter answer (voters.go)
	removed     atomic.Bool    // the latest configuration no longer holds this node
	handingOver atomic.Bool    // HandOver runs: no proposal, IsLeader false (handover.go)
	handOverMu  sync.Mutex     // one HandOver at a time (handover.go)
	leading     atomic.Int64   // calls that need this node to lead until they end (handover.go)
	loading     loadState      // whether the node has caught up with its state before the restart

	lastAdvertise time.Time   // announceLoop only: when a follower last asked to record its address
	advertising   atomic.Bool // a request to record this node's address is in flight

	halted  chan struct{}         // closed when the FSM halts
	haltErr atomic.Pointer[error] // why, set before halted is closed

	submit   chan *Pending
	inflight chan batch
	slots    chan struct{} // one token per entry in flight
	// storedWatch: when the batch loop's last entry is on disk.
	storedWatch storedWatch
	stop        chan struct{}
	done        sync.WaitGroup
}

// Open starts a node from cfg. On a data directory with no Raft state it
// bootstraps a single-voter cluster made of itself.
func Open(cfg Config, table *protocol.Table) (*Node, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	n := &Node{cfg: cfg, fsm: newFSMWithUsers(table, cfg), stop: make(chan struct{}), contacts: newContactBook(),
		disk: newDiskGuard(cfg.Dir, cfg.Logger), sizes: newLogSizes(cfg.TrailingLogs),
		submit: make(chan *Pending, maxBatchUnits), inflight: make(chan batch, maxInflight),
		slots: make(chan struct{}, maxInflight), halted: make(chan struct{})}
	n.advertised.Store(&cfg.ClientAddr)
	n.fsm.SetLogger(cfg.Logger.With("subsystem", "fsm"))
	n.fsm.SetHaltHandler(n.onHalt)
	n.clock = newClock(cfg.TestClockOffset, n.fsm.EntryTime)
	if err := n.openRaft(); err != nil {
		n.closeStores()
		return nil, err
	}
	n.verify.raft = n.raft
	n.done.Add(6)
	go n.byteLimitsLoop()
	go n.announceLoop()
	go n.expiryLoop()
	go n.evictLoop()
	go n.batchLoop()
	go n.replyLoop()
	return n, nil
}

func (n *Node) openRaft() error {
	cfg := n.cfg
	if err := os.MkdirAll(cfg.Dir, 0o750); err != nil {
		return fmt.Errorf("failed to create data directory: %w", err)
	}
	rlog := cfg.RaftLogger
	if rlog == nil {
		rlog = cfg.Logger
	}
	var hlog hclog.Logger = newRaftLogger(rlog, cfg.RaftLogLevel)
	var err error
	if n.store, err = n.openStore(hlog); err != nil {
		return err
	}
	var disk raft.LogStore = diskLogStore{n.store, n.disk, n.sizes, &n.storedWatch}
	if cfg.wrapLog != nil {
		disk = cfg.wrapLog(disk)
	}
	n.overlap, err = newOverlapLogs(disk, n.overlapsWrites, n.fsm.AppliedIndex, cfg.Logger)
	if err != nil {
		return err
	}
	cache, err := raft.NewLogCache(logCacheEntries, n.overlap)
	if err != nil {
		return err
	}
	var logs raft.LogStore = unpinnedLogs{cache, &n.leaderClock}
	n.logs = logs
	if err := prepareSnapshots(cfg.Dir, cfg.Logger); err != nil {
		return err
	}
	files, err := raft.NewFileSnapshotStoreWithLogger(cfg.Dir, 2, hlog)
	if err != nil {
		return fmt.Errorf("failed to open snapshot store: %w", err)
	}
	snaps := syncingSnapshots{files, cfg.Dir}
	n.snaps = snaps
	if n.trans, err = n.openTransport(hlog); err != nil {
		return err
	}
	if err := n.recoverCluster(n.raftConfig(hlog), logs, snaps, n.trans); err != nil {
		return err
	}
	if err := n.startLoading(logs, snaps); err != nil {
		return fmt.Errorf("failed to read the raft log: %w", err)
	}
	fsm := durableFSM{snapshotNoter{n.fsm, n.sizes}, n.overlap.durable}
	trans := contactTransport{durableCommitTransport{n.trans, n.overlap.durable}, n.contacts}
	n.raft, err = raft.NewRaft(n.raftConfig(hlog), fsm, logs, n.store, snaps, trans)
	if err != nil {
		return fmt.Errorf("failed to start raft: %w", err)
	}
	n.raftReady.Store(n.raft)
	return n.bootstrap(logs, snaps)
}

// openTransport listens on the Raft address: plain TCP, or mutual TLS
// with PeerTLS.
func (n *Node) openTransport(hlog hclog.Logger) (*raft.NetworkTransport, error) {
	cfg := n.cfg
	if cfg.PeerTLS == nil {
		t, err := raft.NewTCPTransportWithLogger(cfg.RaftAddr, nil, 3, 10*time.Second, hlog)
		if err != nil {
			return nil, fmt.Errorf("failed to listen on raft-addr %s: %w", cfg.RaftAddr, err)
		}
		return t, nil
	}
	stream, err := newTLSStream(cfg.RaftAddr, cfg.PeerTLS, cfg.Logger.With("subsystem", "raft-tls"))
	if err != nil {
		return nil, fmt.Errorf("failed to listen on raft-addr %s with TLS: %w", cfg.RaftAddr, err)
	}
	return raft.NewNetworkTransportWithLogger(stream, 3, 10*time.Second, hlog), nil
}

// openLogStore opens the bbolt file at path as raft's log and stable store,
// turning bbolt's panics on a damaged file into an error.
func openLogStore(path string) (store *logStore, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = logFileDamaged(path, r)
		}
	}()
	db, err := bbolt.Open(path, 0o600, boltOptions())
	if err != nil {
		return nil, err
	}
	if store, err = newLogStore(db); err != nil {
		db.Close()
	}
	return store, err
}

// HeartbeatTimeout is how long a follower goes without hearing from the
// leader before it starts an election.
const HeartbeatTimeout = 500 * time.Millisecond

func (n *Node) raftConfig(hlog hclog.Logger) *raft.Config {
	rc := raft.DefaultConfig()
	rc.LocalID = raft.ServerID(n.cfg.NodeID)
	rc.Logger = hlog
	rc.HeartbeatTimeout = HeartbeatTimeout
	rc.ElectionTimeout = 500 * time.Millisecond
	rc.LeaderLeaseTimeout = 250 * time.Millisecond
	rc.CommitTimeout = 5 * time.Millisecond
	rc.MaxAppendEntries = maxAppendEntries
	rc.BatchApplyCh = true
	rc.SnapshotThreshold = n.cfg.SnapshotThreshold
	rc.SnapshotInterval = n.cfg.SnapshotInterval
	rc.TrailingLogs = n.cfg.TrailingLogs
	return rc
}

func (n *Node) bootstrap(logs raft.LogStore, snaps raft.SnapshotStore) error {
	has, err := raft.HasExistingState(logs, n.store, snaps)
	if err != nil || has {
		return err
	}
	if !n.cfg.Bootstrap {
		n.cfg.Logger.Warn("no Raft state in the data directory and bootstrap is off: waiting to be added by the cluster's leader; "+
			"run RAFT ADDVOTER "+n.cfg.NodeID+" "+n.cfg.RaftAddr+" on the leader (or RAFT REMOVE then ADDVOTER if this node's directory was wiped), "+
			"or start every node with --bootstrap to form a new cluster", "dir", n.cfg.Dir)
		return nil
	}
	if p, ok := n.existingCluster(); ok {
		n.cfg.Logger.Info("no Raft state in the data directory, and peer "+p.id+" already belongs to a cluster: "+
			"joining it instead of bootstrapping a second one; its leader will catch this node up "+
			"(if this node was removed from the cluster, run RAFT ADDVOTER "+n.cfg.NodeID+" "+n.cfg.RaftAddr+" on the leader)",
			"dir", n.cfg.Dir, "peer_term", p.term)
		return nil
	}
	conf := n.initialConfiguration()
	if err := n.raft.BootstrapCluster(conf).Error(); err != nil && !errors.Is(err, raft.ErrCantBootstrap) {
		return fmt.Errorf("failed to bootstrap: %w", err)
	}
	return nil
}

// initialConfiguration is the configuration a new cluster starts with:
// the peers, or this node alone.
func (n *Node) initialConfiguration() raft.Configuration {
	if len(n.cfg.Peers) == 0 {
		return raft.Configuration{Servers: []raft.Server{{
			ID: raft.ServerID(n.cfg.NodeID), Address: n.trans.LocalAddr(),
		}}}
	}
	var conf raft.Configuration
	for _, p := range n.cfg.Peers {
		conf.Servers = append(conf.Servers, raft.Server{ID: raft.ServerID(p.ID), Address: raft.ServerAddress(p.RaftAddr)})
	}
	return conf
}

// onHalt records the FSM's halt and closes Halted.
func (n *Node) onHalt(err error) {
	n.haltErr.Store(&err)
	close(n.halted)
}

// Halted is closed when the state machine stops for good (an entry this
// binary cannot apply, or a damaged one); HaltErr then says why. The node
// applies nothing more and serves no read; the process should exit with
// that error, without Close.
func (n *Node) Halted() <-chan struct{} { return n.halted }

// HaltErr is why the state machine halted, nil while it has not.
func (n *Node) HaltErr() error {
	if err := n.haltErr.Load(); err != nil {
		return *err
	}
	return nil
}

// Close stops the node: pending proposals finish or fail, then Raft and the
// stores are closed. On a halted node it returns the halt error at once:
// Raft cannot shut down while the state machine is stopped inside Apply,
// nor can the proposals waiting for it finish. So a halt during Close
// ends it too, with the halt error (the stores stay open: the process is
// to exit).
func (n *Node) Close() error {
	if err := n.HaltErr(); err != nil {
		return err
	}
	close(n.stop)
	done := make(chan error, 1)
	go func() {
		n.done.Wait()
		if n.overlap != nil {
			n.overlap.Close() // the log's own writes from here on
		}
		if n.raft != nil {
			done <- n.raft.Shutdown().Error()
		}
		close(done)
	}()
	select {
	case err := <-done:
		return errors.Join(err, n.closeStores())
	case <-n.halted:
		return n.HaltErr()
	}
}

func (n *Node) closeStores() error {
	var errs []error
	if n.overlap != nil {
		n.overlap.Close()
	}
	if n.trans != nil {
		errs = append(errs, n.trans.Close())
	}
	if n.store != nil {
		errs = append(errs, n.store.Close())
	}
	return errors.Join(errs...)
}

// propose stamps e with this node's clock (see clock), appends it to the
// log and waits until it is applied or has failed. It fails with a
// *DiskError, without reaching Raft, if the log cannot take e.
func (n *Node) propose(e *protocol.Entry) error {
	if err := n.enterLeading(); err != nil {
		return err
	}
	defer n.leaveLeading()
	if err := n.leaderBarrier(); err != nil {
		return err
	}
	t, ticket := n.clock.stamp()
	defer n.clock.done(ticket)
	e.Time = t
	data := n.encode(e)
	if err := n.admit(len(data)); err != nil {
		return err
	}
	return n.raft.Apply(data, n.cfg.ApplyTimeout).Error()
}

// encode records e's command level in it and encodes it.
func (n *Node) encode(e *protocol.Entry) []byte {
	e.Level = n.fsm.table.EntryLevel(e)
	// Sized once: a large argument would otherwise grow it by copies.
	return e.AppendBinary(make([]byte, 0, e.EncodedLen()))
}

// Watch registers w to hear of keys that hold a value after a write.
func (n *Node) Watch(w KeyWatcher) {
	n.fsm.mu.Lock()
	n.fsm.Watch(w)
	n.fsm.mu.Unlock()
}

// View runs fn over the databases under the FSM's read lock.
func (n *Node) View(fn func(dbs *datatypes.DBs)) { n.fsm.View(fn) }

// ViewAt runs fn over the keyspace under the FSM's read lock, with the
// time to judge expiry by: t (a time from ReadBarrier, ReadIndex or
// LocalTime), or the time of the last applied entry if that is later.
func (n *Node) ViewAt(t int64, fn func(dbs *datatypes.DBs, now int64)) { n.fsm.ViewAt(t, fn) }

// LocalTime is this node's own clock in unix ms: what a READONLY (possibly
// stale) read is judged by, through ViewAt, so never earlier than the last
// entry applied here.
func (n *Node) LocalTime() int64 { return n.clock.local() }

// WatchTime is the time WATCH judges whether a key exists by, through
// ViewAt: the leader's time on the leader; on a follower, the time of the
// last entry it applied (its own clock could run ahead of the leader's
// and call a key gone that the leader will see change).
func (n *Node) WatchTime() int64 {
	if n.raft.State() == raft.Leader {
		return n.clock.readTime()
	}
	return math.MinInt64
}

// WaitLeader waits up to timeout for this node to lead with its leadership
// barrier done, so that reads see every committed write.
func (n *Node) WaitLeader(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		err := n.leaderBarrier()
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Term is the current Raft term.
func (n *Node) Term() uint64 { return n.raft.CurrentTerm() }

// Stats describes the node for INFO: state, term, leader, indexes.
func (n *Node) Stats() [][2]string {
	addr, id := n.raft.LeaderWithID()
	return [][2]string{
		{"raft_state", n.raft.State().String()},
		{"raft_node_id", n.cfg.NodeID},
		{"raft_term", strconv.FormatUint(n.raft.CurrentTerm(), 10)},
		{"raft_leader_id", string(id)},
		{"raft_leader_addr", string(addr)},
		{"raft_commit_index", strconv.FormatUint(n.raft.CommitIndex(), 10)},
		{"raft_applied_index", strconv.FormatUint(n.raftApplied(), 10)},
		{"raft_last_log_index", strconv.FormatUint(n.raft.LastIndex(), 10)},
		{"raft_last_contact", n.lastContact()},
		{"raft_node_membership", string(n.membership())},
		{"raft_log_write_status", n.logWriteStatus()},
	}
}

// raftApplied is raft_applied_index: the state machine's applied index,
// moved on past the no-op and barrier entries Raft has applied after it.
// Those never reach the state machine (stateIndex), so without this an
// idle node's applied index would trail its commit index for good.
func (n *Node) raftApplied() uint64 {
	applied := n.fsm.AppliedIndex()
	if raftApplied := n.raft.AppliedIndex(); raftApplied > applied && n.stateIndexAbove(raftApplied, applied) == applied {
		return raftApplied
	}
	return applied
}

// logWriteStatus is raft_log_write_status: "err" while writes are refused
// because the Raft log cannot be written (like Redis's
// aof_last_write_status), else "ok".
func (n *Node) logWriteStatus() string {
	if n.disk.failure() != nil {
		return "err"
	}
	return "ok"
}

// lastContact is raft_last_contact: how many ms ago this node heard from
// a leader, 0 on the leader, "never" if it has not.
func (n *Node) lastContact() string {
	if n.raft.State() == raft.Leader {
		return "0"
	}
	if age := n.contactAge(); age >= 0 {
		return strconv.FormatInt(age.Milliseconds(), 10)
	}
	return "never"
}

// Snapshot takes a snapshot now.
func (n *Node) Snapshot() error { return n.raft.Snapshot().Error() }
