package server

import (
	"bytes"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// A blocking XREAD sent just before another client's SET over its stream
// stays blocked, as in Redis: Redis reads the XREAD first and blocks it,
// and the SET does not wake it (Redis 7.0 wakes blocked readers only when
// a key is added as a list, sorted set or stream), so a later XADD serves
// it (Redis's unit/type/stream-cgroups "Blocking XREAD: key type changed
// with SET"). Here the SET's goroutine may run first, and the XREAD's
// first read then answered -WRONGTYPE, the answer to an XREAD sent after
// the SET: on one node when the SET was applied before the XREAD was even
// read; through a follower when its read index, asked of the leader after
// the SET got there, took the SET in.
//
// So while a node serves blocking XREADs (for changeSpan after the last
// one it read) the state machine tells it of every key a write finds
// holding a stream, before the write runs, with when the leader appended
// the write's entry (blocker.streams; the leader's clock, raft.Log's
// AppendedAt). A first read that answers -WRONGTYPE takes the XREAD as
// blocked first when, for every key now of another type, the XREAD asked
// for new entries only ("$": it would have blocked on the stream) and a
// write appended after the XREAD arrived found the key holding a stream:
// that write was not committed, so not answered, when the XREAD was sent,
// and the stream was there in a state the XREAD may be ordered at. The
// XREAD's arrival, by this node's clock, is moved into the leader's by the
// node's estimate of their offset (cluster.Node.LeaderClockAhead: it makes
// the window open a few µs early, never late; a write answered before the
// XREAD was sent was appended a commit earlier at least). The XREAD then
// blocks as if those keys were missing ("$" read as 0-0 for them, where
// Redis kept the stream's last ID: an entry XADDed after a DEL with an ID
// below it serves it here and not in Redis).
//
// Not covered: the first blocking XREAD a node reads (it arms the notes),
// and an XREAD a follower more than blockReadGrace behind sends to the
// leader: they answer -WRONGTYPE, as before.

// xreadWindow is when this pipeline's blocking XREAD arrived here (unix
// ns, this node's clock; zero when unknown or not the pipeline's first
// call).
type xreadWindow struct{ from int64 }

// openXReadWindow opens the window of a blocking XREAD that begins the
// pipeline, and arms the notes.
func (s *Server) openXReadWindow(c *client, calls []call) {
	c.xreadWin = xreadWindow{}
	if len(calls) == 0 || !isBlockingXRead(&calls[0]) {
		return
	}
	s.blocker.streams.arm()
	at := localArrival(c)
	if at == 0 || c.forwarded.origin != "" {
		return
	}
	c.mu.Lock()
	last := c.lastUsed
	c.mu.Unlock()
	c.xreadWin.from = max(at, last.UnixNano())
}

// NotingStreams reports whether the state machine tells WasStream.
func (b *blocker) NotingStreams() bool { return b.streams.on.Load() }

// WasStream is told by the state machine that a write the leader appended
// at appended (unix ns, its clock) found key of database db holding a
// stream.
func (b *blocker) WasStream(db int, key []byte, appended int64) {
	b.streams.noteAt(db, key, appended)
}

// retypedMeanwhile reports whether reply, the first read of c's blocking
// XREAD with arguments args, is a -WRONGTYPE that a concurrent change of
// type caused. t is the time the read judged expiry by.
func (s *Server) retypedMeanwhile(c *client, t int64, cmd *protocol.Command, args [][]byte, reply []byte) bool {
	win := c.xreadWin
	c.xreadWin = xreadWindow{}
	if win.from == 0 || !bytes.HasPrefix(reply, []byte("-WRONGTYPE")) {
		return false
	}
	ahead, ok := s.linear.LeaderClockAhead()
	at, _ := keyPositions(cmd, args)
	if !ok || len(at) == 0 {
		return false
	}
	from := win.from - ahead // the leader's clock
	concurrent := true
	s.view.ViewAt(t, func(dbs *datatypes.DBs, now int64) {
		ks := dbs.DB(c.db)
		for i, p := range at {
			if ks == nil {
				concurrent = false
				return
			}
			key := args[p : p+1]
			if e := ks.Lookup(string(key[0]), now); e == nil || isStream(e) {
				continue
			}
			id := args[at[len(at)-1]+1+i] // XREAD ... STREAMS key... id...
			if string(id) != "$" || !s.blocker.streams.changedWithin(c.db, key, from, maxUnixNano) {
				concurrent = false
				return
			}
		}
	})
	return concurrent
}

// maxUnixNano is a time after every other.
const maxUnixNano = int64(^uint64(0) >> 1)

func isStream(e *datatypes.Entry) bool {
	_, ok := e.Value.(*datatypes.Stream)
	return ok
}

func isBlockingXRead(cl *call) bool {
	return cl.ok && cl.cmd.Name == "xread" && cl.cmd.FlagsFor(cl.args)&protocol.Blocking != 0
}
