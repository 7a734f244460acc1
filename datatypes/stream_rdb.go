package datatypes

// Access to a stream's nodes for Redis's serialization format (package
// rdb): a node is one listpack of Redis's radix tree, so a DUMP writes one
// listpack per node and a RESTORE rebuilds the same nodes.

// StreamNodeView reads one node of a stream. It is valid until the
// stream's next change.
type StreamNodeView struct{ n *streamNode }

// EachNode calls fn for each node in ID order until it returns false.
func (s *Stream) EachNode(fn func(v StreamNodeView) bool) {
	s.eachNode(func(n *streamNode) bool { return fn(StreamNodeView{n}) })
}

// Master is the node's master ID (its key, the first entry's ID).
func (v StreamNodeView) Master() StreamID { return v.n.master }

// Live and Dead are the node's live and deleted entries.
func (v StreamNodeView) Live() int { return v.n.live }

// Dead: see Live.
func (v StreamNodeView) Dead() int { return v.n.dead }

// Count is the number of entries, deleted ones included.
func (v StreamNodeView) Count() int { return v.n.count() }

// MasterFields appends the node's master field names to dst.
func (v StreamNodeView) MasterFields(dst [][]byte) [][]byte { return v.n.masterFields(dst) }

// Entry returns entry i's flags (deleted, same fields as the master), ID,
// and fields and values, alternating, appended to dst.
func (v StreamNodeView) Entry(i int, dst [][]byte) (deleted, same bool, id StreamID, fv [][]byte) {
	flags, id := v.n.head(i)
	return flags&flagDeleted != 0, flags&flagSameFields != 0, id, v.n.fields(i, dst)
}

// LoadEntry appends an entry read from a payload: in a new node when
// newNode is set (the first entry of a listpack), deleted (a tombstone)
// when deleted is set. The length and IDs are set afterwards by
// SetLoaded. It reports false when id is not above the previous entry's.
func (s *Stream) LoadEntry(id StreamID, fv [][]byte, deleted, newNode bool) bool {
	last, ok := s.tree().Max()
	if ok && !last.lastID().Less(id) {
		return false
	}
	if !ok || newNode {
		if ok && last.live == 0 {
			s.nodes.Delete(last)
		}
		last = newStreamNode(id, fv)
		s.nodes.Set(last)
	}
	last.append(id, fv)
	if deleted {
		last.markDeleted(last.count() - 1)
	}
	return true
}

// SetLoaded finishes a stream built by LoadEntry with the counters the
// payload gives; it reports false when length is not the number of live
// entries. A trailing node without live entries is dropped.
func (s *Stream) SetLoaded(length uint64, last, first, maxDeleted StreamID, added uint64) bool {
	live := 0
	if n, ok := s.tree().Max(); ok && n.live == 0 {
		s.nodes.Delete(n)
	}
	s.eachNode(func(n *streamNode) bool {
		live += n.live
		return true
	})
	if uint64(live) != length {
		return false
	}
	s.length, s.lastID, s.firstID, s.maxDeletedID, s.entriesAdded = length, last, first, maxDeleted, added
	return true
}

// EstimateEntriesRead is Redis's streamEstimateDistanceFromFirstEverEntry
// for id: what a group loaded from a payload without its entries-read
// counter gets.
func (s *Stream) EstimateEntriesRead(id StreamID) int64 { return s.estimateEntriesRead(id) }
