package protocol

import "github.com/geetcache/geetcache/datatypes"

// storeDest stores v, without a TTL, at dst as Redis's setKey does for the
// *STORE commands (an expired dst is removed first, so a replaced live key
// is overwritten and a missing one added: "new"), and publishes event, of
// class, about dst.
func storeDest(c *Ctx, dst []byte, v datatypes.Value, class NotifyFlags, event string) {
	c.Lookup(dst)
	c.DB.Set(string(dst), v, 0)
	c.Notify(class, event, dst)
}

// deleteDest deletes dst, a *STORE command's destination when the result
// is empty, and publishes "del" when there was a key (even an expired one,
// as Redis's dbDelete).
func deleteDest(c *Ctx, dst []byte) {
	if c.DB.Delete(view(dst)) {
		c.Notify(NotifyGeneric, "del", dst)
	}
}

// touchConsumer returns the consumer name of cg, the group of the stream
// at key, creating it (and publishing "xgroup-createconsumer") when
// missing, with its seen time set: Redis's lookup-or-create of
// XREADGROUP, XCLAIM and XAUTOCLAIM. A consumer created counts one
// change.
func touchConsumer(c *Ctx, cg *datatypes.ConsumerGroup, name, key []byte) *datatypes.Consumer {
	created := cg.Consumer(name) == nil
	con := cg.Touch(name, c.Now)
	if created {
		c.Notify(NotifyStream, "xgroup-createconsumer", key)
		c.AddDirty(1)
	}
	return con
}

// LookupRead is Lookup for the lookups Redis makes with lookupKeyRead: a
// miss publishes "keymiss" (class m), inside the FSM too, where every node
// publishes it alike (on a read, Lookup does).
func (c *Ctx) LookupRead(key []byte) *datatypes.Entry {
	e := c.Lookup(key)
	if !c.readLookups() { // a read's lookup counted and told already
		c.Stats.count(e != nil)
		if e == nil {
			c.Notify(NotifyKeyMiss, "keymiss", key)
		}
	}
	return e
}

// LookupStringRead is LookupString through LookupRead.
func (c *Ctx) LookupStringRead(key []byte) (val []byte, found, ok bool) {
	return c.stringOf(c.LookupRead(key))
}

// lookupTypedRead is lookupTyped through LookupRead.
func lookupTypedRead[T datatypes.Value](c *Ctx, key []byte) (v T, ok bool) {
	return typedOf[T](c, c.LookupRead(key))
}
