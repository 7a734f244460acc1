package cluster

import (
	"sync/atomic"

	"github.com/geetcache/geetcache/datatypes"
)

// activeExpiry is DEBUG SET-ACTIVE-EXPIRE's switch, on by default: off,
// this node, while it leads, proposes no deletion of expired keys (they
// stay in the keyspace, hidden from reads, until a write meets them or the
// switch is on again, here or on another leader). It is a node's own
// setting, as in Redis, and changes no replica's state by itself: the
// deletions are log entries either way.
//
// held is CLIENT PAUSE's: while this node's clients are paused it proposes
// no deletion of expired keys at all, active or lazy (ExpireKeys), as
// Redis keeps its data set unchanged while its clients are paused.
type activeExpiry struct{ off, held atomic.Bool }

// SetActiveExpire turns this node's active expiry on or off.
func (n *Node) SetActiveExpire(on bool) { n.expiry.off.Store(!on) }

// HoldExpiry stops (true) or resumes (false) this node's deletion of
// expired keys while its clients are paused (CLIENT PAUSE).
func (n *Node) HoldExpiry(on bool) { n.expiry.held.Store(on) }

// expiryPaused says whether active expiry is off or held; it then still
// proposes the time entries that keep reads' time moving (see tick).
func (n *Node) expiryPaused() bool {
	if !n.expiry.off.Load() && !n.expiry.held.Load() {
		return false
	}
	volatile := 0
	n.View(func(dbs *datatypes.DBs) { _, volatile = dbs.Keys() })
	if volatile > 0 && n.clock.needsTick() {
		n.tick()
	}
	return true
}
