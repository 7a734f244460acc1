package datatypes

import (
	"cmp"
	"slices"
)

// scan calls fn for a batch of entries and returns the cursor that
// continues after them, 0 when the walk is complete. It is the cursor
// contract of HSCAN and SSCAN: a walk that starts at cursor 0 and follows
// the returned cursors until 0 visits every entry present for the whole
// walk at least once, however the table changes in between; exactly once
// unless the table shrinks to small in the middle of the walk.
//
// A small table (no index) is visited whole in insertion order and the
// walk ends at once, whatever the cursor, as Redis does for its compact
// encodings. A larger table is walked in (hash, key) order: the cursor is
// the smallest hash not visited yet, and a call visits at least count
// entries (fewer at the end) and every entry sharing the last one's hash.
// The batch depends only on the entries, the cursor and count.
func (t *table[V]) scan(cursor uint64, count int, fn func(i int)) uint64 {
	if !t.indexed() {
		for i := range t.Len() {
			fn(i)
		}
		return 0
	}
	var batch []int
	visited, last := 0, uint64(0)
	for b := cursor >> t.shift; b < uint64(len(t.heads)); b++ {
		batch = t.bucketFrom(batch[:0], b, cursor)
		for _, i := range batch {
			h := t.hashes[i]
			if visited >= count && h != last {
				return h
			}
			fn(i)
			visited, last = visited+1, h
		}
	}
	return 0
}

// bucketFrom appends to batch the entries of bucket b whose hash is at
// least from, sorted by (hash, key).
func (t *table[V]) bucketFrom(batch []int, b, from uint64) []int {
	for j := t.heads[b]; j != 0; j = t.next[j-1] {
		if i := int(j - 1); t.hashes[i] >= from {
			batch = append(batch, i)
		}
	}
	slices.SortFunc(batch, func(x, y int) int {
		if c := cmp.Compare(t.hashes[x], t.hashes[y]); c != 0 {
			return c
		}
		return cmp.Compare(t.keys[x], t.keys[y])
	})
	return batch
}
