package datatypes

import "encoding/binary"

// appendEncoded appends the groups' snapshot encoding (Stream.AppendEncoded):
//
//	uvarint(ngroups) { bytes(name) id(last) varint(entries-read)
//	  uvarint(nconsumers) { bytes(name) varint(seen) }*
//	  uvarint(npending) { uvarint(ms-prevms) uvarint(seq) uvarint(owner) varint(time) uvarint(count) }* }*
//
// in name and ID order; owner is the consumer's index in the list above.
// A consumer's own PEL is not written: it is the group's entries it owns.
func (g *StreamGroups) appendEncoded(b []byte) []byte {
	b = binary.AppendUvarint(b, uint64(g.Len()))
	g.Each(func(cg *ConsumerGroup) bool {
		b = cg.appendEncoded(b)
		return true
	})
	return b
}

func (cg *ConsumerGroup) appendEncoded(b []byte) []byte {
	b = appendBytes(b, []byte(cg.name))
	b = appendStreamID(b, cg.LastID)
	b = binary.AppendVarint(b, cg.EntriesRead)
	b = binary.AppendUvarint(b, uint64(cg.consumers.Len()))
	index := make(map[string]uint64, cg.consumers.Len()) // looked up only, never ranged
	cg.consumers.Scan(func(c *Consumer) bool {
		index[c.name] = uint64(len(index))
		b = appendBytes(b, []byte(c.name))
		b = binary.AppendVarint(b, c.SeenTime)
		return true
	})
	b = binary.AppendUvarint(b, uint64(cg.pel.Len()))
	var prevMs uint64
	cg.pel.Scan(func(p PendingEntry) bool {
		b = binary.AppendUvarint(b, p.ID.Ms-prevMs)
		b = binary.AppendUvarint(b, p.ID.Seq)
		b = binary.AppendUvarint(b, index[p.Consumer])
		b = binary.AppendVarint(b, p.DeliveryTime)
		b = binary.AppendUvarint(b, p.DeliveryCount)
		prevMs = p.ID.Ms
		return true
	})
	return b
}

// decode reads what appendEncoded wrote; a failure sets d.err. Names and
// IDs must be strictly ascending and owners in range.
func (g *StreamGroups) decode(d *decoder) {
	n := d.uvarint()
	if d.err == nil && n > uint64(len(d.b)) {
		d.err = errCorrupt
	}
	var prev *ConsumerGroup
	for i := uint64(0); i < n && d.err == nil; i++ {
		cg := decodeConsumerGroup(d)
		if d.err != nil {
			return
		}
		if prev != nil && prev.name >= cg.name {
			d.err = errCorrupt
			return
		}
		if g.byName == nil {
			g.byName = newGroupTree()
		}
		g.byName.Set(cg)
		prev = cg
	}
}

func decodeConsumerGroup(d *decoder) *ConsumerGroup {
	cg := newConsumerGroup(string(d.bytes()), d.streamID(), d.varint())
	owners := decodeConsumers(d, cg)
	n := d.uvarint()
	if d.err == nil && n > uint64(len(d.b)) {
		d.err = errCorrupt
	}
	var prev StreamID
	for i := uint64(0); i < n && d.err == nil; i++ {
		id := StreamID{prev.Ms + d.uvarint(), d.uvarint()}
		owner := d.uvarint()
		at, count := d.varint(), d.uvarint()
		if d.err != nil || owner >= uint64(len(owners)) || (i > 0 && !prev.Less(id)) {
			d.err = errCorrupt
			return cg
		}
		cg.Claim(id, owners[owner], at, count)
		prev = id
	}
	return cg
}

// decodeConsumers reads a group's consumers into cg and returns them in
// their encoded order.
func decodeConsumers(d *decoder, cg *ConsumerGroup) []*Consumer {
	n := d.uvarint()
	if d.err == nil && n > uint64(len(d.b)) {
		d.err = errCorrupt
	}
	var list []*Consumer
	for i := uint64(0); i < n && d.err == nil; i++ {
		c := newConsumer(string(d.bytes()), d.varint())
		if d.err != nil || (len(list) > 0 && list[len(list)-1].name >= c.name) {
			d.err = errCorrupt
			return list
		}
		cg.consumers.Set(c)
		list = append(list, c)
	}
	return list
}
