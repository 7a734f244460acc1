package datatypes

import "github.com/tidwall/btree"

// ConsumerGroup is one consumer group of a stream: its last delivered ID,
// its entries-read counter, its pending entries list (PEL: entries
// delivered and not yet acknowledged, by ID) and its consumers (by name),
// each with its own PEL, a subset of the group's.
type ConsumerGroup struct {
	name string
	// LastID is the last ID delivered to the group (last-delivered-id).
	LastID StreamID
	// EntriesRead is the logical read counter of LastID, or
	// InvalidEntriesRead.
	EntriesRead int64
	pel         *btree.BTreeG[PendingEntry]
	consumers   *btree.BTreeG[*Consumer]
}

// PendingEntry is one entry of a group's PEL.
type PendingEntry struct {
	ID            StreamID
	Consumer      string // the owner's name; always one of the group's consumers
	DeliveryTime  int64  // unix ms of the last delivery (a log entry's time)
	DeliveryCount uint64 // deliveries so far
}

// Consumer is one consumer of a group.
type Consumer struct {
	name string
	// SeenTime is the unix ms of the last command that named the consumer
	// (XREADGROUP, XCLAIM, XAUTOCLAIM), as Redis's seen-time.
	SeenTime int64
	pel      *btree.BTreeG[StreamID]
}

func pendingLess(a, b PendingEntry) bool { return a.ID.Less(b.ID) }
func consumerLess(a, b *Consumer) bool   { return a.name < b.name }
func idLess(a, b StreamID) bool          { return a.Less(b) }

func newConsumerGroup(name string, last StreamID, entriesRead int64) *ConsumerGroup {
	return &ConsumerGroup{name: name, LastID: last, EntriesRead: entriesRead,
		pel:       btree.NewBTreeGOptions(pendingLess, treeOpts),
		consumers: btree.NewBTreeGOptions(consumerLess, treeOpts)}
}

func newConsumer(name string, seen int64) *Consumer {
	return &Consumer{name: name, SeenTime: seen, pel: btree.NewBTreeGOptions(idLess, treeOpts)}
}

// Name returns the group's name.
func (cg *ConsumerGroup) Name() string { return cg.name }

// PendingLen returns the size of the group's PEL.
func (cg *ConsumerGroup) PendingLen() int { return cg.pel.Len() }

// ConsumerCount returns the number of consumers.
func (cg *ConsumerGroup) ConsumerCount() int { return cg.consumers.Len() }

// Consumer returns the consumer named name, or nil. It does not touch its
// seen time: callers that "see" it set SeenTime themselves.
func (cg *ConsumerGroup) Consumer(name []byte) *Consumer {
	c, _ := cg.consumers.Get(&Consumer{name: string(name)})
	return c
}

// CreateConsumer adds a consumer seen at now; it returns nil when one of
// that name exists.
func (cg *ConsumerGroup) CreateConsumer(name []byte, now int64) *Consumer {
	if cg.Consumer(name) != nil {
		return nil
	}
	c := newConsumer(string(name), now)
	cg.consumers.Set(c)
	return c
}

// Touch returns the consumer named name, created if missing, with its seen
// time set to now, as Redis's lookup-or-create does for XREADGROUP and
// XCLAIM.
func (cg *ConsumerGroup) Touch(name []byte, now int64) *Consumer {
	c := cg.Consumer(name)
	if c == nil {
		return cg.CreateConsumer(name, now)
	}
	c.SeenTime = now
	return c
}

// DeleteConsumer removes the consumer named name and its pending entries
// (from the group's PEL too). It returns how many entries it had pending,
// and false when there is no such consumer.
func (cg *ConsumerGroup) DeleteConsumer(name []byte) (int, bool) {
	c := cg.Consumer(name)
	if c == nil {
		return 0, false
	}
	n := c.pel.Len()
	c.pel.Scan(func(id StreamID) bool {
		cg.pel.Delete(PendingEntry{ID: id})
		return true
	})
	cg.consumers.Delete(c)
	return n, true
}

// EachConsumer calls fn for each consumer in name order until it returns
// false.
func (cg *ConsumerGroup) EachConsumer(fn func(c *Consumer) bool) { cg.consumers.Scan(fn) }

// Pending returns the PEL entry of id.
func (cg *ConsumerGroup) Pending(id StreamID) (PendingEntry, bool) {
	return cg.pel.Get(PendingEntry{ID: id})
}

// FirstPending and LastPending return the smallest and largest pending
// IDs; ok is false when the PEL is empty.
func (cg *ConsumerGroup) FirstPending() (StreamID, bool) {
	p, ok := cg.pel.Min()
	return p.ID, ok
}

// LastPending: see FirstPending.
func (cg *ConsumerGroup) LastPending() (StreamID, bool) {
	p, ok := cg.pel.Max()
	return p.ID, ok
}

// AscendPending calls fn for each PEL entry with an ID at or above from,
// in ID order, until fn returns false.
func (cg *ConsumerGroup) AscendPending(from StreamID, fn func(p PendingEntry) bool) {
	cg.pel.Ascend(PendingEntry{ID: from}, fn)
}

// Deliver records that id was delivered to c at now as XREADGROUP does:
// a new PEL entry with one delivery, or, when id is pending already (the
// group's last ID was moved back), the entry moves to c with its
// delivery count reset to one.
func (cg *ConsumerGroup) Deliver(id StreamID, c *Consumer, now int64) {
	cg.Claim(id, c, now, 1)
}

// Claim makes c the owner of id's PEL entry (created if missing, as XCLAIM
// FORCE does) with the given delivery time and count.
func (cg *ConsumerGroup) Claim(id StreamID, c *Consumer, at int64, count uint64) {
	if old, ok := cg.pel.Get(PendingEntry{ID: id}); ok && old.Consumer != c.name {
		if prev := cg.Consumer([]byte(old.Consumer)); prev != nil {
			prev.pel.Delete(id)
		}
	}
	cg.pel.Set(PendingEntry{ID: id, Consumer: c.name, DeliveryTime: at, DeliveryCount: count})
	c.pel.Set(id)
}

// Ack removes id from the PEL (the group's and its owner's) and reports
// whether it was pending.
func (cg *ConsumerGroup) Ack(id StreamID) bool {
	old, ok := cg.pel.Delete(PendingEntry{ID: id})
	if ok {
		if c := cg.Consumer([]byte(old.Consumer)); c != nil {
			c.pel.Delete(id)
		}
	}
	return ok
}

func (cg *ConsumerGroup) clone() *ConsumerGroup {
	c := *cg
	c.pel = cg.pel.Copy()
	c.consumers = btree.NewBTreeGOptions(consumerLess, treeOpts)
	cg.consumers.Scan(func(con *Consumer) bool {
		cc := *con
		cc.pel = con.pel.Copy()
		c.consumers.Set(&cc)
		return true
	})
	return &c
}

// memory estimates the group's bytes: Redis's NACK (40 bytes) plus two
// radix-tree keys per pending entry, a consumer's struct and name.
func (cg *ConsumerGroup) memory() int {
	n := 64 + len(cg.name) + cg.pel.Len()*72
	cg.consumers.Scan(func(c *Consumer) bool {
		n += 48 + len(c.name)
		return true
	})
	return n
}

// Name returns the consumer's name.
func (c *Consumer) Name() string { return c.name }

// PendingLen returns the size of the consumer's PEL.
func (c *Consumer) PendingLen() int { return c.pel.Len() }

// AscendPending calls fn for each of the consumer's pending IDs at or
// above from, in order, until fn returns false.
func (c *Consumer) AscendPending(from StreamID, fn func(id StreamID) bool) {
	c.pel.Ascend(from, fn)
}
