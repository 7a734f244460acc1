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
// proposes their deletion. Expired means by the leader's read time (see
// clock), never later than the stamp the entry gets. The FSM deletes a key
// only if it has expired by the entry's own timestamp, so replicas agree
// whatever their clocks say.
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
	if n.raft.State() != raft.Leader {
		return
	}
	start := time.Now()
	for time.Since(start) < budget {
		var keys []string
		n.View(func(ks *datatypes.Keyspace) {
			keys = ks.ExpiredKeys(n.clock.readTime(), expiryBatch)
		})
		if len(keys) == 0 {
			return
		}
		argv := make([][]byte, len(keys))
		for i, k := range keys {
			argv[i] = []byte(k)
		}
		e := &protocol.Entry{Kind: protocol.EntryExpire, Units: []protocol.Unit{{Proto: 2, Cmds: [][][]byte{argv}}}}
		if err := n.propose(e); err != nil {
			var d *DiskError
			if !errors.As(err, &d) { // the disk guard has logged its refusal once
				n.cfg.Logger.Warn("active expiry failed", "err", err)
			}
			return
		}
	}
}
