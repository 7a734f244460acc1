package datatypes

// StreamTrim is a trimming request, as XADD and XTRIM parse it.
type StreamTrim struct {
	ByMinID bool     // MINID (entries below MinID go); else MAXLEN
	MaxLen  uint64   // MAXLEN's threshold
	MinID   StreamID // MINID's threshold
	Approx  bool     // "~": only whole nodes are removed
	Limit   int64    // with Approx, the most entries removed; 0 is no limit
}

// Trim removes entries from the head as Redis 7.0's streamTrim does and
// returns how many it removed. Whole nodes go while they may; then an
// exact trim marks entries of the next node deleted (that node stays), an
// approximate one stops. Limit counts whole nodes' live entries.
func (s *Stream) Trim(t StreamTrim) int64 {
	var deleted int64
	for s.nodes != nil && s.nodes.Len() > 0 {
		if !t.ByMinID && s.length <= t.MaxLen {
			break
		}
		n, _ := s.nodes.Min()
		entries := int64(n.live)
		if t.Limit > 0 && deleted+entries > t.Limit {
			break
		}
		if s.wholeNodeGoes(n, t) {
			s.nodes.Delete(n)
			s.length -= uint64(entries)
			deleted += entries
			continue
		}
		if !t.Approx {
			deleted += s.trimInside(n, t)
		}
		break
	}
	switch {
	case s.length == 0:
		s.firstID = StreamID{}
	case deleted > 0:
		s.firstID = s.edgeID(false)
	}
	return deleted
}

func (s *Stream) wholeNodeGoes(n *streamNode, t StreamTrim) bool {
	if t.ByMinID {
		return n.lastID().Less(t.MinID)
	}
	return s.length-uint64(n.live) >= t.MaxLen
}

// trimInside marks n's entries deleted from its head until the stream is
// short enough or an ID reaches MinID. n keeps at least one live entry.
func (s *Stream) trimInside(n *streamNode, t StreamTrim) int64 {
	var deleted int64
	for i := 0; i < n.count(); i++ {
		_, id := n.head(i)
		if t.ByMinID && !id.Less(t.MinID) || !t.ByMinID && s.length <= t.MaxLen {
			break
		}
		if n.markDeleted(i) {
			s.length--
			deleted++
		}
	}
	return deleted
}
