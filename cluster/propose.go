package cluster

import (
	"sync/atomic"

	"github.com/hashicorp/raft"
	"github.com/tidwall/redcon"

	"github.com/geetcache/geetcache/protocol"
)

// Group-commit limits: one log entry carries at most this many units and
// this many bytes of arguments (a single larger unit gets an entry of its
// own), and at most maxInflight entries are
// proposed but not yet applied, of which at most one is not yet stored:
// the next entry is proposed once the last one is on disk (storedWatch).
// Meanwhile new units wait and go into the next entry together: one Raft
// append, one fsync and one msgpack encoding for all of them.
const (
	maxBatchUnits = 1024
	maxBatchBytes = 1 << 20
	maxInflight   = 2
)

// Pending is a unit submitted to the log, waiting for its reply.
type Pending struct {
	submitted, finished PathMark // stage timing (pathtimes.go)
	unit                protocol.Unit
	size                int
	reply               []byte
	state               atomic.Int32  // pendingWaiting, pendingParked or pendingDone
	wake                chan struct{} // made by a caller of Reply that has to wait
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

// Answered returns a Pending that is already done with reply: a command
// answered without the log whose reply must still come after the writes
// pending before it (WAIT in a pipeline of writes).
func Answered(reply []byte) *Pending {
	p := &Pending{reply: reply}
	p.state.Store(pendingDone)
	return p
}

// PathFinished is when the unit got its reply, with PathTimes (pathtimes.go).
func (p *Pending) PathFinished() int64 { return p.finished.Get() }

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
	ticket uint64        // the entry's stamp in the node's clock
	stored chan struct{} // closed once the entry is in the log on disk, or failed
	path   *pathEntry    // its stamps, with PathTimes
}

// Submit queues u for the log. Units submitted by one goroutine enter the
// log in submission order. Units from many connections that arrive while
// the log is busy are packed into one entry: one Raft append, one fsync and
// one msgpack encoding for all of them (group commit).
func (n *Node) Submit(u protocol.Unit) *Pending {
	p := &Pending{unit: u, size: u.Size()}
	if PathTimes {
		p.submitted.Set(PathNow())
	}
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
	var held *Pending // a unit that did not fit in the previous entry
	for {
		first := held
		if first == nil {
			select {
			case first = <-n.submit:
			case <-n.stop:
				n.drainSubmitted()
				return
			}
		}
		n.slots <- struct{}{} // wait until fewer than maxInflight entries are in flight
		var units []*Pending
		units, held = n.collect(first)
		if PathTimes {
			pathQueued(units)
		}
		f, ticket, stored, path := n.proposeUnits(units)
		n.inflight <- batch{future: f, units: units, ticket: ticket, stored: stored, path: path}
		<-stored // what arrives meanwhile goes into the next entry (propose_stored.go)
	}
}

// proposeUnits appends one entry carrying units to the log, unless the disk
// guard refuses it, and returns its future, its stamp's ticket, a channel
// closed once it is stored (see storedWatch) and, with PathTimes, its
// stamps.
func (n *Node) proposeUnits(units []*Pending) (raft.ApplyFuture, uint64, chan struct{}, *pathEntry) {
	start := PathNow()
	if n.handingOver.Load() {
		return errorFuture{errHandingOver}, 0, closedChan, nil // no stamp: done(0) forgets nothing
	}
	n.leaderBarrier() // no stamp before it; if it fails, so does Apply
	t, ticket := n.clock.stamp()
	e := protocol.Entry{Kind: protocol.EntryCommands, Time: t, Units: make([]protocol.Unit, len(units))}
	for i, p := range units {
		e.Units[i] = p.unit
	}
	data := n.encode(&e)
	if err := n.admit(len(data)); err != nil {
		return errorFuture{err}, ticket, closedChan, nil
	}
	stored := n.storedWatch.expect(data)
	var path *pathEntry
	if PathTimes {
		path = pathProposed(data, start)
	}
	return n.raft.Apply(data, n.cfg.ApplyTimeout), ticket, stored, path
}

// collect takes first and whatever else is already queued, up to the
// limits; a queued unit that would take the entry past maxBatchBytes is
// returned as held, to start the next entry.
func (n *Node) collect(first *Pending) (units []*Pending, held *Pending) {
	units = []*Pending{first}
	size := first.size
	for len(units) < maxBatchUnits && size < maxBatchBytes {
		select {
		case p := <-n.submit:
			if size+p.size > maxBatchBytes {
				return units, p
			}
			units = append(units, p)
			size += p.size
		default:
			return units, nil
		}
	}
	return units, nil
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
		resp := b.future.Response()
		replies, _ := resp.([][]byte)
		if err == nil && len(replies) < len(b.units) {
			err = responseError(resp) // not applied (durableFSM)
		}
		n.storedWatch.forget(b.stored)
		n.clock.done(b.ticket)
		if err != nil {
			reply := redcon.AppendError(nil, n.ErrorReply(err))
			for _, p := range b.units {
				p.finish(reply)
			}
			if PathTimes {
				pathReplied(b.path)
			}
			<-n.slots
			continue
		}
		for i, p := range b.units {
			if PathTimes {
				p.finished.Set(PathNow())
			}
			p.finish(replies[i])
		}
		if PathTimes {
			pathReplied(b.path)
		}
		<-n.slots
	}
}

// responseError is the error a state machine's response that holds no
// replies stands for: the error itself, or errNotDurable.
func responseError(resp interface{}) error {
	if err, ok := resp.(error); ok {
		return err
	}
	return errNotDurable
}
