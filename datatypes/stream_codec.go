package datatypes

import "encoding/binary"

// AppendEncoded appends tagStream, the counters, each node (master ID,
// entry count and its packed bytes, tombstones included, so that a
// restored stream has the same node layout as the original), then the
// consumer groups.
func (s *Stream) AppendEncoded(b []byte) []byte {
	b = append(b, tagStream)
	b = binary.AppendUvarint(b, s.length)
	b = appendStreamID(b, s.lastID)
	b = appendStreamID(b, s.firstID)
	b = appendStreamID(b, s.maxDeletedID)
	b = binary.AppendUvarint(b, s.entriesAdded)
	b = binary.AppendUvarint(b, uint64(s.NodeCount()))
	s.eachNode(func(n *streamNode) bool {
		b = appendStreamID(b, n.master)
		b = binary.AppendUvarint(b, uint64(n.count()))
		b = appendBytes(b, n.data)
		return true
	})
	return s.groups.appendEncoded(b)
}

func appendStreamID(b []byte, id StreamID) []byte {
	return binary.AppendUvarint(binary.AppendUvarint(b, id.Ms), id.Seq)
}

func (d *decoder) streamID() StreamID {
	return StreamID{d.uvarint(), d.uvarint()}
}

// decodeStream reads what AppendEncoded wrote after the tag, checking
// every node: masters ascending, each node's first entry its master, live
// entries' IDs ascending across the whole stream (a tombstone may be out
// of order, see streamNode), counts adding up.
func decodeStream(d *decoder) (Value, error) {
	s := NewStream()
	length := d.uvarint()
	s.lastID, s.firstID, s.maxDeletedID = d.streamID(), d.streamID(), d.streamID()
	s.entriesAdded = d.uvarint()
	var prev StreamID
	for k := tableLen(d); k > 0 && d.err == nil; k-- {
		n := decodeStreamNode(d, &prev)
		if d.err == nil && s.NodeCount() > 0 && !s.lastNode().master.Less(n.master) {
			d.err = errCorrupt
		}
		if d.err == nil {
			s.tree().Set(n)
			s.length += uint64(n.live)
		}
	}
	s.groups.decode(d)
	if d.err == nil && (s.length != length || s.lastID.Less(prev)) {
		d.err = errCorrupt
	}
	if err := d.finish(); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Stream) lastNode() *streamNode {
	n, _ := s.nodes.Max()
	return n
}

// decodeStreamNode reads one node and rebuilds its offsets, counters and
// order flag by walking its packed entries. prev is the last live ID seen
// so far.
func decodeStreamNode(d *decoder, prev *StreamID) *streamNode {
	n := &streamNode{master: d.streamID()}
	count := d.uvarint()
	n.data = append([]byte(nil), d.bytes()...)
	if d.err != nil || count == 0 || count > uint64(len(n.data)) {
		d.err = errCorrupt
		return nil
	}
	nd := decoder{b: n.data}
	nfields := nd.uvarint()
	if nfields == 0 || nfields > uint64(len(nd.b)) {
		d.err = errCorrupt
		return nil
	}
	for k := nfields; k > 0; k-- {
		nd.bytes()
	}
	var fv [][]byte
	var id StreamID
	for i := uint64(0); i < count && nd.err == nil; i++ {
		n.offs = append(n.offs, uint32(len(n.data)-len(nd.b)))
		before := id
		fv, id = n.decodeEntry(&nd, nfields, prev, i == 0, fv[:0])
		if i > 0 && !before.Less(id) {
			n.unordered = true
		}
	}
	if nd.err != nil || len(nd.b) != 0 {
		d.err = errCorrupt
	}
	return n
}

// decodeEntry checks one packed entry, counts it and returns its fields
// and values and its ID.
func (n *streamNode) decodeEntry(nd *decoder, nfields uint64, prev *StreamID, first bool, fv [][]byte) ([][]byte, StreamID) {
	flags := nd.byte()
	id := StreamID{n.master.Ms + uint64(nd.varint()), n.master.Seq + uint64(nd.varint())}
	same := flags&flagSameFields != 0
	k := nfields
	if !same {
		k = nd.uvarint()
	}
	live := flags&flagDeleted == 0
	if k == 0 || k > uint64(len(nd.b)) || flags&^(flagDeleted|flagSameFields) != 0 ||
		(first && id != n.master) || (live && !prev.Less(id)) {
		nd.err = errCorrupt
		return fv, id
	}
	m := decoder{b: n.data}
	m.uvarint()
	for ; k > 0; k-- {
		if same {
			fv = append(fv, m.bytes(), nd.bytes())
		} else {
			fv = append(fv, nd.bytes(), nd.bytes())
		}
	}
	if live {
		*prev = id
		n.live++
	} else {
		n.dead++
	}
	n.lpSize += lpEntrySize(id, n.master, fv, same)
	return fv, id
}
