package rdb

import (
	"github.com/geetcache/geetcache/datatypes"
)

// loadGroups reads a stream's consumer groups: name, last delivered ID,
// (v2) entries read, the group's PEL (raw IDs, delivery times, counts),
// then each consumer (name, seen time, its PEL's raw IDs). Every pending
// entry must belong to exactly one consumer.
func loadGroups(r *Reader, s *datatypes.Stream, v2 bool) bool {
	n, ok := r.Len()
	if !ok || n > uint64(r.Remaining()) {
		return false
	}
	for range n {
		if !loadGroup(r, s, v2) {
			return false
		}
	}
	return true
}

func loadGroup(r *Reader, s *datatypes.Stream, v2 bool) bool {
	name, ok := r.String()
	if !ok {
		return false
	}
	ms, ok1 := r.Len()
	seq, ok2 := r.Len()
	if !ok1 || !ok2 {
		return false
	}
	last := datatypes.StreamID{Ms: ms, Seq: seq}
	entriesRead := s.EstimateEntriesRead(last)
	if v2 {
		u, ok := r.Len()
		if !ok {
			return false
		}
		entriesRead = int64(u)
	}
	cg := s.Groups().Create(name, last, entriesRead)
	if cg == nil {
		return false // a duplicate name
	}
	pel, ok := r.groupPEL()
	if !ok {
		return false
	}
	if !loadConsumers(r, cg, pel) {
		return false
	}
	return len(pel) == 0 // every entry found its consumer
}

type nack struct {
	at    int64
	count uint64
}

// groupPEL reads a group's PEL: IDs with their delivery time and count.
func (r *Reader) groupPEL() (map[datatypes.StreamID]nack, bool) {
	n, ok := r.Len()
	if !ok || n > uint64(r.Remaining())/17 {
		return nil, false
	}
	pel := make(map[datatypes.StreamID]nack, n)
	for range n {
		raw, ok := r.Take(16)
		if !ok {
			return nil, false
		}
		at, ok1 := r.Uint64LE()
		count, ok2 := r.Len()
		id := streamIDAt(raw)
		if _, dup := pel[id]; dup || !ok1 || !ok2 {
			return nil, false
		}
		pel[id] = nack{at: int64(at), count: count}
	}
	return pel, true
}

// loadConsumers reads the consumers, moving each entry of their PELs out
// of pel into the group.
func loadConsumers(r *Reader, cg *datatypes.ConsumerGroup, pel map[datatypes.StreamID]nack) bool {
	n, ok := r.Len()
	if !ok || n > uint64(r.Remaining())/9 {
		return false
	}
	for range n {
		name, ok := r.String()
		if !ok {
			return false
		}
		seen, ok := r.Uint64LE()
		if !ok {
			return false
		}
		c := cg.CreateConsumer(name, int64(seen))
		if c == nil {
			return false // a duplicate name
		}
		k, ok := r.Len()
		if !ok || k > uint64(r.Remaining())/16 {
			return false
		}
		for range k {
			raw, ok := r.Take(16)
			if !ok {
				return false
			}
			id := streamIDAt(raw)
			e, found := pel[id]
			if !found {
				return false // not in the group's PEL, or owned twice
			}
			delete(pel, id)
			cg.Claim(id, c, e.at, e.count)
		}
	}
	return true
}
