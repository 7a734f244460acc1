package server

import (
	"strconv"
	"strings"
	"time"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// WATCH is checked by the state machine, on every replica alike: each key
// carries the stamp (log index) of the write that last changed it, and a
// transaction's log unit carries the watched keys, whether each existed,
// and the stamp at which this node looked at them (its applied index). The
// unit runs only if no watched key changed after that stamp. A follower
// first applies the leader's read index (watchTime), so that the stamp
// covers what the connection itself sent through it; it may still be a
// little behind the leader, which can only make a transaction fail that
// Redis would have run, never the reverse. Whether a watched key exists
// is judged by the leader's time: its own on the leader, the one that came
// with the read index on a follower (else the last applied entry's,
// cluster.Node.WatchTime), never by a follower's own clock: one running
// ahead would call a live key gone, and a transaction would then run
// although the key was deleted.

// watchCommands are WATCH and UNWATCH.
func (s *Server) watchCommands() []*protocol.Command {
	const flags = protocol.NoScript | protocol.Loading | protocol.Stale | protocol.Fast | protocol.AllowBusy
	return []*protocol.Command{
		{Name: "watch", Arity: -2, Flags: flags, FirstKey: 1, LastKey: -1, Step: 1, Group: "transactions", Since: "2.2.0",
			Summary: "Watch the given keys to determine execution of the MULTI/EXEC block", Handler: protocol.HandlerFunc(s.watch)},
		{Name: "unwatch", Arity: 1, Flags: flags, Group: "transactions", Since: "2.2.0",
			Summary: "Forget about all watched keys", Handler: protocol.HandlerFunc(unwatch)},
	}
}

// WATCH key [key ...]
func (s *Server) watch(c *protocol.Ctx) {
	cl := conn(c)
	size := cl.watchSize()
	for _, k := range c.Args[1:] {
		size += int64(len(k)) + queuedArgOverhead
	}
	if limit := s.settings.maxQuery.Load(); size > limit {
		c.Out.Error(protocol.ErrWatchTooBig(limit)) // the watch stays as it was
		return
	}
	s.view.ViewAt(s.watchTime(cl), func(dbs *datatypes.DBs, now int64) {
		cl.watchKeys(s.linear.AppliedIndex(), dbs.DB(cl.db), cl.db, c.Args[1:], now)
	})
	c.Out.OK()
}

// watchTime readies this node's state for WATCH and returns the time a
// watched key's existence is judged by. The leader: WatchTime, its own.
// A follower applies the leader's read index first, as a linearizable
// read does, and judges by the leader's time that came with it: its
// applied index, the watch's stamp, then covers what the connection sent
// through it (a write the client had just made, applied on the leader but
// not yet here, would count as a change after the watch), and a key the
// leader's clock has expired is not watched as existing (its removal
// would count as a change; Redis's unit/multi "WATCH stale keys should not
// fail EXEC"). Not while a script runs on this node (WATCH answers then,
// allow_busy, and applying could wait for the script), nor when no leader
// answers: then WatchTime, the last applied entry's time.
func (s *Server) watchTime(cl *client) int64 {
	t := s.view.WatchTime()
	if s.router == nil || s.router.IsLeader() {
		return t
	}
	if _, running := s.scripts.Current(); running {
		return t
	}
	deadline := time.Now().Add(s.cfg.ElectionWait)
	ri, errMsg := s.fetchReadIndex(deadline)
	if errMsg != "" || s.linear.WaitApplied(ri.index, max(time.Until(deadline), time.Millisecond)) != nil {
		return t
	}
	cl.readonlyAt = cl.forwards // what it sent is applied here (readYourWrites)
	return max(t, ri.time)
}

// UNWATCH
func unwatch(c *protocol.Ctx) {
	conn(c).watch = nil
	c.Out.OK()
}

// watchKeys adds keys, as they are in ks (database db) at stamp at, to the
// connection's watch. The watch keeps the oldest stamp of all its WATCH
// commands.
func (cl *client) watchKeys(at uint64, ks *datatypes.Keyspace, db int, keys [][]byte, now int64) {
	if cl.watch == nil {
		cl.watch = &protocol.Watch{At: at}
	}
	cl.watch.At = min(cl.watch.At, at)
	for _, k := range keys {
		cl.watch.Keys = append(cl.watch.Keys, protocol.WatchedKey{
			Key: append([]byte(nil), k...), Existed: ks.Lookup(string(k), now) != nil, DB: db})
	}
}

func (cl *client) watchSize() int64 {
	if cl.watch == nil {
		return 0
	}
	var n int64
	for _, k := range cl.watch.Keys {
		n += int64(len(k.Key)) + queuedArgOverhead
	}
	return n
}

// watchArgs encodes a watch as the arguments of RAFT WATCHED, which a
// follower sends before a forwarded MULTI block so that the leader's
// connection holds the follower's watch, stamp included.
func watchArgs(w *protocol.Watch) [][]byte {
	args := [][]byte{[]byte("RAFT"), []byte("WATCHED"), strconv.AppendUint(nil, w.At, 10)}
	for _, k := range w.Keys {
		existed := []byte("0")
		if k.Existed {
			existed = []byte("1")
		}
		if k.DB != 0 {
			existed = append(append(existed, ':'), strconv.Itoa(k.DB)...)
		}
		args = append(args, k.Key, existed)
	}
	return args
}

// RAFT WATCHED stamp [key 0|1[:db] ...]: set this connection's watch as a
// follower saw it (internal: sent by followers forwarding a transaction);
// a key watched in a database other than 0 names it after a colon.
func raftWatched(c *protocol.Ctx) {
	at, err := strconv.ParseUint(string(c.Args[2]), 10, 64)
	if err != nil || len(c.Args)%2 != 1 {
		c.Out.Error(protocol.ErrSyntax)
		return
	}
	w := &protocol.Watch{At: at}
	for i := 3; i < len(c.Args); i += 2 {
		existed, db, ok := parseWatched(string(c.Args[i+1]))
		if !ok {
			c.Out.Error(protocol.ErrSyntax)
			return
		}
		w.Keys = append(w.Keys, protocol.WatchedKey{Key: append([]byte(nil), c.Args[i]...), Existed: existed, DB: db})
	}
	conn(c).watch = w
	c.Out.OK()
}

// parseWatched parses RAFT WATCHED's "0", "1", "0:db" or "1:db".
func parseWatched(s string) (existed bool, db int, ok bool) {
	flag, dbText, named := strings.Cut(s, ":")
	if flag != "0" && flag != "1" {
		return false, 0, false
	}
	if named {
		n, ok := protocol.ParseInt([]byte(dbText))
		if !ok || n < 0 || n >= 1<<16 {
			return false, 0, false
		}
		db = int(n)
	}
	return flag == "1", db, true
}
