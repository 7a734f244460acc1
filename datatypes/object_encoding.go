package datatypes

// embstrMax is the longest string Redis 7.0 keeps in its embstr encoding.
const embstrMax = 44

// ObjectEncoding returns the encoding Redis 7.0 reports (OBJECT ENCODING)
// for v under the limits l. geetcache's own layout does not follow these
// encodings, so they are derived from the value's content:
//
//   - a string is "int" when it is a canonical integer that fits an int64
//     (string2ll: no '+', leading zero or space), "embstr" up to 44 bytes,
//     "raw" beyond; a HyperLogLog is "raw";
//   - a list is "quicklist" (Redis 7.0 has no listpack lists);
//   - a hash is "listpack" while it has at most l.HashEntries fields and no
//     field or value longer than l.HashValue bytes, else "hashtable";
//   - a set is "intset" while it has at most l.SetIntsetEntries members,
//     all integers, else "hashtable";
//   - a sorted set is "listpack" while it fits l.ZSetEntries/l.ZSetValue
//     and, within Redis's default limits, was never converted (ZSet
//     Listpack); else "skiplist";
//   - a stream is "stream".
//
// Redis never converts a value back to the compact encoding when it
// shrinks: a hash, set or sorted set remembers that it outgrew it (Outgrow,
// kept in snapshots), so it reports the big encoding until deleted. A
// value also reports the big encoding while its content exceeds the
// current limits (Redis would convert it on its next write). A string
// APPEND or SETRANGE made "raw" in Redis reports by its content here.
func ObjectEncoding(v Value, l EncodingLimits) string {
	switch v := v.(type) {
	case String:
		return stringEncoding(v)
	case compactString:
		return stringEncoding(v.Bytes())
	case *HLL:
		return "raw"
	case *List:
		return "quicklist"
	case *Hash:
		return hashEncoding(v, l)
	case *Set:
		return setEncoding(v, l)
	case *ZSet:
		return zsetEncoding(v, l)
	case *Stream:
		return "stream"
	}
	return "unknown"
}

// IsSharedInt reports whether Redis 7.0 shares s as one of its small
// integer objects (0..9999, OBJECT REFCOUNT 2147483647).
func IsSharedInt(s []byte) bool {
	return len(s) > 0 && len(s) <= 4 && s[0] != '-' && stringEncoding(s) == "int"
}

func stringEncoding(s []byte) string {
	if _, ok := ParseCanonicalInt(s); ok {
		return "int"
	}
	if len(s) <= embstrMax {
		return "embstr"
	}
	return "raw"
}

func hashEncoding(h *Hash, l EncodingLimits) string {
	if h.t.big || int64(h.Len()) > l.HashEntries {
		return "hashtable"
	}
	for i := range h.Len() {
		f, v := h.At(i)
		if int64(len(f)) > l.HashValue || int64(len(v)) > l.HashValue {
			return "hashtable"
		}
	}
	return "listpack"
}

func setEncoding(s *Set, l EncodingLimits) string {
	if s.t.big || int64(s.Len()) > l.SetIntsetEntries {
		return "hashtable"
	}
	for i := range s.Len() {
		if !isIntsetMember(s.At(i)) {
			return "hashtable"
		}
	}
	return "intset"
}

func zsetEncoding(z *ZSet, l EncodingLimits) string {
	fitsDefault := z.Len() <= ZSetListpackEntries && z.maxMemberLen() <= ZSetListpackValue
	if (!z.Listpack() && fitsDefault) || int64(z.Len()) > l.ZSetEntries || int64(z.maxMemberLen()) > l.ZSetValue {
		return "skiplist"
	}
	return "listpack"
}

// maxMemberLen is the length of the longest member.
func (z *ZSet) maxMemberLen() int {
	n := 0
	z.Ascend(0, func(m ZMember) bool {
		n = max(n, len(m.Member))
		return true
	})
	return n
}

// Outgrow converts z to the skiplist encoding, as Redis's zsetAdd does,
// when it holds more members than l.ZSetEntries or a member just added of
// memberLen bytes is longer than l.ZSetValue. Set converts by Redis's
// default limits; Outgrow applies the configured ones, so the encoding
// stays skiplist when the set shrinks back.
func (z *ZSet) Outgrow(memberLen int, l EncodingLimits) {
	if !z.skiplist && (int64(z.Len()) > l.ZSetEntries || int64(memberLen) > l.ZSetValue) {
		z.skiplist = true
	}
}

// Outgrow records, as Redis's hashTypeTryConversion and hashTypeSet do,
// that h no longer fits its listpack encoding after field was set to
// value: more than l.HashEntries fields, or either longer than
// l.HashValue bytes. The hash then reports hashtable until it is deleted,
// whatever it shrinks to.
func (h *Hash) Outgrow(field, value string, l EncodingLimits) {
	if !h.t.big && (int64(h.Len()) > l.HashEntries || int64(len(field)) > l.HashValue || int64(len(value)) > l.HashValue) {
		h.t.big = true
	}
}

// Outgrow records, as Redis's setTypeAdd does, that s no longer fits its
// intset encoding after member was added: more than l.SetIntsetEntries
// members, or a member that is not an integer. The set then reports
// hashtable until it is deleted, whatever it shrinks to.
func (s *Set) Outgrow(member string, l EncodingLimits) {
	if !s.t.big && (int64(s.Len()) > l.SetIntsetEntries || !isIntsetMember(member)) {
		s.t.big = true
	}
}

// isIntsetMember reports whether Redis's intset can hold m (string2ll).
func isIntsetMember(m string) bool {
	_, ok := ParseCanonicalInt([]byte(m))
	return ok
}

func ifByte(c bool, a, b byte) byte {
	if c {
		return a
	}
	return b
}
