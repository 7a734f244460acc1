package datatypes

import (
	"encoding/binary"
	"math"
)

// Sorted set encoding flags (the byte after tagZSet).
const zsetFlagSkiplist = 1

// AppendEncoded appends tagZSet, the encoding flag, the member count, then
// each member and its score (IEEE 754 bits, little-endian) in rank order.
// The encoding depends only on the members, their scores and the flag.
func (z *ZSet) AppendEncoded(b []byte) []byte {
	var flags byte
	if z.skiplist {
		flags |= zsetFlagSkiplist
	}
	b = append(b, tagZSet, flags)
	b = binary.AppendUvarint(b, uint64(z.Len()))
	z.tree.ascend(0, func(m ZMember) bool {
		b = appendString(b, m.Member)
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(m.Score))
		return true
	})
	return b
}

// decodeZSet reads what AppendEncoded wrote after the tag. Members must be
// in strictly increasing order, distinct and NaN-free.
func decodeZSet(d *decoder) (Value, error) {
	flags := d.byte()
	if flags&^zsetFlagSkiplist != 0 {
		d.err = errCorrupt
	}
	z := &ZSet{skiplist: flags&zsetFlagSkiplist != 0}
	n := tableLen(d)
	var prev ZMember
	for i := range n {
		m := ZMember{Member: string(d.bytes()), Score: d.double()}
		if d.err != nil {
			break
		}
		if math.IsNaN(m.Score) || (i > 0 && !zless(prev, m)) || z.has(m.Member) {
			d.err = errCorrupt
			break
		}
		z.insert(m)
		prev = m
	}
	if err := d.finish(); err != nil {
		return nil, err
	}
	return z, nil
}

func (z *ZSet) has(member string) bool {
	_, ok := z.Score(member)
	return ok
}

// double reads 8 little-endian bytes as IEEE 754 bits.
func (d *decoder) double() float64 {
	if d.err != nil {
		return 0
	}
	if len(d.b) < 8 {
		d.err = errCorrupt
		return 0
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
	d.b = d.b[8:]
	return f
}
