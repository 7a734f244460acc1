package protocol

// Dirty is one command's share of Redis's dirty counter (server.dirty, INFO
// persistence's rdb_changes_since_last_save): how many changes it made to
// the keyspace, by Redis 7.0's rules. A command that counts its changes
// (SADD counts the members it added, DEL the keys it deleted) says so with
// Ctx.AddDirty; any other command that changed something, which it tells
// by publishing a keyspace event (Ctx.Notify), counts 1, as Redis's
// single-change commands add 1. The FSM keeps one per command it runs and
// adds Amount to the node's counter after it.
//
// Not safe for concurrent use; the zero value is a command that changed
// nothing.
type Dirty struct {
	n        int64
	counted  bool // n was given by AddDirty
	notified bool // a change event was published
}

// Reset makes d a command that changed nothing.
func (d *Dirty) Reset() { *d = Dirty{} }

// Amount is what the command adds to the dirty counter.
func (d *Dirty) Amount() int64 {
	switch {
	case d.counted:
		return d.n
	case d.notified:
		return 1
	}
	return 0
}

// AddDirty adds n changes to the command's count: from then on the count,
// not its events, is what the command adds (n may be 0). A Ctx without a
// Dirty (outside the FSM) counts nothing.
func (c *Ctx) AddDirty(n int64) {
	if c.Dirty != nil {
		c.Dirty.n += n
		c.Dirty.counted = true
	}
}

// changed records that the command published an event of class: every
// class but keymiss tells of a change.
func (c *Ctx) changed(class NotifyFlags) {
	if c.Dirty != nil && class != NotifyKeyMiss {
		c.Dirty.notified = true
	}
}
