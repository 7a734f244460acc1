package server

import (
	"net"
	"sync"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// client is one connection's state. Fields under mu are read by CLIENT LIST
// and INFO from other goroutines; the rest belong to the serving goroutine.
type client struct {
	id      int64
	nc      net.Conn
	created time.Time
	out     protocol.Writer
	quit    bool
	guard   *guard
	cmdName string              // the last command run, published by touch
	ctx     protocol.Ctx        // reused by read groups
	reads   []*protocol.Command // scratch for read groups
	// readonly (READONLY) serves reads from local state without the
	// read barrier: possibly stale, on any node.
	readonly bool
	// upstream is this connection's link to the leader, for commands a
	// follower forwards; nil until needed.
	upstream *upstream
	// forwards counts requests sent to the leader (upstreamFor calls).
	forwards uint64
	// readonlyAt is forwards when a READONLY read last made sure this node
	// applied what the connection sent to the leader (readYourWrites).
	readonlyAt uint64
	// multi is the open transaction, between MULTI and EXEC or DISCARD.
	multi *multiState
	// watch is what WATCH saw, until EXEC, DISCARD or UNWATCH.
	watch *protocol.Watch

	mu       sync.Mutex
	name     string
	noEvict  bool // CLIENT NO-EVICT ON
	proto    int
	lastCmd  string
	lastUsed time.Time
	queued   int  // commands in the open transaction; -1 outside one
	readOnly bool // published copy of readonly
}

func newClient(id int64, nc net.Conn) *client {
	now := time.Now()
	return &client{id: id, nc: nc, created: now, lastUsed: now, proto: 2, queued: -1, out: protocol.Writer{Proto: 2}}
}

func (c *client) setProto(p int) {
	c.mu.Lock()
	c.proto = p
	c.mu.Unlock()
	c.out.Proto = p
}

func (c *client) touch(cmd string) {
	c.mu.Lock()
	c.lastCmd = cmd
	c.lastUsed = time.Now()
	c.queued = -1
	if c.multi != nil {
		c.queued = len(c.multi.items)
	}
	c.readOnly = c.readonly
	c.mu.Unlock()
}
