package datatypes

import "github.com/tidwall/btree"

// StreamNodeLimits are Redis's stream-node-max-entries and
// stream-node-max-bytes: when the last node holds MaxEntries entries
// (deleted ones too) or would reach MaxBytes listpack bytes, XADD starts a
// new node. 0 means no limit (bytes are then capped at 1 GiB, as in Redis).
// The layout they produce decides what an approximate trim removes, so
// every replica must append with the same limits.
type StreamNodeLimits struct {
	MaxEntries int64
	MaxBytes   int64
}

// DefaultStreamNodeLimits are Redis 7.0's defaults.
var DefaultStreamNodeLimits = StreamNodeLimits{MaxEntries: 100, MaxBytes: 4096}

// streamListpackMax is Redis's STREAM_LISTPACK_MAX_SIZE.
const streamListpackMax = 1 << 30

// Stream is a stream value: entries ordered by ID in a B-tree of nodes (see
// streamNode), like Redis's radix tree of listpacks, plus the counters
// XINFO reports and the consumer groups.
//
// Slices a Stream hands to callbacks alias its memory: the caller must not
// modify them or keep them past the callback. The zero Stream is empty and
// ready to use.
type Stream struct {
	nodes        *btree.BTreeG[*streamNode] // by master ID; nil when empty
	length       uint64                     // live entries
	lastID       StreamID                   // the last ID ever added (or set by XSETID)
	firstID      StreamID                   // recorded first entry ID (0-0 when empty)
	maxDeletedID StreamID                   // largest ID XDEL removed
	entriesAdded uint64                     // entries ever added
	groups       StreamGroups
}

// NewStream returns an empty stream.
func NewStream() *Stream { return &Stream{} }

// Kind reports KindStream.
func (s *Stream) Kind() Kind { return KindStream }

func nodeLess(a, b *streamNode) bool { return a.master.Less(b.master) }

func (s *Stream) tree() *btree.BTreeG[*streamNode] {
	if s.nodes == nil {
		s.nodes = btree.NewBTreeGOptions(nodeLess, btree.Options{NoLocks: true})
	}
	return s.nodes
}

// Clone returns a deep copy, consumer groups included.
func (s *Stream) Clone() Value {
	c := *s
	c.nodes = nil
	s.eachNode(func(n *streamNode) bool {
		c.tree().Set(n.clone())
		return true
	})
	c.groups = s.groups.clone()
	return &c
}

// Len returns the number of entries (XLEN).
func (s *Stream) Len() uint64 { return s.length }

// LastID returns the last generated ID (XINFO's last-generated-id).
func (s *Stream) LastID() StreamID { return s.lastID }

// FirstID returns the recorded first entry ID: 0-0 for an empty stream.
func (s *Stream) FirstID() StreamID { return s.firstID }

// MaxDeletedID returns the largest ID XDEL removed (max-deleted-entry-id).
func (s *Stream) MaxDeletedID() StreamID { return s.maxDeletedID }

// EntriesAdded returns how many entries were ever added (entries-added).
func (s *Stream) EntriesAdded() uint64 { return s.entriesAdded }

// SetLastID, SetEntriesAdded and SetMaxDeletedID are XSETID's: the caller
// checks what Redis checks first.
func (s *Stream) SetLastID(id StreamID)       { s.lastID = id }
func (s *Stream) SetEntriesAdded(n uint64)    { s.entriesAdded = n }
func (s *Stream) SetMaxDeletedID(id StreamID) { s.maxDeletedID = id }

// Groups returns the stream's consumer groups, to read or change in place.
func (s *Stream) Groups() *StreamGroups { return &s.groups }

// NodeCount returns the number of nodes (XINFO's radix-tree-keys).
func (s *Stream) NodeCount() int {
	if s.nodes == nil {
		return 0
	}
	return s.nodes.Len()
}

// Append adds an entry with the given ID and fields and values
// (alternating, at least one pair), copying them. id must be above
// LastID: the caller checks, and replies, first.
func (s *Stream) Append(id StreamID, fv [][]byte, lim StreamNodeLimits) {
	last, ok := s.tree().Max()
	if !ok || nodeFull(last, fv, lim) {
		if ok {
			last.shrink() // full: it only shrinks from now on
		}
		last = newStreamNode(id, fv)
		s.nodes.Set(last)
	}
	last.append(id, fv)
	s.length++
	s.entriesAdded++
	s.lastID = id
	if s.length == 1 {
		s.firstID = id
	}
}

// nodeFull reports whether Redis would start a new node for fv after n.
func nodeFull(n *streamNode, fv [][]byte, lim StreamNodeLimits) bool {
	maxBytes := lim.MaxBytes
	if maxBytes <= 0 || maxBytes > streamListpackMax {
		maxBytes = streamListpackMax
	}
	total := 0
	for _, b := range fv {
		total += len(b)
	}
	if int64(n.lpBytes()+total) >= maxBytes {
		return true
	}
	return lim.MaxEntries > 0 && int64(n.count()) >= lim.MaxEntries
}

// eachNode calls fn for each node in ID order until it returns false.
func (s *Stream) eachNode(fn func(*streamNode) bool) {
	if s.nodes != nil {
		s.nodes.Scan(fn)
	}
}

// nodeFor returns the node that would hold id: the last whose master is
// at most id, or nil.
func (s *Stream) nodeFor(id StreamID) *streamNode {
	var found *streamNode
	if s.nodes != nil {
		s.nodes.Descend(&streamNode{master: id}, func(n *streamNode) bool {
			found = n
			return false
		})
	}
	return found
}

// Get returns the fields and values of the live entry id, appended to dst.
func (s *Stream) Get(id StreamID, dst [][]byte) ([][]byte, bool) {
	n, i := s.find(id)
	if n == nil {
		return dst, false
	}
	return n.fields(i, dst), true
}

// find returns the node and index of the live entry id, or nil, looking
// where Redis's iterator over [id, id] looks.
func (s *Stream) find(id StreamID) (*streamNode, int) {
	var found *streamNode
	at := 0
	s.walk(id, id, false, func(n *streamNode, i int, _ StreamID) bool {
		found, at = n, i
		return false
	})
	return found, at
}

// Has reports whether id is a live entry.
func (s *Stream) Has(id StreamID) bool {
	_, ok := s.Get(id, nil)
	return ok
}

// Delete removes the live entry id and reports whether there was one,
// keeping the recorded first ID and the maximal deleted ID as XDEL does.
// A node left without live entries is dropped.
func (s *Stream) Delete(id StreamID) bool {
	n, i := s.find(id)
	if n == nil || !n.markDeleted(i) {
		return false
	}
	if n.live == 0 {
		s.nodes.Delete(n)
	}
	s.length--
	if s.maxDeletedID.Less(id) {
		s.maxDeletedID = id
	}
	switch {
	case s.length == 0:
		s.firstID = StreamID{}
	case id == s.firstID:
		s.firstID = s.edgeID(false)
	}
	return true
}

// edgeID returns the first (or, with last, the last) live entry's ID;
// MaxStreamID (or 0-0) when there is none, as Redis's streamGetEdgeID.
func (s *Stream) edgeID(last bool) StreamID {
	edge := MaxStreamID
	if last {
		edge = StreamID{}
	}
	s.walk(StreamID{}, MaxStreamID, last, func(_ *streamNode, _ int, id StreamID) bool {
		edge = id
		return false
	})
	return edge
}

// LastLiveID returns the ID of the last live entry, or 0-0 when there is
// none (what XSETID compares with).
func (s *Stream) LastLiveID() StreamID { return s.edgeID(true) }

// FirstLiveID returns the ID of the first live entry, or MaxStreamID when
// there is none.
func (s *Stream) FirstLiveID() StreamID { return s.edgeID(false) }
