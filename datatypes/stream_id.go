package datatypes

import (
	"math"
	"strconv"
)

// StreamID is a stream entry's ID: milliseconds and a sequence number,
// ordered by Ms then Seq. The zero StreamID is "0-0".
type StreamID struct {
	Ms, Seq uint64
}

// MaxStreamID is the largest ID, "18446744073709551615-18446744073709551615".
var MaxStreamID = StreamID{math.MaxUint64, math.MaxUint64}

// Compare returns -1, 0 or 1 as id is below, equal to or above o.
func (id StreamID) Compare(o StreamID) int {
	switch {
	case id.Ms < o.Ms:
		return -1
	case id.Ms > o.Ms:
		return 1
	case id.Seq < o.Seq:
		return -1
	case id.Seq > o.Seq:
		return 1
	}
	return 0
}

// Less reports whether id is below o.
func (id StreamID) Less(o StreamID) bool { return id.Compare(o) < 0 }

// IsZero reports whether id is 0-0.
func (id StreamID) IsZero() bool { return id.Ms == 0 && id.Seq == 0 }

// String formats id as "ms-seq".
func (id StreamID) String() string { return string(id.Append(nil)) }

// Append appends "ms-seq" to b.
func (id StreamID) Append(b []byte) []byte {
	b = strconv.AppendUint(b, id.Ms, 10)
	b = append(b, '-')
	return strconv.AppendUint(b, id.Seq, 10)
}

// Next returns the ID right after id; ok is false (and next is 0-0) when
// id is MaxStreamID, as Redis's streamIncrID.
func (id StreamID) Next() (next StreamID, ok bool) {
	switch {
	case id.Seq < math.MaxUint64:
		return StreamID{id.Ms, id.Seq + 1}, true
	case id.Ms < math.MaxUint64:
		return StreamID{id.Ms + 1, 0}, true
	}
	return StreamID{}, false
}

// Prev returns the ID right before id; ok is false (and prev is
// MaxStreamID) when id is 0-0, as Redis's streamDecrID.
func (id StreamID) Prev() (prev StreamID, ok bool) {
	switch {
	case id.Seq > 0:
		return StreamID{id.Ms, id.Seq - 1}, true
	case id.Ms > 0:
		return StreamID{id.Ms - 1, math.MaxUint64}, true
	}
	return MaxStreamID, false
}

// ParseStreamID parses "ms-seq" or "ms" (then seq is missingSeq) the way
// Redis 7.0's streamGenericParseIDOrReply does, minus the "-" and "+"
// shorthands, which callers handle: the text stops at a NUL byte, is at
// most 127 bytes, and each number is read by Redis's string2ull (so
// "+5", " 5" and "-01" (= 2^64-1) are numbers too). When "ms-*" is given
// autoSeq is true and the ID's Seq is 0: only XADD accepts that form.
func ParseStreamID(s []byte, missingSeq uint64) (id StreamID, autoSeq, ok bool) {
	if len(s) > 127 {
		return StreamID{}, false, false
	}
	for i, c := range s {
		if c == 0 {
			s = s[:i]
			break
		}
	}
	msPart, seqPart, hasSeq := cutByte(s, '-')
	ms, ok := string2ull(msPart)
	if !ok {
		return StreamID{}, false, false
	}
	if !hasSeq {
		return StreamID{ms, missingSeq}, false, true
	}
	if len(seqPart) == 1 && seqPart[0] == '*' {
		return StreamID{ms, 0}, true, true
	}
	seq, ok := string2ull(seqPart)
	return StreamID{ms, seq}, false, ok
}

func cutByte(s []byte, sep byte) (before, after []byte, found bool) {
	for i, c := range s {
		if c == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, nil, false
}

// string2ull is Redis's: a canonical int64 that is not negative, or else
// whatever C's strtoull accepts in full without overflow (leading
// whitespace, a sign, decimal digits; a '-' negates modulo 2^64).
func string2ull(s []byte) (uint64, bool) {
	if v, ok := ParseCanonicalInt(s); ok {
		return uint64(v), v >= 0
	}
	return strtoull(s)
}

// ParseCanonicalInt parses b as Redis's string2ll does: an optional '-',
// no '+', spaces or leading zeros, at most 20 bytes, within int64.
func ParseCanonicalInt(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	if len(b) == 1 && b[0] == '0' {
		return 0, true
	}
	neg := b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || b[0] < '1' || b[0] > '9' {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		if v > (math.MaxUint64-9)/10 {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return -int64(v), true
	}
	if v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}

// strtoull accepts what glibc's strtoull(s, &end, 10) consumes whole.
func strtoull(s []byte) (uint64, bool) {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	if i == len(s) {
		return 0, false
	}
	var v uint64
	for ; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if v > (math.MaxUint64-uint64(c-'0'))/10 {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

func isCSpace(c byte) bool {
	return c == ' ' || (c >= '\t' && c <= '\r')
}
