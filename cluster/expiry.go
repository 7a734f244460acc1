package cluster

import (
	"errors"
	"time"

	"github.com/hashicorp/raft"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// expiryBatch is how many expired keys one expiry entry deletes.
const expiryBatch = 256

// expiryLoop runs on every node; only the leader acts. Each tick it finds
// keys whose expiry has passed (the index is ordered by expiry, so the cost
// is proportional to the keys expired, not to the volatile keys held) and
// proposes their deletion. Expired means by the leader's time (see clock),
// never later than the stamp the entry gets. The FSM deletes a key only if
// it has expired by the entry's own timestamp, so replicas agree whatever
// their clocks say. While keys have a TTL and the last entry is
// timeLease/2 old, it proposes an empty one (tick) to carry the time on.
func (n *Node) expiryLoop() {
	defer n.done.Done()
	tick := time.NewTicker(n.cfg.ExpiryInterval)
	defer tick.Stop()
	for {
		select {
		case <-n.stop:
			return
		case <-tick.C:
			n.expireOnce(n.cfg.ExpiryInterval / 4)
		}
	}
}

// expireOnce proposes deletions for expired keys for at most budget.
func (n *Node) expireOnce(budget time.Duration) {
	if n.raft.State() != raft.Leader || n.expiryPaused() || n.handingOver.Load() { // expiry_switch.go
		return
	}
	start := time.Now()
	deleted := false
	defer func() {
		if deleted {
			n.noteLatency("expire-cycle", time.Since(start))
		}
	}()
	for time.Since(start) < budget {
		var units []protocol.Unit
		volatile := 0
		n.View(func(dbs *datatypes.DBs) {
			units = expiredUnits(dbs, n.clock.now())
			_, volatile = dbs.Keys()
		})
		if len(units) == 0 {
			if volatile > 0 && n.clock.needsTick() {
				n.tick()
			}
			return
		}
		e := &protocol.Entry{Kind: protocol.EntryExpire, Units: units}
		if err := n.propose(e); err != nil {
			var d *DiskError
			if !errors.As(err, &d) { // the disk guard has logged its refusal once
				n.cfg.Logger.Warn("active expiry failed", "err", err)
			}
			return
		}
		deleted = true
	}
}

// expiredUnits returns up to expiryBatch keys expired at now, one unit per
// database that has some, in database order.
func expiredUnits(dbs *datatypes.DBs, now int64) []protocol.Unit {
	var units []protocol.Unit
	left := expiryBatch
	dbs.Each(func(db int, ks *datatypes.Keyspace) {
		if left == 0 || ks.VolatileLen() == 0 {
			return
		}
		keys := ks.ExpiredKeys(now, left)
		if len(keys) == 0 {
			return
		}
		argv := make([][]byte, len(keys))
		for i, k := range keys {
			argv[i] = []byte(k)
		}
		units = append(units, protocol.Unit{Proto: 2, DB: db, Cmds: [][][]byte{argv}})
		left -= len(keys)
	})
	return units
}

// tick proposes an expiry entry with no keys: it only carries the
// leader's time into the log, which bounds how far a read time may run
// ahead of the last entry (see clock).
func (n *Node) tick() {
	if err := n.propose(&protocol.Entry{Kind: protocol.EntryExpire}); err != nil {
		var d *DiskError
		if !errors.As(err, &d) && !errors.Is(err, errHandingOver) {
			n.cfg.Logger.Warn("time entry failed", "err", err)
		}
	}
}

// freshReadTime returns the time a read is judged by (clock.readTime).
// When the last entry is too old for a read time to reach the clock
// (clock.capped) and some key has a TTL (without one, time changes no
// reply), it first puts the leader's time in the log and waits for it.
// One caller proposes; those that arrive meanwhile wait for it.
func (n *Node) freshReadTime() int64 {
	t, capped := n.clock.readTimeCapped()
	if !capped || n.fsm.volatile.Load() == 0 {
		return t
	}
	n.tickMu.Lock()
	if n.clock.capped() {
		n.tick()
	}
	n.tickMu.Unlock()
	return n.clock.readTime()
}
