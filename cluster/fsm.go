// Package cluster wires hashicorp/raft to geetcache: the state machine, its
// snapshots, the stores, the transport, bootstrapping and the read barrier.
package cluster

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/raft"

	"github.com/geetcache/geetcache/acl"
	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
	"github.com/geetcache/geetcache/scripting"
)

// snapshotMagic starts every snapshot; the last byte is the format version.
// Version 2 adds the node table, version 3 the scripting state, version 4
// the ACL users, version 5 the databases other than 0; version 1 to 4
// snapshots are still restored (with no node table, no scripts, only the
// default user, every key in database 0).
var snapshotMagic = []byte("GEETSNP\x05")

// snapshotMagicV1, V2 and V3 are the previous formats: without the node
// table, without the scripting state, without the users.
var (
	snapshotMagicV1 = []byte("GEETSNP\x01")
	snapshotMagicV2 = []byte("GEETSNP\x02")
	snapshotMagicV3 = []byte("GEETSNP\x03")
	snapshotMagicV4 = []byte("GEETSNP\x04")
)

// FSM applies log entries to the keyspace. Apply is deterministic: the time
// comes from the entry (never earlier than the previous entry's), randomness
// is seeded from the entry's index, and replies are built from the keyspace
// alone, so every replica that applies the same log holds the same data.
//
// Apply and ApplyBatch are called by raft's FSM goroutine only; View may be
// called concurrently from any goroutine.
type FSM struct {
	mu       sync.RWMutex
	dbs      *datatypes.DBs // the databases, SELECT's indexes
	ndbs     int            // how many databases the node is configured with
	table    *protocol.Table
	lastTime int64 // timestamp of the last applied entry, unix ms
	// appendedAt is when the leader appended the entry being applied
	// (unix ns, its clock; 0 unknown): only for the watcher (BeforeWrite).
	appendedAt int64
	lastSeen   atomic.Int64 // lastTime, for readers that hold no lock

	applied atomic.Uint64 // index of the last log applied
	advance appliedSignal // wakes WaitApplied when applied moves
	pcg     rand.PCG
	rnd     *rand.Rand
	watcher KeyWatcher // told of keys that hold a value after a write
	meta    nodeMeta   // advertised client address of each node, and replicated settings
	// settings is the replicated settings of meta by name, republished
	// whole when one changes (settings.go); read without mu.
	settings atomic.Pointer[map[string]string]
	// streamLimits are the stream node limits the settings give.
	streamLimits datatypes.StreamNodeLimits
	// scripts is the replicated scripting state; scripts' commands change
	// it inside Apply, under its own lock.
	scripts *scripting.State
	// users is the ACL user table (ACL SETUSER and DELUSER change it
	// inside Apply); nil: a table of the default user alone, not kept.
	users *acl.Users
	// scriptACL is Config.ScriptACL; nil: units' users are not checked.
	scriptACL ScriptACLFunc
	// unitCtx and unitDirty are the context of the unit running (runUnit).
	unitCtx   protocol.Ctx
	unitDirty protocol.Dirty
	// lastCmd is the command runUnit ran last (Table.LookupAfter).
	lastCmd *protocol.Command

	index uint64 // index of the entry being applied, for logs
	term  uint64 // term of the entry being applied
	// pub delivers the messages of the entries gate lets through
	// (fsm_publish.go); nil: none are.
	pub  protocol.Publisher
	gate deliveryGate
	// events publishes keyspace notifications (fsm_notify.go);
	// notifyFlags is its Flags, for readers that hold no lock.
	events      protocol.Events
	notifyFlags atomic.Uint32
	// tracker hears of the keys live entries change (fsm_track.go);
	// changed collects them while a command runs.
	tracker  Tracker
	changed  keyLog
	tracking bool         // the entry being applied is tracked (startTracking)
	log      *slog.Logger // nil: slog.Default()
	onHalt   func(error)  // told once when the FSM stops for good; may be nil

	// eviction holds the applied eviction settings (evict_settings.go);
	// evicted counts the keys EntryEvict entries deleted, expired the
	// expired keys writers removed (expiry entries, writes meeting one);
	// used is the keyspace's memory figure after the last applied batch
	// (evict_fsm.go).
	eviction    atomic.Pointer[EvictionSettings]
	evicted     atomic.Int64
	expired     atomic.Int64
	keyStats    protocol.KeyStats // the read lookups of the entries applied (keyspace_hits/misses)
	used        atomic.Int64
	volatile    atomic.Int64                  // keys with a TTL, all databases, at the last apply (freshReadTime)
	onMaxMemory func(int64)                   // Config.OnMaxMemory; may be nil
	touchFn     func(*datatypes.Entry, int64) // f.touch, bound once (a method value allocates)
	// dirty is the node's dirty counter (fsm_dirty.go).
	dirty atomic.Int64
	// repl is the replication stream's side (fsm_repl.go).
	repl replFeed
}

// KeyWatcher hears, from inside the state machine, of keys a command named
// that changed (see signalKeys): where a blocked client may now find
// something to take, or find its stream gone. Its methods run under the
// FSM's lock and must be quick and never block.
type KeyWatcher interface {
	Watching() bool // false makes the FSM skip the lookups entirely
	Ready(db int, key []byte)
	ReadyAll()               // every key may have changed (FLUSHALL)
	Gone(db int, key []byte) // a write left key without a stream (or changed its groups)
	GoneAll()                // every key may be gone (FLUSHALL, FLUSHDB, SWAPDB)
	Applying()               // a batch of entries is about to be applied
	// NotingWrites makes the FSM tell BeforeWrite what each key of a
	// write holds (nil: nothing) before the write runs, with when the
	// leader appended the write's entry (unix ns, the leader's clock).
	// BeforeFlush is told of a FLUSHALL, FLUSHDB or SWAPDB instead.
	NotingWrites() bool
	BeforeWrite(db int, key []byte, appended int64, e *datatypes.Entry)
	BeforeFlush(appended int64)
}

var _ raft.BatchingFSM = (*FSM)(nil)

// NewFSM returns an FSM over an empty keyspace that runs commands from
// table, keeping scripts (a new State when nil) in its snapshots.
func NewFSM(table *protocol.Table, scripts *scripting.State) *FSM {
	if scripts == nil {
		scripts = scripting.NewState()
	}
	f := &FSM{dbs: datatypes.NewDBs(datatypes.DefaultDatabases), ndbs: datatypes.DefaultDatabases, table: table, scripts: scripts,
		streamLimits: datatypes.DefaultStreamNodeLimits}
	f.rnd = rand.New(&f.pcg)
	f.initEvents()
	return f
}

// SetDatabases sets how many databases the node has (Redis's `databases`):
// SELECT's bound. Call it before Raft starts; every node of a cluster
// should be configured alike.
func (f *FSM) SetDatabases(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ndbs = max(n, 1)
	f.dbs = datatypes.NewDBs(f.ndbs)
	f.initEvents()
}

// View runs fn with the databases under a read lock. fn must not modify
// them nor keep references to them past its return.
func (f *FSM) View(fn func(dbs *datatypes.DBs)) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	fn(f.dbs)
}

// ViewAt runs fn with the keyspace under a read lock and the time to
// judge expiry by: t, or the time of the last applied entry if that is
// later, so a read never sees a key alive that an entry it sees already
// judged expired. fn must not modify the databases nor keep references to
// them past its return.
func (f *FSM) ViewAt(t int64, fn func(dbs *datatypes.DBs, now int64)) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	fn(f.dbs, max(t, f.lastTime))
}

// EntryTime returns the time of the last applied entry, unix ms.
func (f *FSM) EntryTime() int64 { return f.lastSeen.Load() }

// Watch registers w. Call it with f.mu held, or before the FSM starts.
func (f *FSM) Watch(w KeyWatcher) { f.watcher = w }

// AppliedIndex returns the index of the last log the FSM has applied.
func (f *FSM) AppliedIndex() uint64 { return f.applied.Load() }

// Apply applies one log; see ApplyBatch.
func (f *FSM) Apply(l *raft.Log) interface{} {
	return f.ApplyBatch([]*raft.Log{l})[0]
}

// ApplyBatch applies logs in order under one lock. The response for a
// command entry is a [][]byte: one RESP reply per unit.
func (f *FSM) ApplyBatch(logs []*raft.Log) []interface{} {
	if PathTimes {
		defer pathApplied(logs, PathNow())
	}
	out := make([]interface{}, len(logs))
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.watcher != nil {
		f.watcher.Applying()
	}
	for i, l := range logs {
		if l.Type == raft.LogCommand {
			f.appendedAt = appendedAt(l) // told to the watcher, never to the state
			out[i] = f.applyEntry(l)
		}
		f.applied.Store(l.Index)
	}
	f.used.Store(f.dbs.Used())
	f.storeVolatile(f.dbs)
	f.advance.advanced()
	return out
}

// applyEntry applies one entry and returns one reply per unit.
func (f *FSM) applyEntry(l *raft.Log) [][]byte {
	e, err := protocol.DecodeEntry(l.Data)
	if err == nil {
		err = f.table.CheckEntry(&e)
	}
	if err != nil {
		f.halt(l.Index, err) // never returns
	}
	f.lastTime = max(f.lastTime, e.Time)
	f.index, f.term = l.Index, l.Term
	f.lastSeen.Store(f.lastTime)
	f.pcg.Seed(l.Index, l.Term)
	f.growTo(&e)
	f.dbs.SetStamp(l.Index)
	f.beginEvents()
	f.dbs.SetTime(f.lastTime)
	defer f.dbs.Settle()
	replies := make([][]byte, len(e.Units))
	if f.startTracking() {
		defer f.endTracking()
	}
	switch e.Kind {
	case protocol.EntryExpire:
		for i := range e.Units {
			f.expireKeys(e.Units[i].DB, e.Units[i].Cmds)
		}
		f.reportEntryChanges(nil)
	case protocol.EntryNodeMeta:
		for i := range e.Units {
			f.applyNodeMeta(e.Units[i].Cmds)
		}
		f.updateSettings()
	case protocol.EntryEvict:
		for i := range e.Units {
			f.evictKeys(e.Units[i].DB, e.Units[i].Cmds)
		}
		f.reportEntryChanges(nil)
	case protocol.EntryCommands:
		// All replies share one buffer; each unit's is a capacity-limited
		// slice of it, never written again once the unit is done.
		w := &protocol.Writer{}
		for i := range e.Units {
			start := len(w.B)
			f.runUnit(&e.Units[i], w, len(l.Data))
			replies[i] = w.B[start:len(w.B):len(w.B)]
		}
	}
	return replies
}

// runUnit runs one client's unit, a command or a MULTI block whose replies
// form one array, appending its reply to w. The unit's arguments alias an
// entry of entrySize bytes.
func (f *FSM) runUnit(u *protocol.Unit, w *protocol.Writer, entrySize int) {
	w.Proto = int(u.Proto)
	if u.Multi && f.watchedChanged(u.Watch) {
		w.NullArray() // EXEC's answer when a watched key changed
		return
	}
	if u.Multi {
		w.Array(len(u.Cmds))
	}
	// One context serves every unit in turn (units run one at a time, and
	// nothing keeps a unit's context): no allocation per unit.
	c := &f.unitCtx
	f.unitDirty = protocol.Dirty{}
	*c = protocol.Ctx{DB: f.dbs.DB(u.DB), DBs: f.dbs, DBIndex: u.DB, Now: f.lastTime, Rand: f.rnd, Out: w, EntrySize: entrySize, Retry: u.Retry, Pub: f.events.Pub,
		StreamLimits: &f.streamLimits, Events: &f.events, Stats: &f.keyStats, Access: f.touchFn, Dirty: &f.unitDirty, Repl: f.replLog()}
	defer func() { *c = protocol.Ctx{} }()
	if len(u.User) > 0 && f.scriptACL != nil {
		c.Conn = &unitUser{name: string(u.User), users: f.usersOrDefault(), table: f.table, check: f.scriptACL}
	}
	if c.Repl != nil {
		defer f.flushRepl() // a MULTI block's ops go out together
	}
	for _, argv := range u.Cmds {
		cmd := f.table.LookupAfter(f.lastCmd, argv[0]) // known, arity checked: CheckEntry
		f.lastCmd = cmd
		c.Args = argv
		c.ReadCall = cmd.FlagsFor(argv)&protocol.Write == 0
		start := len(w.B)
		c.Dirty.Reset()
		var mark protocol.ReplMark
		if c.Repl != nil {
			mark = c.Repl.Mark()
		}
		db := c.DBIndex
		if f.watcher != nil && !c.ReadCall && f.watcher.NotingWrites() {
			f.noteBefore(cmd, argv, db)
		}
		served := f.serve(cmd, c)
		f.countDirty(c.Dirty)
		f.dbs.Settle()
		if !served {
			continue
		}
		if c.Repl != nil {
			c.Repl.Called(cmd, c, db, mark, w.B[start:])
		}
		if f.watcher != nil && f.watcher.Watching() {
			f.signalKeys(cmd, argv, w.B[start:], c.DBIndex)
		}
		f.reportEntryChanges(u.Origin)
	}
}

// reportEntryChanges tells the tracker, when tracking, what the command
// just run changed.
func (f *FSM) reportEntryChanges(origin []byte) {
	if f.tracking {
		f.reportChanged(origin)
	}
}

// watchedChanged reports whether any watched key changed after the stamp
// at which it was watched.
func (f *FSM) watchedChanged(w *protocol.Watch) bool {
	if w == nil {
		return false
	}
	for _, k := range w.Keys {
		if f.dbs.ChangedSince(k.DB, string(k.Key), w.At, k.Existed, f.lastTime) {
			return true
		}
	}
	return false
}

// expireKeys deletes each key of database db whose expiry has passed at
// the entry's time. A key whose TTL was changed after the leader proposed
// this entry is left.
func (f *FSM) expireKeys(db int, cmds [][][]byte) {
	ks := f.dbs.DB(db)
	for _, argv := range cmds {
		for _, k := range argv {
			if ks.LookupWrite(string(k), f.lastTime) == nil && f.watcher != nil && f.watcher.Watching() {
				f.watcher.Gone(db, k)
				f.watcher.Ready(db, k) // a blocked XREADGROUP learns its stream is gone
			}
			f.flushRepl() // each expired key's DEL on its own, as Redis's active expiry
		}
	}
}

// Snapshot freezes the keyspace in O(1); Persist encodes the frozen copy
// while Apply goes on.
func (f *FSM) Snapshot() (raft.FSMSnapshot, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return &fsmSnapshot{dbs: f.dbs.Freeze(), lastTime: f.lastTime, applied: f.applied.Load(), meta: f.meta.clone(),
		scripts: f.scripts.Snapshot(), users: f.usersSnapshot()}, nil
}

// Restore replaces all state with a snapshot's.
func (f *FSM) Restore(rc io.ReadCloser) error {
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 1<<16) // the size datatypes reads through, so it reads through br
	magic := make([]byte, len(snapshotMagic))
	_, err := io.ReadFull(br, magic)
	v1 := string(magic) == string(snapshotMagicV1)
	v2 := string(magic) == string(snapshotMagicV2)
	v3 := string(magic) == string(snapshotMagicV3)
	v4 := string(magic) == string(snapshotMagicV4)
	if err != nil || (!v1 && !v2 && !v3 && !v4 && string(magic) != string(snapshotMagic)) {
		return errors.New("failed to restore: not a geetcache snapshot (or a newer format)")
	}
	lastTime, err := binary.ReadVarint(br)
	if err != nil {
		return fmt.Errorf("failed to restore: %w", err)
	}
	applied, err := binary.ReadUvarint(br)
	if err != nil {
		return fmt.Errorf("failed to restore: %w", err)
	}
	meta := nodeMeta{}
	if !v1 {
		if meta, err = readNodeMeta(br); err != nil {
			return fmt.Errorf("failed to restore node table: %w", err)
		}
	}
	scripts := f.scripts.Empty()
	if !v1 && !v2 {
		if err := scripts.ReadSnapshot(br); err != nil {
			return fmt.Errorf("failed to restore scripting state: %w", err)
		}
	}
	users := f.emptyUsers()
	if !v1 && !v2 && !v3 {
		if err := users.ReadSnapshot(br); err != nil {
			return fmt.Errorf("failed to restore ACL users: %w", err)
		}
	}
	dbs, err := f.readDBs(br, !v1 && !v2 && !v3 && !v4)
	if err != nil {
		return fmt.Errorf("failed to restore: %w", err)
	}
	f.mu.Lock()
	f.scripts.Replace(scripts)
	f.replaceUsers(users)
	defer f.mu.Unlock()
	f.dbs, f.lastTime, f.meta = dbs, lastTime, meta
	f.resyncReplicas()
	f.initEvents()
	if f.tracker != nil {
		f.tracker.Flushed() // any key may have changed
		f.tracker.EntryDone()
	}
	f.updateSettings()
	f.used.Store(dbs.Used())
	f.storeVolatile(dbs)
	f.lastSeen.Store(lastTime)
	f.applied.Store(applied)
	f.advance.advanced()
	return nil
}

type fsmSnapshot struct {
	dbs      *datatypes.DBs
	lastTime int64
	applied  uint64
	meta     nodeMeta
	scripts  *scripting.State
	users    *acl.Users
}

// Persist writes the magic, the last entry time, the applied index, the
// node table, the scripting state, the ACL users and the keyspace, on a
// thread of lower priority than the ones serving clients (niced), with a
// GOMAXPROCS slot of its own (withOwnProc).
func (s *fsmSnapshot) Persist(sink raft.SnapshotSink) error {
	err := withOwnProc(func() error {
		return niced(func() error { return s.write(sink) })
	})
	if err != nil {
		sink.Cancel()
		return fmt.Errorf("failed to persist snapshot: %w", err)
	}
	return sink.Close()
}

func (s *fsmSnapshot) write(w io.Writer) error {
	header := binary.AppendVarint(append([]byte(nil), snapshotMagic...), s.lastTime)
	header = binary.AppendUvarint(header, s.applied)
	header = s.meta.appendTo(header)
	header = s.scripts.AppendSnapshot(header)
	header = s.users.AppendSnapshot(header)
	if _, err := w.Write(header); err != nil {
		return err
	}
	_, err := s.dbs.WriteTo(w)
	return err
}

// Release drops the frozen keyspace.
func (s *fsmSnapshot) Release() { s.dbs = nil }

// storeVolatile publishes how many keys of dbs have a TTL.
func (f *FSM) storeVolatile(dbs *datatypes.DBs) {
	_, volatile := dbs.Keys()
	f.volatile.Store(int64(volatile))
}
