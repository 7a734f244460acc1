package rdb

import (
	"encoding/binary"

	"github.com/geetcache/geetcache/datatypes"
)

// AppendFile appends an RDB file (version 10, as Redis 7.0 writes it for a
// replica's full synchronization) holding every key of dbs: the header,
// the redis-ver and redis-bits auxiliary fields, then for each non-empty
// database its SELECTDB and RESIZEDB records and its keys (each with its
// absolute expiry in ms when it has one; an expired key not yet removed is
// written too, as Redis writes it), the EOF opcode and the CRC-64 of
// everything before it. Values are laid out as Dump lays them out under
// lim. dbs must not change while this runs (a frozen copy).
func AppendFile(b []byte, dbs *datatypes.DBs, lim datatypes.EncodingLimits) []byte {
	start := len(b)
	b = append(b, "REDIS0010"...)
	b = appendAux(b, "redis-ver", "7.0.15")
	b = appendAux(b, "redis-bits", "64")
	dbs.Each(func(i int, ks *datatypes.Keyspace) {
		if ks.Len() == 0 {
			return
		}
		b = AppendLen(append(b, opSelectDB), uint64(i))
		b = AppendLen(append(b, opResizeDB), uint64(ks.Len()))
		b = AppendLen(b, uint64(ks.VolatileLen()))
		ks.Ascend(0, func(e *datatypes.Entry) bool {
			b = appendRecord(b, e, lim)
			return true
		})
	})
	b = append(b, opEOF)
	return binary.LittleEndian.AppendUint64(b, CRC64(0, b[start:]))
}

func appendAux(b []byte, key, val string) []byte {
	return AppendString(AppendString(append(b, opAux), []byte(key)), []byte(val))
}

// appendRecord appends one key: its expiry, its value's type, its name and
// its value (a DUMP payload's body without the footer).
func appendRecord(b []byte, e *datatypes.Entry, lim datatypes.EncodingLimits) []byte {
	if e.ExpireAt != 0 {
		b = binary.LittleEndian.AppendUint64(append(b, opExpireMs), uint64(e.ExpireAt))
	}
	p := Dump(e.Value, lim)
	b = AppendString(append(b, p[0]), []byte(e.Key))
	return append(b, p[1:len(p)-FooterLen]...)
}
