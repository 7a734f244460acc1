package cluster

import (
	"sync/atomic"

	"github.com/hashicorp/raft"
	"github.com/tidwall/redcon"

	"github.com/geetcache/geetcache/protocol"
)

// Group-commit limits: one log entry carries at most this many units or
// about this many bytes of arguments, and at most maxInflight entries are
// proposed but not yet applied. While they are, new units wait and go into
// the next entry together: one Raft append, one fsync and one msgpack
// encoding for all of them.
const (
	maxBatchUnits = 1024
	maxBatchBytes = 4 << 20
	maxInflight   = 2
)

// Pending is a unit submitted to the log, waiting for its reply.
type Pending struct {
	unit  protocol.Unit
	size  int
	reply []byte
	state atomic.Int32  // pendingWaiting, pendingParked or pendingDone
	wake  chan struct{} // made by a caller of Reply that has to wait
}

const (
	pendingWaiting int32 = iota
	pendingParked
	pendingDone
)

// Reply waits until the unit has been applied (or has failed) and returns
// the RESP reply: the state machine's, or an error reply saying whether the
// unit may have been applied. Units finish in submission order, so a
// connection waiting for its pipeline's replies parks at most once; no
// channel is made for a unit that is done when asked.
func (p *Pending) Reply() []byte {
	if p.state.Load() != pendingDone {
		p.wake = make(chan struct{})
		if p.state.CompareAndSwap(pendingWaiting, pendingParked) {
			<-p.wake
		}
	}
	return p.reply
}

// Unit returns what was submitted.
func (p *Pending) Unit() *protocol.Unit { return &p.unit }

func (p *Pending) finish(reply []byte) {
	p.reply = reply
	if p.state.Swap(pendingDone) == pendingParked {
		close(p.wake)
	}
}

// batch is one proposed entry and the units it carries.
type batch struct {
	future raft.ApplyFuture
	units  []*Pending
	ticket uint64 // the entry's stamp in the node's clock
}

// Submit queues u for the log. Units submitted by one goroutine enter the
// log in submission order. Units from many connections that arrive while
// the log is busy are packed into one entry: one Raft append, one fsync and
// one msgpack encoding for all of them (group commit).
func (n *Node) Submit(u protocol.Unit) *Pending {
	p := &Pending{unit: u, size: u.Size()}
	// The server stops submitting before the node closes; checking stop
	// first keeps a late unit from waiting in a queue nobody drains.
	select {
	case <-n.stop:
		p.finish(redcon.AppendError(nil, protocol.ErrReplyNoLeader))
		return p
	default:
	}
	select {
	case n.submit <- p:
	case <-n.stop:
		p.finish(redcon.AppendError(nil, protocol.ErrReplyNoLeader))
	}
	return p
}

// batchLoop packs queued units into entries and proposes them, without
// waiting for earlier entries to commit, so that Raft's own pipeline stays
// full. It is the only caller of Apply for units, which keeps their order.
func (n *Node) batchLoop() {
	defer n.done.Done()
	defer close(n.inflight)
	for {
		var first *Pending
		select {
		case first = <-n.submit:
		case <-n.stop:
			n.drainSubmitted()
			return
		}
		n.slots <- struct{}{} // wait until fewer than maxInflight entries are in flight
		units := n.collect(first)
		n.leaderBarrier() // no stamp before it; if it fails, so does Apply
		t, ticket := n.clock.stamp()
		e := protocol.Entry{Kind: protocol.EntryCommands, Time: t, Units: make([]protocol.Unit, len(units))}
		for i, p := range units {
			e.Units[i] = p.unit
		}
		data := n.encode(&e)
		var f raft.ApplyFuture = errorFuture{n.admit(len(data))}
		if f.Error() == nil {
			f = n.raft.Apply(data, n.cfg.ApplyTimeout)
		}
		n.inflight <- batch{future: f, units: units, ticket: ticket}
	}
}

// collect takes first and whatever else is already queued, up to the limits.
func (n *Node) collect(first *Pending) []*Pending {
	units := []*Pending{first}
	size := first.size
	for len(units) < maxBatchUnits && size < maxBatchBytes {
		select {
		case p := <-n.submit:
			units = append(units, p)
			size += p.size
		default:
			return units
		}
	}
	return units
}

func (n *Node) drainSubmitted() {
	for {
		select {
		case p := <-n.submit:
			p.finish(redcon.AppendError(nil, protocol.ErrReplyNoLeader))
		default:
			return
		}
	}
}

// replyLoop hands each entry's replies to its units, in log order.
func (n *Node) replyLoop() {
	defer n.done.Done()
	for b := range n.inflight {
		err := b.future.Error()
		n.clock.done(b.ticket)
		if err != nil {
			reply := redcon.AppendError(nil, n.ErrorReply(err))
			for _, p := range b.units {
				p.finish(reply)
			}
			<-n.slots
			continue
		}
		replies, _ := b.future.Response().([][]byte)
		for i, p := range b.units {
			p.finish(replies[i])
		}
		<-n.slots
	}
}
