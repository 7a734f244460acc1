package datatypes

import "github.com/tidwall/btree"

// StreamGroups is a stream's consumer groups, ordered by name in byte
// order (as Redis's radix tree orders them, so XINFO lists them alike).
// The zero value has none.
//
// Groups, consumers and pending entries hold no clock: every time in them
// (delivery time, seen time) is what the caller passed, inside the state
// machine the log entry's time, so all replicas hold the same groups.
type StreamGroups struct {
	byName *btree.BTreeG[*ConsumerGroup] // nil until the first group
}

// InvalidEntriesRead marks a group whose entries-read counter is unknown
// (Redis's SCG_INVALID_ENTRIES_READ); XINFO shows it as null.
const InvalidEntriesRead int64 = -1

var treeOpts = btree.Options{NoLocks: true}

func groupLess(a, b *ConsumerGroup) bool { return a.name < b.name }

func newGroupTree() *btree.BTreeG[*ConsumerGroup] { return btree.NewBTreeGOptions(groupLess, treeOpts) }

// Len returns the number of groups.
func (g *StreamGroups) Len() int {
	if g.byName == nil {
		return 0
	}
	return g.byName.Len()
}

// Get returns the group named name, or nil.
func (g *StreamGroups) Get(name []byte) *ConsumerGroup {
	if g.byName == nil {
		return nil
	}
	cg, _ := g.byName.Get(&ConsumerGroup{name: string(name)})
	return cg
}

// Create adds a group named name whose last delivered ID is last; it
// returns nil when a group of that name exists (BUSYGROUP).
func (g *StreamGroups) Create(name []byte, last StreamID, entriesRead int64) *ConsumerGroup {
	if g.Get(name) != nil {
		return nil
	}
	if g.byName == nil {
		g.byName = newGroupTree()
	}
	cg := newConsumerGroup(string(name), last, entriesRead)
	g.byName.Set(cg)
	return cg
}

// Destroy removes the group named name and reports whether it existed.
func (g *StreamGroups) Destroy(name []byte) bool {
	if g.byName == nil {
		return false
	}
	_, ok := g.byName.Delete(&ConsumerGroup{name: string(name)})
	return ok
}

// Each calls fn for each group in name order until it returns false.
func (g *StreamGroups) Each(fn func(cg *ConsumerGroup) bool) {
	if g.byName != nil {
		g.byName.Scan(fn)
	}
}

// clone returns a deep copy (Stream.Clone): the pending-entry trees are
// copied on write, so this costs one small allocation per group and
// consumer, not per pending entry.
func (g *StreamGroups) clone() StreamGroups {
	if g.Len() == 0 {
		return StreamGroups{}
	}
	c := StreamGroups{byName: newGroupTree()}
	g.Each(func(cg *ConsumerGroup) bool {
		c.byName.Set(cg.clone())
		return true
	})
	return c
}

// memory estimates the bytes the groups take (MEMORY USAGE).
func (g *StreamGroups) memory() int {
	n := 0
	g.Each(func(cg *ConsumerGroup) bool {
		n += cg.memory()
		return true
	})
	return n
}
