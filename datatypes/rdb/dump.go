package rdb

import (
	"encoding/binary"
	"math"
	"slices"
	"strconv"

	"github.com/geetcache/geetcache/datatypes"
)

// Dump returns v's DUMP payload: its RDB type, its value in the encoding
// Redis 7.0 would hold it in under lim (the one OBJECT ENCODING reports; a
// HyperLogLog as Redis's own "HYLL" string, see HLL.Bytes),
// laid out as Redis 7.0's rdbSaveObject writes it, and the footer. For a
// value Redis would hold the same way, the bytes are Redis's, except where
// Redis's own order is that of its hash table (a set or hash beyond its
// compact encoding) or its layout depends on the value's history (list
// nodes are laid out as pushes at the tail make them).
func Dump(v datatypes.Value, lim datatypes.EncodingLimits) []byte {
	var b []byte
	switch v := v.(type) {
	case *datatypes.HLL:
		b = AppendString(append(b, TypeString), v.Bytes())
	case datatypes.StringValue:
		b = AppendString(append(b, TypeString), v.Bytes())
	case *datatypes.List:
		b = appendList(append(b, TypeListQuicklist2), v, lim.ListSize)
	case *datatypes.Set:
		b = appendSet(b, v, datatypes.ObjectEncoding(v, lim) == "intset")
	case *datatypes.ZSet:
		b = appendZSet(b, v, datatypes.ObjectEncoding(v, lim) == "listpack")
	case *datatypes.Hash:
		b = appendHash(b, v, datatypes.ObjectEncoding(v, lim) == "listpack")
	case *datatypes.Stream:
		b = appendStream(append(b, TypeStream2), v)
	}
	return Seal(b)
}

// appendList writes a quicklist of listpack nodes (QUICKLIST_2, every
// container packed), split as pushes at the tail split them.
func appendList(b []byte, l *datatypes.List, fill int64) []byte {
	var nodes [][]byte
	var lp Listpack
	l.Each(false, func(e []byte) bool {
		if lp.Len() > 0 && datatypes.QuicklistNodeFull(fill, lp.Size(), lp.Len(), len(e)) {
			nodes = append(nodes, lp.Bytes())
			lp = Listpack{}
		}
		lp.Append(e)
		return true
	})
	nodes = append(nodes, lp.Bytes())
	b = AppendLen(b, uint64(len(nodes)))
	for _, n := range nodes {
		b = AppendString(AppendLen(b, containerPacked), n)
	}
	return b
}

func appendSet(b []byte, s *datatypes.Set, intset bool) []byte {
	if intset {
		ints := make([]int64, s.Len())
		for i := range ints {
			ints[i], _ = strconv.ParseInt(s.At(i), 10, 64)
		}
		slices.Sort(ints)
		return AppendString(append(b, TypeSetIntset), AppendIntset(nil, ints))
	}
	b = AppendLen(append(b, TypeSet), uint64(s.Len()))
	for i := range s.Len() {
		b = AppendString(b, []byte(s.At(i)))
	}
	return b
}

// appendZSet writes a listpack of members and scores in rank order, or
// (ZSET_2) the members from the highest rank down with binary scores.
func appendZSet(b []byte, z *datatypes.ZSet, listpack bool) []byte {
	if listpack {
		var lp Listpack
		z.Ascend(0, func(m datatypes.ZMember) bool {
			lp.Append([]byte(m.Member))
			appendScore(&lp, m.Score)
			return true
		})
		return AppendString(append(b, TypeZSetListpack), lp.Bytes())
	}
	b = AppendLen(append(b, TypeZSet2), uint64(z.Len()))
	z.Descend(z.Len()-1, func(m datatypes.ZMember) bool {
		b = AppendString(b, []byte(m.Member))
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(m.Score))
		return true
	})
	return b
}

// appendScore adds a score as zzlInsertAt does: an integer when the
// double is one (double2ll), else its "%.17g" text.
func appendScore(lp *Listpack, f float64) {
	const half = float64(math.MaxInt64 / 2)
	if f >= -half && f <= half && f == float64(int64(f)) {
		lp.AppendInt(int64(f))
		return
	}
	switch {
	case math.IsInf(f, 1):
		lp.Append([]byte("inf"))
	case math.IsInf(f, -1):
		lp.Append([]byte("-inf"))
	default:
		lp.Append(strconv.AppendFloat(nil, f, 'g', 17, 64))
	}
}

func appendHash(b []byte, h *datatypes.Hash, listpack bool) []byte {
	if listpack {
		var lp Listpack
		for i := range h.Len() {
			f, v := h.At(i)
			lp.Append([]byte(f))
			lp.Append([]byte(v))
		}
		return AppendString(append(b, TypeHashListpack), lp.Bytes())
	}
	b = AppendLen(append(b, TypeHash), uint64(h.Len()))
	for i := range h.Len() {
		f, v := h.At(i)
		b = AppendString(AppendString(b, []byte(f)), []byte(v))
	}
	return b
}
