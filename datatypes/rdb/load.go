package rdb

import (
	"github.com/geetcache/geetcache/datatypes"
)

// RDB object types (rdb.h), the first byte of a DUMP payload.
const (
	TypeString          = 0
	TypeList            = 1
	TypeSet             = 2
	TypeZSet            = 3
	TypeHash            = 4
	TypeZSet2           = 5
	TypeModule          = 6
	TypeModule2         = 7
	TypeHashZipmap      = 9
	TypeListZiplist     = 10
	TypeSetIntset       = 11
	TypeZSetZiplist     = 12
	TypeHashZiplist     = 13
	TypeListQuicklist   = 14
	TypeStreamListpacks = 15
	TypeHashListpack    = 16
	TypeZSetListpack    = 17
	TypeListQuicklist2  = 18
	TypeStream2         = 19
)

// Load decodes the value of a DUMP payload whose footer CheckPayload
// accepted, as Redis 7.0's rdbLoadObject does, in any encoding Redis 7.0
// writes or loads. lim are the encoding limits a hash, set or sorted set is
// judged by (Outgrow), as Redis converts a loaded value by its settings.
// Redis reads the value from the whole payload, footer included (a
// value may run into the footer's bytes), and ignores bytes after it; so
// does Load. Any malformed, truncated or empty value is ErrBadFormat.
func Load(payload []byte, lim datatypes.EncodingLimits) (datatypes.Value, error) {
	if len(payload) < FooterLen {
		return nil, ErrBadFormat
	}
	r := NewReader(payload)
	t, ok := r.Byte()
	if !ok {
		return nil, ErrBadFormat
	}
	v, ok := loadObject(r, t, lim)
	if !ok {
		return nil, ErrBadFormat
	}
	return v, nil
}

func loadObject(r *Reader, t byte, lim datatypes.EncodingLimits) (datatypes.Value, bool) {
	switch t {
	case TypeString:
		s, ok := r.String()
		return datatypes.String(append([]byte(nil), s...)), ok
	case TypeList, TypeListZiplist, TypeListQuicklist, TypeListQuicklist2:
		return loadList(r, t)
	case TypeSet, TypeSetIntset:
		return loadSet(r, t, lim)
	case TypeZSet, TypeZSet2, TypeZSetZiplist, TypeZSetListpack:
		return loadZSet(r, t, lim)
	case TypeHash, TypeHashZipmap, TypeHashZiplist, TypeHashListpack:
		return loadHash(r, t, lim)
	case TypeStreamListpacks, TypeStream2:
		return loadStream(r, t)
	}
	return nil, false
}

// strings reads a length and that many RDB strings. Each needs at least a
// byte, so a length beyond the bytes left is refused before allocating.
func (r *Reader) strings(per int) ([][]byte, bool) {
	n, ok := r.Len()
	if !ok || n == 0 || n > uint64(r.Remaining())/uint64(per) {
		return nil, false
	}
	out := make([][]byte, 0, n*uint64(per))
	for range n * uint64(per) {
		s, ok := r.String()
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// blob reads an RDB string holding an encoded structure.
func (r *Reader) blob(read func([]byte) ([][]byte, bool)) ([][]byte, bool) {
	b, ok := r.String()
	if !ok {
		return nil, false
	}
	return read(b)
}
