package protocol

import (
	"math"

	"github.com/geetcache/geetcache/datatypes"
)

// scanStreamID parses a stream ID argument as Redis's
// streamGenericParseIDOrReply, without replying: "-" and "+" are the
// smallest and largest IDs unless strict; "ms" alone gets missingSeq;
// auto reports "ms-*", which only XADD accepts.
func scanStreamID(arg []byte, missingSeq uint64, strict bool) (id datatypes.StreamID, auto, ok bool) {
	if s := cString(arg); len(s) == 1 && (s[0] == '-' || s[0] == '+') && len(arg) <= 127 {
		switch {
		case strict:
			return datatypes.StreamID{}, false, false
		case s[0] == '-':
			return datatypes.StreamID{}, false, true
		}
		return datatypes.MaxStreamID, false, true
	}
	return datatypes.ParseStreamID(arg, missingSeq)
}

// parseStreamID is scanStreamID replying ErrStreamID on a bad ID; "ms-*"
// is accepted only where autoSeq is not nil (XADD), which then reports it.
func parseStreamID(c *Ctx, arg []byte, missingSeq uint64, strict bool, autoSeq *bool) (datatypes.StreamID, bool) {
	id, auto, ok := scanStreamID(arg, missingSeq, strict)
	if !ok || (auto && autoSeq == nil) {
		c.Out.Error(ErrStreamID)
		return datatypes.StreamID{}, false
	}
	if autoSeq != nil {
		*autoSeq = auto
	}
	return id, true
}

// ParseStrictStreamID parses an ID where "-" and "+" are not allowed
// (XDEL, XSETID, XREAD, XCLAIM...), replying ErrStreamID when it is bad.
func ParseStrictStreamID(c *Ctx, arg []byte) (datatypes.StreamID, bool) {
	return parseStreamID(c, arg, 0, true, nil)
}

// ParseRangeStreamID parses a range bound (XRANGE, XPENDING): "-", "+",
// "ms" (with missingSeq: 0 for a start, MaxUint64 for an end) or "ms-seq",
// replying ErrStreamID when it is bad.
func ParseRangeStreamID(c *Ctx, arg []byte, missingSeq uint64) (datatypes.StreamID, bool) {
	return parseStreamID(c, arg, missingSeq, false, nil)
}

// parseIntervalID parses an XRANGE bound that may start with "(" for an
// exclusive bound, as Redis's streamParseIntervalIDOrReply.
func parseIntervalID(c *Ctx, arg []byte, missingSeq uint64) (id datatypes.StreamID, exclusive, ok bool) {
	if len(arg) > 1 && arg[0] == '(' {
		id, ok = parseStreamID(c, arg[1:], missingSeq, true, nil)
		return id, true, ok
	}
	id, ok = ParseRangeStreamID(c, arg, missingSeq)
	return id, false, ok
}

// ParseStreamInterval parses XRANGE's start and end (exclusive bounds
// included), replying Redis's error when one is bad or cannot be moved
// past.
func ParseStreamInterval(c *Ctx, startArg, endArg []byte) (start, end datatypes.StreamID, ok bool) {
	start, ex, ok := parseIntervalID(c, startArg, 0)
	if !ok {
		return start, end, false
	}
	if ex {
		if start, ok = start.Next(); !ok {
			c.Out.Error(ErrStreamStartID)
			return start, end, false
		}
	}
	end, ex, ok = parseIntervalID(c, endArg, math.MaxUint64)
	if !ok {
		return start, end, false
	}
	if ex {
		if end, ok = end.Prev(); !ok {
			c.Out.Error(ErrStreamEndID)
			return start, end, false
		}
	}
	return start, end, true
}

// StreamIDBulk writes id as a bulk string.
func StreamIDBulk(w *Writer, id datatypes.StreamID) {
	var buf [48]byte
	w.Bulk(id.Append(buf[:0]))
}

// WriteStreamEntry writes one entry as Redis does: [id, [field, value, ...]].
func WriteStreamEntry(w *Writer, id datatypes.StreamID, fv [][]byte) {
	w.Array(2)
	StreamIDBulk(w, id)
	w.Array(len(fv))
	for _, b := range fv {
		w.Bulk(b)
	}
}

// WriteStreamRange writes the live entries of s within [start, end] (in
// reverse with rev), at most count of them (0: all), as an array; it
// returns how many it wrote. The array's length is written after the
// entries are known, without copying them.
func WriteStreamRange(w *Writer, s *datatypes.Stream, start, end datatypes.StreamID, rev bool, count int) int {
	n := 0
	s.RangeIDs(start, end, rev, func(datatypes.StreamID) bool {
		n++
		return count == 0 || n < count
	})
	w.Array(n)
	left := n
	s.Range(start, end, rev, func(id datatypes.StreamID, fv [][]byte) bool {
		WriteStreamEntry(w, id, fv)
		left--
		return left > 0
	})
	return n
}
