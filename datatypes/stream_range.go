package datatypes

// Range calls fn for each live entry whose ID is within [start, end], in ID
// order (or reversed with rev), until fn returns false. fv holds the
// fields and values, alternating; it and its slices alias the stream and
// are valid only during the call. Only the nodes in the range are read.
func (s *Stream) Range(start, end StreamID, rev bool, fn func(id StreamID, fv [][]byte) bool) {
	var fv [][]byte
	s.walk(start, end, rev, func(n *streamNode, i int, id StreamID) bool {
		fv = n.fields(i, fv[:0])
		return fn(id, fv)
	})
}

// RangeIDs is Range without the fields.
func (s *Stream) RangeIDs(start, end StreamID, rev bool, fn func(id StreamID) bool) {
	s.walk(start, end, rev, func(_ *streamNode, _ int, id StreamID) bool { return fn(id) })
}

// walk visits the live entries within [start, end] in order, as Redis's
// stream iterator does: from the last node whose master is at most start
// (else the first node), skipping tombstones and entries below start, and
// stopping at the first live entry past end. Tombstones never stop it:
// in an unordered node (see streamNode) one may lie past end.
func (s *Stream) walk(start, end StreamID, rev bool, fn func(n *streamNode, i int, id StreamID) bool) {
	if s.nodes == nil || end.Less(start) {
		return
	}
	if rev {
		s.walkBack(start, end, fn)
		return
	}
	from := &streamNode{master: start}
	if n := s.nodeFor(start); n != nil {
		from = n
	}
	s.nodes.Ascend(from, func(n *streamNode) bool {
		for i := n.search(start); i < n.count(); i++ {
			flags, id := n.head(i)
			if flags&flagDeleted != 0 || id.Less(start) {
				continue
			}
			if end.Less(id) || !fn(n, i, id) {
				return false
			}
		}
		return true
	})
}

// walkBack is walk in reverse: from the last node whose master is at most
// end (else the last node), skipping tombstones and entries past end, and
// stopping at the first live entry below start.
func (s *Stream) walkBack(start, end StreamID, fn func(n *streamNode, i int, id StreamID) bool) {
	from := s.nodeFor(end)
	if from == nil {
		if from, _ = s.nodes.Max(); from == nil {
			return
		}
	}
	s.nodes.Descend(from, func(n *streamNode) bool {
		i := n.count() - 1
		if next, ok := end.Next(); ok && !n.unordered {
			i = n.search(next) - 1
		}
		for ; i >= 0; i-- {
			flags, id := n.head(i)
			if flags&flagDeleted != 0 || end.Less(id) {
				continue
			}
			if id.Less(start) || !fn(n, i, id) {
				return false
			}
		}
		return true
	})
}
