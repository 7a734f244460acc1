package cluster

import (
	"strconv"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// The replication stream of Redis's SYNC/PSYNC (server/replication.go) is
// made here, as entries apply: each client command, MULTI block or script
// propagates what protocol.ReplLog.Called decides (Redis 7.0's forms), an
// expiry or eviction entry a DEL per key, with a SELECT before a command
// of another database than the stream's last. Every node makes the same
// stream from the same entries, so any node can serve replicas.

// ReplSink receives the replication stream (a replica's connection).
type ReplSink interface {
	// Feed is given the next bytes of the stream, under the state
	// machine's lock: it must copy them and return at once.
	Feed(b []byte)
	// Resync says the stream cannot go on (this node's state was replaced
	// by a snapshot): the replica must be disconnected.
	Resync()
}

// replFeed is the FSM's side of the replicas.
type replFeed struct {
	sinks  []ReplSink
	db     int // database the stream selected last; -1: none yet
	log    protocol.ReplLog
	rec    replRecorder
	buf    []byte
	offset int64 // bytes fed so far: every sink attached sees the same bytes
}

// replRecorder counts the keyspace's changes into the ReplLog and passes
// them on to the tracker's log, when tracking.
type replRecorder struct {
	log  *protocol.ReplLog
	next datatypes.Recorder
}

func (r *replRecorder) Modified(key string) {
	r.log.Modified(key)
	if r.next != nil {
		r.next.Modified(key)
	}
}

func (r *replRecorder) Flushed() {
	r.log.Flushed()
	if r.next != nil {
		r.next.Flushed()
	}
}

// AttachReplica adds s to the replicas and returns, taken at the same
// point of the apply sequence, a frozen copy of the databases (to encode
// as the RDB payload while Apply goes on), the encoding limits to encode
// them by, and the stream offset s starts at. The next command fed is
// preceded by a SELECT.
func (f *FSM) AttachReplica(s ReplSink) (*datatypes.DBs, datatypes.EncodingLimits, int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.repl.sinks = append(f.repl.sinks, s)
	f.repl.db = -1
	f.events.Repl = &f.repl.log
	return f.dbs.Freeze(), f.dbs.DB(0).EncodingLimits(), f.repl.offset
}

// DetachReplica removes s from the replicas.
func (f *FSM) DetachReplica(s ReplSink) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, x := range f.repl.sinks {
		if x == s {
			f.repl.sinks = append(f.repl.sinks[:i], f.repl.sinks[i+1:]...)
			break
		}
	}
	if len(f.repl.sinks) == 0 {
		f.events.Repl = nil
	}
}

// ReplPing feeds PING to the replicas (repl-ping-replica-period), between
// two entries.
func (f *FSM) ReplPing() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.repl.sinks) > 0 {
		f.feedRepl(protocol.AppendMultiBulk(f.repl.buf[:0], [][]byte{[]byte("PING")}))
	}
}

// resyncReplicas drops every replica: the state was replaced (Restore).
// Call it with f.mu held.
func (f *FSM) resyncReplicas() {
	for _, s := range f.repl.sinks {
		s.Resync()
	}
	f.repl.sinks, f.events.Repl = nil, nil
}

// replLog returns the log commands report their propagation to, or nil
// while no replica is attached.
func (f *FSM) replLog() *protocol.ReplLog {
	if len(f.repl.sinks) == 0 {
		return nil
	}
	return &f.repl.log
}

// recorder is the keyspace's Recorder for the entry being applied: the
// tracker's log when tracking, counted into the ReplLog while replicas
// are attached; nil for neither.
func (f *FSM) recorder(tracking bool) datatypes.Recorder {
	var next datatypes.Recorder
	if tracking {
		next = &f.changed
	}
	if len(f.repl.sinks) == 0 {
		return next
	}
	f.repl.log.Reset()
	f.repl.rec = replRecorder{log: &f.repl.log, next: next}
	return &f.repl.rec
}

// flushRepl feeds what the call just run propagated: its ops, wrapped in
// MULTI/EXEC when there are several (unless the call touched arbitrary
// keys), each after a SELECT when its database is not the stream's.
func (f *FSM) flushRepl() {
	l := &f.repl.log
	if len(l.Ops) == 0 || len(f.repl.sinks) == 0 {
		l.Reset()
		return
	}
	wrap := len(l.Ops) > 1 && !l.NoMulti
	b := f.repl.buf[:0]
	if wrap {
		b = f.appendReplOp(b, l.Ops[0].DB, [][]byte{[]byte("MULTI")})
	}
	for _, op := range l.Ops {
		b = f.appendReplOp(b, op.DB, op.Argv)
	}
	if wrap {
		b = f.appendReplOp(b, l.Ops[len(l.Ops)-1].DB, [][]byte{[]byte("EXEC")})
	}
	f.feedRepl(b)
	l.Reset()
}

// appendReplOp appends argv, preceded by SELECT db when the stream is in
// another database.
func (f *FSM) appendReplOp(b []byte, db int, argv [][]byte) []byte {
	if db != f.repl.db {
		b = protocol.AppendMultiBulk(b, [][]byte{[]byte("SELECT"), strconv.AppendInt(nil, int64(db), 10)})
		f.repl.db = db
	}
	return protocol.AppendMultiBulk(b, argv)
}

func (f *FSM) feedRepl(b []byte) {
	for _, s := range f.repl.sinks {
		s.Feed(b)
	}
	f.repl.offset += int64(len(b))
	f.repl.buf = b[:0]
}

// AttachReplica is FSM.AttachReplica.
func (n *Node) AttachReplica(s ReplSink) (*datatypes.DBs, datatypes.EncodingLimits, int64) {
	return n.fsm.AttachReplica(s)
}

// DetachReplica is FSM.DetachReplica.
func (n *Node) DetachReplica(s ReplSink) { n.fsm.DetachReplica(s) }

// ReplPing is FSM.ReplPing.
func (n *Node) ReplPing() { n.fsm.ReplPing() }
