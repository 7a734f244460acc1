package server

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// A write does not overtake the blocking pops that arrived before it.
// Redis reads a pop sent before a push first, blocks it, and serves it
// with the push; here the pop's first attempt and the push go through the
// log from two goroutines, and a push whose goroutine ran first could
// reach the log before the pop it came after, which then takes the element
// without waiting for the clients blocked before it (Redis's unit/type/list
// "BRPOPLPUSH with multiple blocked clients"). So from the moment a
// connection has read a pipeline with a blocking pop until the pop has
// tried once (or waits its turn), a write that arrived after it (arrival
// stamps, arrival.go) waits before it is proposed, at most arrivingWait.
// One atomic load per write while no pop is on its way.
//
// A follower does the same for every blocking command (a pop, XREADGROUP
// or XREAD with BLOCK) and every command it forwards: a write sent there
// after a blocking command waits until the leader has queued that command
// (its RAFT ARRIVED answered, forward.go) or, for an XREAD it serves
// itself, until its first read is done (block_read.go). Otherwise the
// write, which has less to do on the way, reached the leader first: an
// XREADGROUP then found its stream deleted (-NOGROUP for -UNBLOCKED,
// stream_gone_forward.go), an XREAD found a SET's string (-WRONGTYPE where
// Redis's stays blocked: unit/type/stream-cgroups "Blocking XREAD: key
// type changed with SET").

// arrivingWait bounds how long a write waits for earlier pops.
const arrivingWait = 10 * time.Millisecond

// arrivingPops are the blocking pops read on this node and not yet tried
// (on a follower: every blocking command, until the leader queued it or,
// for an XREAD served here, until its first read).
type arrivingPops struct {
	n    atomic.Int64
	mu   sync.Mutex
	ats  map[*client]int64 // each connection's pipeline's arrival (unix ns)
	left chan struct{}     // closed when one leaves, then replaced
}

// enter records that c read a pipeline with a blocking pop, arrived at.
func (p *arrivingPops) enter(c *client, at int64) {
	if at == 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ats == nil {
		p.ats = map[*client]int64{}
		p.left = make(chan struct{})
	}
	if _, ok := p.ats[c]; !ok {
		p.n.Add(1)
	}
	p.ats[c] = at
}

// leave records that c's pop tried (or waits its turn), or its pipeline
// ended; it may be called more than once.
func (p *arrivingPops) leave(c *client) {
	if p.n.Load() == 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.ats[c]; !ok {
		return
	}
	delete(p.ats, c)
	p.n.Add(-1)
	close(p.left)
	p.left = make(chan struct{})
}

// awaitEarlier waits until no other connection's pop that arrived before
// at is on its way, at most arrivingWait.
func (p *arrivingPops) awaitEarlier(c *client, at int64) {
	if p.n.Load() == 0 || at == 0 {
		return
	}
	var timeout <-chan time.Time
	for {
		left, wait := p.earlier(c, at)
		if !wait {
			return
		}
		if timeout == nil {
			t := time.NewTimer(arrivingWait)
			defer t.Stop()
			timeout = t.C
		}
		select {
		case <-left:
		case <-timeout:
			return
		}
	}
}

// earlier reports whether another connection's pop that arrived before at
// is on its way, with the channel closed when one leaves.
func (p *arrivingPops) earlier(c *client, at int64) (<-chan struct{}, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for other, t := range p.ats {
		if other != c && t < at {
			return p.left, true
		}
	}
	return nil, false
}

// hasBlocking reports whether calls hold a blocking command (a pop,
// XREADGROUP or XREAD with BLOCK...).
func hasBlocking(calls []call) bool {
	for i := range calls {
		if cl := &calls[i]; cl.ok && cl.cmd.RouteFlags(cl.args)&protocol.Blocking != 0 {
			return true
		}
	}
	return false
}

// hasPop reports whether calls hold a blocking pop.
func hasPop(calls []call) bool {
	for i := range calls {
		if cl := &calls[i]; cl.ok && popSources(cl.cmd.Name, cl.args) != nil {
			return true
		}
	}
	return false
}

// localArrival is when c's pipeline arrived here (unix ns; 0 unknown).
func localArrival(c *client) int64 {
	if c.rd == nil {
		return 0
	}
	return c.rd.arrived
}
