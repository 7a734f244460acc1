package cluster

import (
	"github.com/hashicorp/raft"

	"github.com/geetcache/geetcache/protocol"
)

// A publish is not state: PUBLISH and SPUBLISH entries change nothing in
// the keyspace, and their messages go to the subscribers connected to
// this node when the node applies them (protocol.Ctx.Pub). A restarted
// node applies again the entries of its log; the messages of those were
// delivered before it stopped (to connections that are gone), so they are
// not delivered again: only entries this node's log did not hold when it
// started are. An entry at an index the log held is new when its term
// differs: a deposed leader's uncommitted tail, replaced by the new
// leader's entries (never applied, so never delivered, before).

// gateWindow bounds how many of the log's last entries the gate remembers
// the terms of. An uncommitted tail longer than this, replaced after a
// restart, would have its replacements' messages not delivered on this
// node (docs/consistency.md).
const gateWindow = 8192

// deliveryGate says which applied entries deliver their messages.
type deliveryGate struct {
	last  uint64   // the log's last index when the node started
	first uint64   // index of terms[0]
	terms []uint64 // terms of the entries first..last at start
}

// live reports whether the entry at index, of term, is to be delivered.
func (g *deliveryGate) live(index, term uint64) bool {
	if index > g.last {
		return true
	}
	if index < g.first || index-g.first >= uint64(len(g.terms)) {
		return false
	}
	return g.terms[index-g.first] != term
}

// newDeliveryGate reads the terms of the last gateWindow entries of logs,
// before Raft starts; last includes a newer snapshot's index.
func newDeliveryGate(logs raft.LogStore, last uint64) (deliveryGate, error) {
	g := deliveryGate{last: last}
	first, err := logs.FirstIndex()
	if err != nil {
		return g, err
	}
	lastLog, err := logs.LastIndex()
	if err != nil || lastLog == 0 {
		return g, err
	}
	g.first = max(first, lastLog-min(lastLog, gateWindow-1))
	var l raft.Log
	for i := g.first; i <= lastLog; i++ {
		if err := logs.GetLog(i, &l); err != nil {
			return g, err
		}
		g.terms = append(g.terms, l.Term)
	}
	return g, nil
}

// setPublisher makes the FSM deliver the messages of the entries gate
// lets through to p. Call it before Raft starts.
func (f *FSM) setPublisher(p protocol.Publisher, gate deliveryGate) {
	f.mu.Lock()
	f.pub, f.gate = p, gate
	f.mu.Unlock()
}

// publisher is what the entry being applied delivers through: nil when it
// is not delivered.
func (f *FSM) publisher() protocol.Publisher {
	if f.pub == nil || !f.gate.live(f.index, f.term) {
		return nil
	}
	return f.pub
}
