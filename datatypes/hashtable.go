package datatypes

import (
	"iter"
	"slices"
)

// smallMax is the largest collection kept without an index: up to this many
// entries a linear scan is as fast as hashing and saves the index's memory.
const smallMax = 16

// minBuckets is the bucket count an index starts with.
const minBuckets = 32

// table is an insertion-ordered collection of distinct string keys, each
// with a value of type V: the storage behind Hash and Set.
//
// Entries iterate in the order of insertion, except that a removal moves
// the last entry into the hole. Both depend only on the operations applied,
// never on Go map order, so two tables built by the same operations
// iterate identically.
//
// Up to smallMax entries a table whose values can be packed (string or
// struct{}) and whose keys and values are at most packMaxLen bytes keeps
// them in one immutable string (see hashtable_packed.go). Otherwise the
// entries live in the dense slices of a wide table, and past smallMax a
// chained hash index finds keys in O(1). Its buckets are
// selected by the top bits of each key's hash, so walking the buckets in
// order visits keys in hash order: scan uses that to offer cursors that
// stay valid while the table changes. The form depends only on the current
// length (the index) and contents (packing), so no reply depends on
// history; the two forms behave identically.
//
// The zero table is empty and ready to use.
type table[V any] struct {
	packed  string // small form: the entries back to back; never modified
	npacked int32  // entries in packed
	// big is Hash's and Set's "outgrew the compact encoding" (Outgrow),
	// kept here so that a packed Hash or Set is one 32-byte struct.
	big      bool
	*wide[V] // the unpacked form; nil while packed
}

// wide is the unpacked form of a table.
type wide[V any] struct {
	keys   []string
	vals   []V
	hashes []uint64 // KeyHash of each key; nil without an index
	next   []int32  // chain links: entry index + 1, 0 ends the chain
	heads  []int32  // bucket heads: entry index + 1, 0 for an empty bucket
	shift  uint8    // 64 - log2(len(heads)): a hash's bucket is hash >> shift
}

// Len returns the number of entries.
func (t *table[V]) Len() int {
	if t.wide == nil {
		return int(t.npacked)
	}
	return len(t.keys)
}

func (t *table[V]) indexed() bool { return t.wide != nil && t.heads != nil }

// key returns the key of entry i, 0 <= i < Len().
func (t *table[V]) key(i int) string {
	if t.wide == nil {
		k, _ := t.packedAt(i)
		return k
	}
	return t.keys[i]
}

// val returns the value of entry i, 0 <= i < Len().
func (t *table[V]) val(i int) V {
	if t.wide == nil {
		_, v := t.packedAt(i)
		return v
	}
	return t.vals[i]
}

// setVal replaces the value of entry i, 0 <= i < Len(). The table keeps
// val: the caller must not modify its bytes afterwards.
func (t *table[V]) setVal(i int, val V) {
	if t.wide == nil && fits(rawOf(val)) {
		t.packedSetVal(i, val)
		return
	}
	if t.wide == nil {
		t.unpack()
	}
	t.vals[i] = val
	if !t.indexed() && t.canPack() {
		t.pack()
	}
}

// all iterates over the entries in order. The table must not change
// during the iteration.
func (t *table[V]) all() iter.Seq2[string, V] {
	return func(yield func(string, V) bool) {
		for pos := 0; pos < t.end(); {
			k, v, next := t.step(pos)
			if !yield(k, v) {
				return
			}
			pos = next
		}
	}
}

// end is the position after the last entry: step positions are byte
// offsets into packed, or indexes into the wide slices.
func (t *table[V]) end() int {
	if t.wide == nil {
		return len(t.packed)
	}
	return len(t.keys)
}

// step returns the entry at position pos and the position of the next.
func (t *table[V]) step(pos int) (string, V, int) {
	if t.wide == nil {
		key, _, raw, next := t.entryAt(pos)
		return key, fromRaw[V](raw), next
	}
	return t.keys[pos], t.vals[pos], pos + 1
}

// find returns the index of key, or -1.
func (t *table[V]) find(key string) int {
	if t.wide == nil {
		return t.packedFind(key)
	}
	if !t.indexed() {
		return slices.Index(t.keys, key)
	}
	h := KeyHash(key)
	for j := t.heads[h>>t.shift]; j != 0; j = t.next[j-1] {
		i := int(j - 1)
		if t.hashes[i] == h && t.keys[i] == key {
			return i
		}
	}
	return -1
}

// insert appends key, which must not be present, with val. The table keeps
// key: the caller must not modify its bytes afterwards.
func (t *table[V]) insert(key string, val V) {
	if t.wide == nil {
		if t.npacked < smallMax && packable[V]() && fits(key) && fits(rawOf(val)) {
			t.packedInsert(key, val)
			return
		}
		t.unpack()
	}
	t.keys = append(t.keys, key)
	t.vals = append(t.vals, val)
	switch {
	case t.indexed():
		t.hashes = append(t.hashes, KeyHash(key))
		t.next = append(t.next, 0)
		t.link(len(t.keys) - 1)
		if len(t.keys) > len(t.heads) {
			t.rehash(2 * len(t.heads))
		}
	case len(t.keys) > smallMax:
		t.buildIndex()
	}
}

// removeAt removes entry i, moving the last entry into its place.
func (t *table[V]) removeAt(i int) {
	if t.wide == nil {
		t.packedRemoveAt(i)
		return
	}
	last := len(t.keys) - 1
	if t.indexed() {
		t.unlink(i)
		if i != last {
			t.unlink(last)
			t.hashes[i] = t.hashes[last]
		}
		t.hashes = t.hashes[:last]
		t.next = t.next[:last]
	}
	var zero V
	t.keys[i], t.vals[i] = t.keys[last], t.vals[last]
	t.keys[last], t.vals[last] = "", zero
	t.keys, t.vals = t.keys[:last], t.vals[:last]
	if t.indexed() && i != last {
		t.link(i)
	}
	t.shrink()
}

// shrink packs or drops the index of a table that became small and halves
// the buckets of one that became sparse.
func (t *table[V]) shrink() {
	switch {
	case len(t.keys) <= smallMax && t.canPack():
		t.pack()
	case !t.indexed():
	case len(t.keys) <= smallMax:
		t.hashes, t.next, t.heads, t.shift = nil, nil, nil, 0
	case len(t.heads) > minBuckets && len(t.keys) < len(t.heads)/8:
		t.rehash(len(t.heads) / 2)
	}
}

// buildIndex hashes every key and links it into a new index.
func (t *table[V]) buildIndex() {
	t.hashes = make([]uint64, len(t.keys))
	for i, k := range t.keys {
		t.hashes[i] = KeyHash(k)
	}
	n := minBuckets
	for n < len(t.keys) {
		n *= 2
	}
	t.rehash(n)
}

// rehash relinks every entry into n buckets; n is a power of two.
func (t *table[V]) rehash(n int) {
	t.heads = make([]int32, n)
	t.next = make([]int32, len(t.keys))
	t.shift = uint8(64 - log2(n))
	for i := range t.keys {
		t.link(i)
	}
}

func log2(n int) int {
	b := 0
	for n > 1 {
		n >>= 1
		b++
	}
	return b
}

// link pushes entry i onto the front of its bucket's chain.
func (t *table[V]) link(i int) {
	b := t.hashes[i] >> t.shift
	t.next[i] = t.heads[b]
	t.heads[b] = int32(i + 1)
}

// unlink removes entry i from its bucket's chain.
func (t *table[V]) unlink(i int) {
	p := &t.heads[t.hashes[i]>>t.shift]
	for *p != int32(i+1) {
		p = &t.next[*p-1]
	}
	*p = t.next[i]
	t.next[i] = 0
}

// clone returns a deep copy of t.
func (t *table[V]) clone() table[V] {
	if t.wide == nil {
		return *t // packed is never modified, so it can be shared
	}
	return table[V]{big: t.big, wide: &wide[V]{
		keys:   slices.Clone(t.keys),
		vals:   slices.Clone(t.vals),
		hashes: slices.Clone(t.hashes),
		next:   slices.Clone(t.next),
		heads:  slices.Clone(t.heads),
		shift:  t.shift,
	}}
}
