package datatypes

import "encoding/binary"

// Entry flags, one byte at the start of each packed entry (the same bits
// as Redis's STREAM_ITEM_FLAG_*).
const (
	flagDeleted    byte = 1 << 0 // the entry is a tombstone
	flagSameFields byte = 1 << 1 // the entry has the node's master fields
)

// streamNode is a run of entries packed into one byte slice, like a
// listpack of Redis's stream radix tree. Its key is master, the ID of the
// first entry ever put in it, which never changes.
//
// data starts with the master fields (a count, then each field
// length-prefixed), taken from the first entry. Each entry follows:
//
//	flags byte, varint(ms - master.Ms), varint(seq - master.Seq),
//	[uvarint field count, fields...] values...   (field names only
//	when flagSameFields is clear; every string length-prefixed)
//
// Deleting an entry sets its flagDeleted; the node is dropped when no live
// entry is left. offs[i] is where entry i starts.
//
// Entries are in ID order except in one corner Redis has too: a tombstone
// with a large ID stays in a node whose live entries an exact trim removed,
// XSETID may then lower the last ID, and a smaller ID is appended after it.
// unordered records that, so that search is not trusted for such a node.
type streamNode struct {
	master    StreamID
	live      int  // entries not deleted
	dead      int  // entries deleted
	lpSize    int  // listpack bytes of the entries (see lpEntrySize)
	unordered bool // some entry's ID is not above the one before it
	offs      []uint32
	data      []byte
}

// newStreamNode returns a node whose master fields are fv's fields.
func newStreamNode(master StreamID, fv [][]byte) *streamNode {
	n := &streamNode{master: master}
	n.data = binary.AppendUvarint(n.data, uint64(len(fv)/2))
	for i := 0; i < len(fv); i += 2 {
		n.data = appendBytes(n.data, fv[i])
	}
	return n
}

func (n *streamNode) count() int { return len(n.offs) }

// masterFields appends the master fields to dst.
func (n *streamNode) masterFields(dst [][]byte) [][]byte {
	d := decoder{b: n.data}
	for k := d.uvarint(); k > 0; k-- {
		dst = append(dst, d.bytes())
	}
	return dst
}

// sameFields reports whether fv's fields are the master fields.
func (n *streamNode) sameFields(fv [][]byte) bool {
	d := decoder{b: n.data}
	if d.uvarint() != uint64(len(fv)/2) {
		return false
	}
	for i := 0; i < len(fv); i += 2 {
		if string(d.bytes()) != string(fv[i]) {
			return false
		}
	}
	return true
}

// append adds a live entry after the last one.
func (n *streamNode) append(id StreamID, fv [][]byte) {
	if n.count() > 0 && !n.lastID().Less(id) {
		n.unordered = true
	}
	same := n.sameFields(fv)
	flags := byte(0)
	if same {
		flags = flagSameFields
	}
	n.offs = append(n.offs, uint32(len(n.data)))
	n.data = append(n.data, flags)
	n.data = binary.AppendVarint(n.data, int64(id.Ms-n.master.Ms))
	n.data = binary.AppendVarint(n.data, int64(id.Seq-n.master.Seq))
	if !same {
		n.data = binary.AppendUvarint(n.data, uint64(len(fv)/2))
	}
	for i := 0; i < len(fv); i += 2 {
		if !same {
			n.data = appendBytes(n.data, fv[i])
		}
		n.data = appendBytes(n.data, fv[i+1])
	}
	n.live++
	n.lpSize += lpEntrySize(id, n.master, fv, same)
}

// end returns where entry i's bytes end.
func (n *streamNode) end(i int) int {
	if i+1 < len(n.offs) {
		return int(n.offs[i+1])
	}
	return len(n.data)
}

// head decodes entry i's flags and ID.
func (n *streamNode) head(i int) (flags byte, id StreamID) {
	d := decoder{b: n.data[n.offs[i]:n.end(i)]}
	flags = d.byte()
	id.Ms = n.master.Ms + uint64(d.varint())
	id.Seq = n.master.Seq + uint64(d.varint())
	return flags, id
}

// fields appends entry i's fields and values, alternating, to dst. The
// slices alias the node.
func (n *streamNode) fields(i int, dst [][]byte) [][]byte {
	d := decoder{b: n.data[n.offs[i]:n.end(i)]}
	flags := d.byte()
	d.varint()
	d.varint()
	if flags&flagSameFields != 0 {
		m := decoder{b: n.data}
		for k := m.uvarint(); k > 0; k-- {
			dst = append(dst, m.bytes(), d.bytes())
		}
		return dst
	}
	for k := d.uvarint(); k > 0; k-- {
		dst = append(dst, d.bytes(), d.bytes())
	}
	return dst
}

// search returns the index of the first entry (deleted or not) whose ID is
// >= id, or count() when none is; 0 for an unordered node, which is read
// from its start.
func (n *streamNode) search(id StreamID) int {
	if n.unordered {
		return 0
	}
	lo, hi := 0, n.count()
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if _, e := n.head(mid); e.Less(id) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// markDeleted makes entry i a tombstone and reports whether it was live.
func (n *streamNode) markDeleted(i int) bool {
	p := &n.data[n.offs[i]]
	if *p&flagDeleted != 0 {
		return false
	}
	*p |= flagDeleted
	n.live--
	n.dead++
	return true
}

// lastID returns the ID of the last entry, deleted or not.
func (n *streamNode) lastID() StreamID {
	_, id := n.head(n.count() - 1)
	return id
}

// shrink drops the spare capacity appends left, as Redis's lpShrinkToFit
// does for a listpack that is full.
func (n *streamNode) shrink() {
	n.offs = append([]uint32(nil), n.offs...)
	n.data = append([]byte(nil), n.data...)
}

// clone returns a deep copy.
func (n *streamNode) clone() *streamNode {
	c := *n
	c.offs = append([]uint32(nil), n.offs...)
	c.data = append([]byte(nil), n.data...)
	return &c
}

// lpBytes is the size Redis's listpack for this node would have: what
// XADD compares with stream-node-max-bytes.
func (n *streamNode) lpBytes() int {
	size := 6 + 1 // header and terminator
	size += lpIntSize(int64(n.live)) + lpIntSize(int64(n.dead))
	var names [][]byte
	names = n.masterFields(names)
	size += lpIntSize(int64(len(names)))
	for _, f := range names {
		size += lpStrSize(f)
	}
	size += lpIntSize(0) // master entry terminator
	return size + n.lpSize
}
