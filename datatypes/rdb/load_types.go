package rdb

import (
	"math"
	"strconv"

	"github.com/geetcache/geetcache/datatypes"
)

// Quicklist container kinds (RDB_TYPE_LIST_QUICKLIST_2).
const (
	containerPlain  = 1
	containerPacked = 2
)

func loadList(r *Reader, t byte) (datatypes.Value, bool) {
	var elems [][]byte
	var ok bool
	switch t {
	case TypeList:
		elems, ok = r.strings(1)
	case TypeListZiplist:
		elems, ok = r.blob(ReadZiplist)
	default:
		elems, ok = r.quicklist(t == TypeListQuicklist2)
	}
	if !ok || len(elems) == 0 {
		return nil, false
	}
	l := datatypes.NewList()
	for _, e := range elems {
		l.PushBack(e)
	}
	return l, true
}

// quicklist reads a quicklist's nodes: ziplists, or (v2) a container kind
// then a listpack or a plain element. Empty nodes are skipped, as Redis
// skips them.
func (r *Reader) quicklist(v2 bool) ([][]byte, bool) {
	n, ok := r.Len()
	if !ok || n == 0 || n > uint64(r.Remaining()) {
		return nil, false
	}
	var elems [][]byte
	for range n {
		container := uint64(containerPacked)
		if v2 {
			if container, ok = r.Len(); !ok || (container != containerPlain && container != containerPacked) {
				return nil, false
			}
		}
		b, ok := r.String()
		if !ok {
			return nil, false
		}
		var node [][]byte
		switch {
		case container == containerPlain:
			node = [][]byte{b}
		case v2:
			node, ok = ReadListpack(b)
		default:
			node, ok = ReadZiplist(b)
		}
		if !ok {
			return nil, false
		}
		elems = append(elems, node...)
	}
	return elems, true
}

func loadSet(r *Reader, t byte, lim datatypes.EncodingLimits) (datatypes.Value, bool) {
	var members [][]byte
	var ok bool
	if t == TypeSet {
		members, ok = r.strings(1)
	} else {
		members, ok = r.blob(ReadIntset)
	}
	if !ok || len(members) == 0 {
		return nil, false
	}
	s := datatypes.NewSet()
	for _, m := range members {
		if !s.Add(string(m)) {
			return nil, false // a duplicate
		}
		s.Outgrow(string(m), lim)
	}
	return s, true
}

func loadHash(r *Reader, t byte, lim datatypes.EncodingLimits) (datatypes.Value, bool) {
	var fv [][]byte
	var ok bool
	switch t {
	case TypeHash:
		fv, ok = r.strings(2)
	case TypeHashZipmap:
		fv, ok = r.blob(ReadZipmap)
	case TypeHashZiplist:
		fv, ok = r.blob(ReadZiplist)
	default:
		fv, ok = r.blob(ReadListpack)
	}
	if !ok || len(fv) == 0 || len(fv)%2 != 0 {
		return nil, false
	}
	h := datatypes.NewHash()
	for i := 0; i < len(fv); i += 2 {
		f, v := string(fv[i]), string(fv[i+1])
		if !h.Set(f, v) {
			return nil, false // a duplicate
		}
		h.Outgrow(f, v, lim)
	}
	return h, true
}

func loadZSet(r *Reader, t byte, lim datatypes.EncodingLimits) (datatypes.Value, bool) {
	var members []datatypes.ZMember
	var ok bool
	switch t {
	case TypeZSet, TypeZSet2:
		members, ok = r.zsetPairs(t == TypeZSet2)
	case TypeZSetZiplist:
		members, ok = zsetFromPacked(r.blob(ReadZiplist))
	default:
		members, ok = zsetFromPacked(r.blob(ReadListpack))
	}
	if !ok || len(members) == 0 {
		return nil, false
	}
	z := datatypes.NewZSet()
	for _, m := range members {
		if math.IsNaN(m.Score) || !z.Set(m.Member, m.Score) {
			return nil, false // NaN or a duplicate
		}
		z.Outgrow(len(m.Member), lim)
	}
	return z, true
}

// zsetPairs reads a length and that many members and scores: binary
// doubles (ZSET_2) or Redis's string doubles.
func (r *Reader) zsetPairs(binary bool) ([]datatypes.ZMember, bool) {
	n, ok := r.Len()
	if !ok || n == 0 || n > uint64(r.Remaining())/2 {
		return nil, false
	}
	out := make([]datatypes.ZMember, 0, n)
	for range n {
		m, ok := r.String()
		if !ok {
			return nil, false
		}
		var score float64
		if binary {
			u, ok2 := r.Uint64LE()
			score, ok = math.Float64frombits(u), ok2
		} else {
			score, ok = r.stringDouble()
		}
		if !ok {
			return nil, false
		}
		out = append(out, datatypes.ZMember{Member: string(m), Score: score})
	}
	return out, true
}

// stringDouble reads rdbLoadDoubleValue's format: a length byte (253 NaN,
// 254 +inf, 255 -inf) then that many ASCII bytes.
func (r *Reader) stringDouble() (float64, bool) {
	n, ok := r.Byte()
	switch {
	case !ok:
		return 0, false
	case n == 253:
		return math.NaN(), true
	case n == 254:
		return math.Inf(1), true
	case n == 255:
		return math.Inf(-1), true
	}
	b, ok := r.Take(uint64(n))
	if !ok {
		return 0, false
	}
	return parseScore(b)
}

// zsetFromPacked pairs a ziplist's or listpack's members and scores.
func zsetFromPacked(elems [][]byte, ok bool) ([]datatypes.ZMember, bool) {
	if !ok || len(elems)%2 != 0 {
		return nil, false
	}
	out := make([]datatypes.ZMember, 0, len(elems)/2)
	for i := 0; i < len(elems); i += 2 {
		score, ok := parseScore(elems[i+1])
		if !ok {
			return nil, false
		}
		out = append(out, datatypes.ZMember{Member: string(elems[i]), Score: score})
	}
	return out, true
}

func parseScore(b []byte) (float64, bool) {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil && !isRangeErr(err) {
		return 0, false
	}
	return f, true
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}
