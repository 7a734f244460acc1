package server

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/datatypes/rdb"
	"github.com/geetcache/geetcache/protocol"
)

// SYNC and PSYNC, as a Redis 7.0 master answers a replica: every
// synchronization is a full one (PSYNC answers +FULLRESYNC <replid>
// <offset>, SYNC nothing), the RDB payload follows as a bulk ($<len>, no
// trailing CRLF), then the command stream the state machine makes as
// entries apply (cluster/fsm_repl.go), with a PING every
// repl-ping-replica-period seconds. The payload and the stream start at the
// same point of the apply sequence: the databases are frozen (copy on
// write, as for a Raft snapshot) where the replica is attached, and
// encoded while Apply goes on. The connection is then of class replica:
// its stream is bounded by client-output-buffer-limit's replica limits
// (the payload itself not counted, as in Redis), past which it is closed.

// Replicator is the node's side of the replication stream.
type Replicator interface {
	AttachReplica(s cluster.ReplSink) (*datatypes.DBs, datatypes.EncodingLimits, int64)
	DetachReplica(s cluster.ReplSink)
	ReplPing()
}

// replicaLink is a replica connection's sink: until its payload is queued
// the stream waits in pending (bounded by the hard limit), then goes
// straight to the connection's push queue.
type replicaLink struct {
	s       *Server
	c       *client
	mu      sync.Mutex
	ready   bool
	dead    bool
	pending []byte
	// port and addr are REPLCONF's listening-port and ip-address; ack is
	// the offset REPLCONF ACK last reported, ackAt when (unix s).
	port, addr string
	ack, ackAt atomic.Int64
}

var _ cluster.ReplSink = (*replicaLink)(nil)

// Feed queues the stream's next bytes (under the state machine's lock).
func (r *replicaLink) Feed(b []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.dead {
		return
	}
	if r.ready {
		r.c.push.Push(b)
		return
	}
	r.pending = append(r.pending, b...)
	if lim := r.s.settings.outputLimit(typeReplica); lim.hard > 0 && uint64(len(r.pending)) >= lim.hard {
		r.dead, r.pending = true, nil
		r.s.warnOutputLimit(r.c)
		r.c.nc.Close()
	}
}

// Resync closes the connection: this node's state was replaced.
func (r *replicaLink) Resync() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.dead = true
	r.c.nc.Close()
}

// replication is the server's replicas' state.
type replication struct {
	id       string // replid: 40 hex digits, made at start
	pingOnce sync.Once
	links    sync.Map // *client -> *replicaLink
}

func newReplID() string {
	b := make([]byte, 20)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// replicationCommands are SYNC, PSYNC and REPLCONF.
func (s *Server) replicationCommands() []*protocol.Command {
	flags := protocol.Admin | protocol.NoScript | protocol.NoAsyncLoading | protocol.NoMulti
	return []*protocol.Command{
		{Name: "sync", Arity: 1, Flags: flags, Group: "server", Since: "1.0.0",
			Summary: "Internal command used for replication", Handler: protocol.HandlerFunc(func(c *protocol.Ctx) { s.startReplica(c, false) })},
		{Name: "psync", Arity: -3, Flags: flags, Group: "server", Since: "2.8.0",
			Summary: "Internal command used for replication", Handler: protocol.HandlerFunc(func(c *protocol.Ctx) { s.startReplica(c, true) })},
		{Name: "replconf", Arity: -1, Flags: protocol.Admin | protocol.NoScript | protocol.Loading | protocol.Stale | protocol.AllowBusy,
			Group: "server", Since: "3.0.0", Summary: "An internal command for configuring the replication stream",
			Handler: protocol.HandlerFunc(s.replconf)},
	}
}

// SYNC / PSYNC replicationid offset
func (s *Server) startReplica(ctx *protocol.Ctx, psync bool) {
	c := conn(ctx)
	if _, ok := s.repl.links.Load(c); ok {
		return // Redis ignores SYNC from a connection that is already a replica
	}
	r := &replicaLink{s: s, c: c}
	r.port, r.addr = c.replPort, c.replAddr
	if s.router != nil && !s.router.IsLeader() {
		// A follower attaches after applying the leader's read index, so
		// that every write acknowledged before SYNC is in the payload,
		// none in the stream, as on a Redis master.
		s.appliedLeaderIndex()
	}
	dbs, lim, offset := s.replicator.AttachReplica(r)
	s.repl.links.Store(c, r)
	c.replica.Store(true)
	if psync {
		ctx.Out.Simple("FULLRESYNC " + s.repl.id + " " + strconv.FormatInt(offset, 10))
	}
	s.repl.pingOnce.Do(func() { go s.pingReplicas() })
	if !s.startPush(c) {
		return
	}
	payload := rdb.AppendFile(nil, dbs, lim)
	head := strconv.AppendInt([]byte{'$'}, int64(len(payload)), 10)
	c.push.pushExempt(append(append(head, '\r', '\n'), payload...))
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ready = true
	c.push.Push(r.pending)
	r.pending = nil
}

// stopReplica detaches c's replica link, if it has one (the connection's
// end).
func (s *Server) stopReplica(c *client) {
	if v, ok := s.repl.links.LoadAndDelete(c); ok {
		s.replicator.DetachReplica(v.(*replicaLink))
	}
}

// pingReplicas feeds PING every repl-ping-replica-period seconds while
// replicas are attached, until the server closes.
func (s *Server) pingReplicas() {
	last := time.Now()
	for !s.closing.Load() {
		time.Sleep(time.Second)
		period := time.Duration(s.settings.pingPeriod.Load()) * time.Second
		if time.Since(last) < period {
			continue
		}
		last = time.Now()
		s.replicator.ReplPing()
	}
}

// replicaLinks lists the attached replicas, in no particular order.
func (s *Server) replicaLinks() []*replicaLink {
	var out []*replicaLink
	s.repl.links.Range(func(_, v any) bool {
		out = append(out, v.(*replicaLink))
		return true
	})
	return out
}
