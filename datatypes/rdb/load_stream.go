package rdb

import (
	"encoding/binary"
	"strconv"

	"github.com/geetcache/geetcache/datatypes"
)

// Stream entry flags in a stream listpack (STREAM_ITEM_FLAG_*).
const (
	streamFlagDeleted    = 1
	streamFlagSameFields = 2
)

// loadStream reads RDB_TYPE_STREAM_LISTPACKS (v1) or _2: the listpacks,
// each keyed by its master ID; length, last ID, and for v2 the first ID,
// the maximal deleted ID and entries added; then the consumer groups.
func loadStream(r *Reader, t byte) (datatypes.Value, bool) {
	s := datatypes.NewStream()
	n, ok := r.Len()
	if !ok || n > uint64(r.Remaining()) {
		return nil, false
	}
	for range n {
		key, ok := r.String()
		if !ok || len(key) != 16 {
			return nil, false
		}
		lp, ok := r.String()
		if !ok || !loadStreamListpack(s, streamIDAt(key), lp) {
			return nil, false
		}
	}
	var meta [8]uint64
	count := 3
	if t == TypeStream2 {
		count = 8
	}
	for i := range count {
		if meta[i], ok = r.Len(); !ok {
			return nil, false
		}
	}
	last := datatypes.StreamID{Ms: meta[1], Seq: meta[2]}
	first := datatypes.StreamID{Ms: meta[3], Seq: meta[4]}
	maxDel := datatypes.StreamID{Ms: meta[5], Seq: meta[6]}
	added := meta[7]
	if t != TypeStream2 {
		first, added = datatypes.StreamID{}, meta[0]
		if meta[0] > 0 {
			first = s.FirstLiveID()
		}
	}
	if !s.SetLoaded(meta[0], last, first, maxDel, added) {
		return nil, false
	}
	if !loadGroups(r, s, t == TypeStream2) {
		return nil, false
	}
	return s, true
}

func streamIDAt(b []byte) datatypes.StreamID {
	return datatypes.StreamID{Ms: binary.BigEndian.Uint64(b), Seq: binary.BigEndian.Uint64(b[8:])}
}

// loadStreamListpack adds the entries of one stream listpack: the master
// entry (count, deleted, field count, fields, 0), then each entry (flags,
// ms and seq deltas from master, fields unless same as the master's,
// values, element count).
func loadStreamListpack(s *datatypes.Stream, master datatypes.StreamID, lp []byte) bool {
	el, ok := ReadListpack(lp)
	if !ok {
		return false
	}
	p := &lpCursor{el: el, ok: true}
	live, dead, nf := p.int(), p.int(), p.int()
	if !p.ok || nf < 0 || int64(len(el)) < nf {
		return false
	}
	fields := p.take(int(nf))
	if p.int() != 0 || !p.ok {
		return false
	}
	var gotLive, gotDead int64
	first := true
	for p.ok && p.i < len(el) {
		deleted, id, fv, ok := p.entry(master, fields)
		if !ok || !s.LoadEntry(id, fv, deleted, first) {
			return false
		}
		first = false
		if deleted {
			gotDead++
		} else {
			gotLive++
		}
	}
	return p.ok && !first && gotLive == live && gotDead == dead
}

// lpCursor walks a listpack's elements; a failed read clears ok.
type lpCursor struct {
	el [][]byte
	i  int
	ok bool
}

func (p *lpCursor) next() []byte {
	if p.i >= len(p.el) {
		p.ok = false
		return nil
	}
	p.i++
	return p.el[p.i-1]
}

func (p *lpCursor) int() int64 {
	v, err := strconv.ParseInt(string(p.next()), 10, 64)
	if err != nil {
		p.ok = false
	}
	return v
}

func (p *lpCursor) take(n int) [][]byte {
	if n > len(p.el)-p.i {
		p.ok = false
		return nil
	}
	p.i += n
	return p.el[p.i-n : p.i]
}

// entry reads one entry after the master entry.
func (p *lpCursor) entry(master datatypes.StreamID, fields [][]byte) (deleted bool, id datatypes.StreamID, fv [][]byte, ok bool) {
	start := p.i
	flags, ms, seq := p.int(), p.int(), p.int()
	if flags < 0 || flags > streamFlagDeleted|streamFlagSameFields {
		return false, id, nil, false
	}
	id = datatypes.StreamID{Ms: master.Ms + uint64(ms), Seq: master.Seq + uint64(seq)}
	if flags&streamFlagSameFields != 0 {
		for _, f := range fields {
			fv = append(fv, f, p.next())
		}
	} else {
		nf := p.int()
		if nf < 0 || nf > int64(len(p.el)) {
			return false, id, nil, false
		}
		fv = p.take(2 * int(nf))
	}
	count := p.int()
	if !p.ok || count != int64(p.i-start-1) || len(fv) == 0 {
		return false, id, nil, false
	}
	return flags&streamFlagDeleted != 0, id, fv, true
}
