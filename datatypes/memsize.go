package datatypes

// The keyspace's memory figure: a deterministic estimate of what each key
// costs in the Go heap (the Entry, its place in the key tree and the expiry
// index, the key's bytes, the value), summed as keys change. It drives
// maxmemory (INFO used_memory), so it must be the same on every replica at
// the same log index: it depends only on the entries, never on the
// allocator, garbage not yet collected or the node's own buffers.
//
// A collection is costed from its length and a sample of its first
// elements (at most sampleElems, in its own deterministic order, as
// MEMORY USAGE samples in Redis), so a write to a large collection costs
// O(sampleElems) to re-estimate, not O(length).

// sampleElems is how many elements of a collection the estimate reads.
const sampleElems = 8

// The fixed costs in bytes, measured on amd64 with Go 1.26 (see
// TestMemSizeTracksHeap): an Entry with its key-tree slot, an expiry index
// item, and the per-element overheads of each collection. A slot's share
// of the tree's nodes (tidwall/btree leaves a split node's old array half
// used) was 23.5-25 bytes at 1M keys (a heap profile of a node after
// docs/memory.sh's strings) and 34 at 50,000.
const (
	entryCost    = 64 + 24 // Entry struct, btree slot (16 bytes) and node share
	expiryCost   = 48      // expiryItem (24 bytes) and its btree share
	boxCost      = 24      // a String (slice header) boxed in the Value interface
	hashElem     = 72      // hash: field and value string headers, index links, slack
	setElem      = 44      // set: member string header, index links, slack
	zsetElem     = 96      // zset: tree node share, score, member header, member index
	listElem     = 8       // list: an element's share of its chunk
	collectCost  = 64      // a collection's own struct
	tableCost    = 32      // a Hash's or Set's own struct (its table)
	wideCost     = 128     // the wide form's index headers
	streamPerNod = 96      // a stream node's struct and tree share
)

// allocSize rounds n up roughly as Go's allocator size classes do.
func allocSize(n int) int {
	switch {
	case n <= 0:
		return 0
	case n <= 16:
		return (n + 7) &^ 7
	case n <= 24:
		return 24
	case n <= 128:
		return (n + 15) &^ 15
	case n <= 32768:
		step := 1
		for step*8 < n {
			step <<= 1
		}
		return (n + step - 1) / step * step
	}
	return (n + 8191) &^ 8191
}

// memSize is the estimate for e.
//
// A plain string of at most maxCompactString bytes is costed as stored
// with its key (SetString) whichever form it has, so that the figure does
// not depend on how the key was written: a replica that restored the key
// from a snapshot holds it compactly where one that applied an APPEND
// holds a String, and both must agree.
func memSize(e *Entry) int64 {
	n := entryCost
	if e.ExpireAt != 0 {
		n += expiryCost
	}
	if b, plain := PlainBytes(e.Value); plain && len(b) <= maxCompactString {
		return int64(n + allocSize(len(e.Key)+1+len(b)))
	}
	return int64(n + allocSize(len(e.Key)) + valueSize(e.Value))
}

// valueSize is the estimate for v's own memory.
func valueSize(v Value) int {
	switch v := v.(type) {
	case String:
		return boxCost + allocSize(len(v))
	case *HLL:
		return collectCost + allocSize(len(v.sparse)*4) + hllDenseCost(v)
	case *Hash:
		return tableSize(&v.t, hashElem, func(s string) int { return len(s) })
	case *Set:
		return tableSize(&v.t, setElem, func(struct{}) int { return 0 })
	case *ZSet:
		return zsetSize(v)
	case *List:
		return listSize(v)
	case *Stream:
		return streamSize(v)
	}
	return collectCost
}

func hllDenseCost(h *HLL) int {
	if h.dense == nil {
		return 0
	}
	return HLLRegisters*6/8 + 32
}

// tableSize costs a hash or set: packed, its string; wide, its length
// times the sampled average element.
func tableSize[V any](t *table[V], elem int, valLen func(V) int) int {
	if t.wide == nil {
		return tableCost + allocSize(len(t.packed))
	}
	n, bytes := 0, 0
	for k, v := range t.all() {
		if n == sampleElems {
			break
		}
		bytes += allocSize(len(k)) + allocSize(valLen(v))
		n++
	}
	return tableCost + wideCost + scaled(t.Len(), n, bytes+n*elem)
}

// scaled is total for sampled of count elements, scaled to count.
func scaled(count, sampled, total int) int {
	if sampled == 0 {
		return 0
	}
	return total / sampled * count
}

func zsetSize(z *ZSet) int {
	n, bytes := 0, 0
	z.Ascend(0, func(m ZMember) bool {
		bytes += allocSize(len(m.Member)) + zsetElem
		n++
		return n < sampleElems
	})
	return collectCost + scaled(z.Len(), n, bytes)
}

func listSize(l *List) int {
	n, bytes := 0, 0
	l.Each(false, func(e []byte) bool {
		bytes += len(e) + listElem
		n++
		return n < sampleElems
	})
	return collectCost + scaled(l.Len(), n, bytes)
}

func streamSize(s *Stream) int {
	n, bytes := 0, 0
	s.eachNode(func(nd *streamNode) bool {
		bytes += streamPerNod + allocSize(len(nd.data)) + allocSize(len(nd.offs)*4) // len, not cap: a restored node has no growth slack
		n++
		return n < sampleElems
	})
	return collectCost + scaled(s.NodeCount(), n, bytes) + s.groups.Len()*256
}

// sizeUnit is the unit an Entry keeps its estimate in (its size field);
// an estimate is rounded up to it, and capped below removedSize units
// (32 GiB: an estimate, never a key's real limit).
const sizeUnit = 8

// removedSize marks an entry taken out of the keyspace since the last
// Settle (unlink): Settle skips it.
const removedSize = 1<<32 - 1

// sizeUnits is n bytes in sizeUnit units, rounded up and capped.
func sizeUnits(n int64) uint32 {
	return uint32(min((n+sizeUnit-1)/sizeUnit, removedSize-1))
}

// Settle brings the memory figure up to date for the entries written
// since the last call: the state machine calls it after each command (a
// handler may fill a value after storing it). Deterministic.
func (ks *Keyspace) Settle() {
	for _, e := range ks.dirty {
		if e.size == removedSize {
			continue
		}
		size := sizeUnits(memSize(e))
		ks.used += int64(size)*sizeUnit - e.MemSize()
		e.size = size
	}
	clear(ks.dirty) // drop the pointers: removed entries may be collected
	ks.dirty = ks.dirty[:0]
}

// Used is the sum of the entries' memory estimates, as of the last
// Settle.
func (ks *Keyspace) Used() int64 { return ks.used }

// MemSize is e's memory estimate as last settled (MEMORY USAGE, and what
// evicting e frees).
// It is a multiple of 8 bytes.
func (e *Entry) MemSize() int64 { return int64(e.size) * sizeUnit }

// VolatileKeyAt returns the i'th key of the expiry index (0 <= i <
// VolatileLen()), for sampling volatile keys.
func (ks *Keyspace) VolatileKeyAt(i int) string {
	it, _ := ks.expires.GetAt(i)
	return it.key
}

// Find returns key's entry, expired or not, or nil.
func (ks *Keyspace) Find(key string) *Entry { return ks.find(key) }
