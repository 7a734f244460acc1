package rdb

import (
	"encoding/binary"

	"github.com/geetcache/geetcache/datatypes"
)

// appendStream writes STREAM_LISTPACKS_2: each node's master ID and
// listpack, the stream's counters, then its consumer groups.
func appendStream(b []byte, s *datatypes.Stream) []byte {
	b = AppendLen(b, uint64(s.NodeCount()))
	s.EachNode(func(v datatypes.StreamNodeView) bool {
		b = AppendString(b, appendRawID(nil, v.Master()))
		b = AppendString(b, streamListpack(v))
		return true
	})
	b = AppendLen(b, s.Len())
	b = appendID(b, s.LastID())
	b = appendID(b, s.FirstID())
	b = appendID(b, s.MaxDeletedID())
	b = AppendLen(b, s.EntriesAdded())
	b = AppendLen(b, uint64(s.Groups().Len()))
	s.Groups().Each(func(cg *datatypes.ConsumerGroup) bool {
		b = appendGroup(b, cg)
		return true
	})
	return b
}

func appendID(b []byte, id datatypes.StreamID) []byte {
	return AppendLen(AppendLen(b, id.Ms), id.Seq)
}

func appendRawID(b []byte, id datatypes.StreamID) []byte {
	return binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(b, id.Ms), id.Seq)
}

// streamListpack lays a node out as Redis's stream listpack.
func streamListpack(v datatypes.StreamNodeView) []byte {
	var lp Listpack
	fields := v.MasterFields(nil)
	lp.AppendInt(int64(v.Live()))
	lp.AppendInt(int64(v.Dead()))
	lp.AppendInt(int64(len(fields)))
	for _, f := range fields {
		lp.Append(f)
	}
	lp.AppendInt(0)
	master := v.Master()
	var fv [][]byte
	for i := range v.Count() {
		var deleted, same bool
		var id datatypes.StreamID
		deleted, same, id, fv = v.Entry(i, fv[:0])
		start := lp.Len()
		flags := int64(0)
		if deleted {
			flags |= streamFlagDeleted
		}
		if same {
			flags |= streamFlagSameFields
		}
		lp.AppendInt(flags)
		lp.AppendInt(int64(id.Ms - master.Ms))
		lp.AppendInt(int64(id.Seq - master.Seq))
		if !same {
			lp.AppendInt(int64(len(fv) / 2))
		}
		for j := 0; j < len(fv); j += 2 {
			if !same {
				lp.Append(fv[j])
			}
			lp.Append(fv[j+1])
		}
		lp.AppendInt(int64(lp.Len() - start))
	}
	return lp.Bytes()
}

func appendGroup(b []byte, cg *datatypes.ConsumerGroup) []byte {
	b = AppendString(b, []byte(cg.Name()))
	b = appendID(b, cg.LastID)
	b = AppendLen(b, uint64(cg.EntriesRead))
	b = AppendLen(b, uint64(cg.PendingLen()))
	cg.AscendPending(datatypes.StreamID{}, func(p datatypes.PendingEntry) bool {
		b = appendRawID(b, p.ID)
		b = binary.LittleEndian.AppendUint64(b, uint64(p.DeliveryTime))
		b = AppendLen(b, p.DeliveryCount)
		return true
	})
	b = AppendLen(b, uint64(cg.ConsumerCount()))
	cg.EachConsumer(func(c *datatypes.Consumer) bool {
		b = AppendString(b, []byte(c.Name()))
		b = binary.LittleEndian.AppendUint64(b, uint64(c.SeenTime))
		b = AppendLen(b, uint64(c.PendingLen()))
		c.AscendPending(datatypes.StreamID{}, func(id datatypes.StreamID) bool {
			b = appendRawID(b, id)
			return true
		})
		return true
	})
	return b
}
