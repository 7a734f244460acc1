package datatypes

// Scan calls fn for a batch of members and returns the cursor of the next
// batch, 0 when done; count (at least 1) is the batch size hint. A scan from
// cursor 0 to 0 visits every member present throughout it at least once.
// fn must not modify the set.
//
// A listpack-encoded set, like Redis's, comes back whole in rank order
// whatever the cursor. So does any set small enough to have no member
// index. A larger skiplist set is walked in (hash, member) order through
// its index (see table.scan), so the cursor stays valid while the set
// changes.
func (z *ZSet) Scan(cursor uint64, count int, fn func(ZMember)) uint64 {
	if !z.skiplist || z.small() {
		z.tree.ascend(0, func(m ZMember) bool {
			fn(m)
			return true
		})
		return 0
	}
	return z.index.scan(cursor, max(count, 1), func(i int) {
		fn(ZMember{Member: z.index.key(i), Score: z.index.val(i)})
	})
}
