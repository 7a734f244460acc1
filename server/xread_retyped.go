package server

import (
	"bytes"
	"slices"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// A blocking XREAD with "$" is judged as of its arrival, as Redis, which
// reads commands in the order they came, judges it: sent just before
// another client's XADD it gets that entry, and sent just before another
// client's SET over its stream it stays blocked (a SET does not wake a
// blocked reader in Redis 7.0), so that a later XADD serves it (Redis's
// unit/type/stream-cgroups "Blocking XREAD: key type changed with SET").
// Here the other client's goroutine may run first, and the XREAD's first
// read then met the write: "$" resolved past the XADD's entry (a client
// that waits for ever), or -WRONGTYPE, the answers to an XREAD sent after
// the write. On one node that happened when the write was applied before
// the XREAD was even read; through a follower far more often, since its
// read index, asked of the leader after the write got there, took the
// write in.
//
// So while a node serves blocking XREADs (for changeSpan after the last
// one it read) the state machine tells it what each key of a write holds
// before the write runs (a stream and its last ID, nothing, or another
// type) with when the leader appended the write's entry (raft.Log's
// AppendedAt, the leader's clock: told to the node, never to the state),
// and the node keeps the last few per key (xread_notes.go). The first read
// runs under the same read lock as a look at those notes: each "$" whose
// key a write appended after the XREAD arrived changed is read as what the
// key held before the first such write, its stream's last ID or 0-0 for
// nothing (xreadAsOf). Such a write was not committed, so not answered,
// when the XREAD was sent: the XREAD may be ordered before it. If the read
// then answers -WRONGTYPE, and every key now of another type held a stream
// as of the XREAD's arrival, it runs again counting those keys as missing
// and blocks (retypedMeanwhile). The arrival, by this node's clock, is
// moved into the leader's by the node's estimate of their offset
// (cluster.Node.LeaderClockAhead: the window opens a few µs early, never
// late, and a write answered before the XREAD was sent was appended a
// commit earlier at least).
//
// Not covered, judged as before at the first read: the first blocking
// XREAD a node reads (it arms the notes), a key whose notes later writes
// pushed out, a key that held another type as of the arrival, and an XREAD
// a follower more than blockReadGrace behind sends to the leader.

// openXReadWindow opens the window of a blocking XREAD that begins the
// pipeline, and arms the notes.
func (s *Server) openXReadWindow(c *client, calls []call) {
	c.xreadFrom = 0
	if len(calls) == 0 || !isBlockingXRead(&calls[0]) {
		return
	}
	s.blocker.streams.arm()
	if c.forwarded.origin == "" {
		// c's own earlier writes were appended before it had their
		// replies, so before this arrived: the arrival alone is the window.
		c.xreadFrom = localArrival(c)
	}
}

// NotingWrites reports whether the state machine tells BeforeWrite.
func (b *blocker) NotingWrites() bool { return b.streams.on.Load() }

// BeforeWrite is told by the state machine that key of database db held e
// (nil: nothing) just before a write the leader appended at appended
// (unix ns, its clock).
func (b *blocker) BeforeWrite(db int, key []byte, appended int64, e *datatypes.Entry) {
	b.streams.note(db, key, appended, e)
}

// BeforeFlush is told by the state machine of a FLUSHALL, FLUSHDB or
// SWAPDB the leader appended at appended (unix ns, its clock).
func (b *blocker) BeforeFlush(appended int64) { b.streams.flush(appended) }

// maxAsOfKeys is the most keys an XREAD judged as of its arrival names.
const maxAsOfKeys = 64

// xreadAsOf returns the arguments of c's blocking XREAD, args, with each
// "$" whose key a write appended after the XREAD arrived changed replaced
// by what the key held before the first such write: its stream's last ID,
// or 0-0 for nothing; and which keys (bit i for key i) held a stream then.
func (s *Server) xreadAsOf(c *client, cmd *protocol.Command, args [][]byte) (asOf [][]byte, streams uint64) {
	arrived := c.xreadFrom
	c.xreadFrom = 0
	if arrived == 0 {
		return args, 0
	}
	ahead, ok := s.linear.LeaderClockAhead()
	at, _ := keyPositions(cmd, args)
	if !ok || len(at) == 0 || len(at) > maxAsOfKeys {
		return args, 0
	}
	from := arrived - ahead // the leader's clock
	asOf = args
	for i, p := range at {
		idAt := at[len(at)-1] + 1 + i // XREAD ... STREAMS key... id...
		if string(args[idAt]) != "$" {
			continue
		}
		rec, ok := s.blocker.streams.before(c.db, args[p], from)
		if !ok || rec.held == heldOther {
			continue
		}
		if &asOf[0] == &args[0] {
			asOf = slices.Clone(args)
		}
		asOf[idAt] = rec.last.Append(nil)
		if rec.held == heldStream {
			streams |= 1 << i
		}
	}
	return asOf, streams
}

// retypedMeanwhile reports whether reply, the first read of a blocking
// XREAD with arguments args, is a -WRONGTYPE that concurrent writes caused:
// every key of another type now held a stream as of the XREAD's arrival
// (streams, from xreadAsOf). The caller holds the read lock.
func (s *Server) retypedMeanwhile(c *client, dbs *datatypes.DBs, now int64, cmd *protocol.Command, args [][]byte, streams uint64, reply []byte) bool {
	if streams == 0 || !bytes.HasPrefix(reply, []byte("-WRONGTYPE")) {
		return false
	}
	ks := dbs.DB(c.db)
	at, _ := keyPositions(cmd, args)
	if ks == nil {
		return false
	}
	for i, p := range at {
		if e := ks.Lookup(string(args[p]), now); e != nil && !isStream(e) && streams&(1<<i) == 0 {
			return false
		}
	}
	return true
}

func isStream(e *datatypes.Entry) bool {
	_, ok := e.Value.(*datatypes.Stream)
	return ok
}

func isBlockingXRead(cl *call) bool {
	return cl.ok && cl.cmd.Name == "xread" && cl.cmd.FlagsFor(cl.args)&protocol.Blocking != 0
}
