package cluster

import "github.com/geetcache/geetcache/protocol"

// The dirty counter is Redis's server.dirty (INFO persistence's
// rdb_changes_since_last_save): the changes made to the keyspace since the
// last save. Each command the FSM runs adds what its protocol.Dirty
// counted (Redis 7.0's amounts: SET 1, MSET its pairs, SADD the members
// added, a no-op 0; a MULTI block or a script the sum of its commands');
// the leader's expiry and eviction entries add nothing, as Redis's
// expired and evicted keys add nothing. The counter is the node's own, not
// replicated state: it is not in snapshots, starts at 0 when the process
// starts, and a save on this node (Node.SavedDirty) takes away what it
// wrote. Between saves, two nodes that applied the same entries hold the
// same count.

// countDirty adds the command's changes, just run, to the counter and
// returns them.
func (f *FSM) countDirty(d *protocol.Dirty) int64 {
	n := d.Amount()
	if n != 0 {
		f.dirty.Add(n)
	}
	return n
}

// Dirty returns the node's dirty counter: the changes applied since the
// process started or the last save (Redis's rdb_changes_since_last_save).
// Safe for concurrent use.
func (n *Node) Dirty() int64 { return n.fsm.dirty.Load() }

// SavedDirty takes before, what Dirty returned when a save began, away
// from the counter once that save succeeded: the changes made while it
// ran remain, as Redis's BGSAVE leaves them (dirty - dirty_before_bgsave).
func (n *Node) SavedDirty(before int64) { n.fsm.dirty.Add(-before) }
