package protocol

import (
	"math"

	"github.com/geetcache/geetcache/datatypes"
)

// XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...]
//
// "*" takes the log entry's time, never a clock: every replica computes
// the same ID, and IDs only grow (see nextStreamID).
func xadd(c *Ctx) {
	lim := streamLimits(c)
	a, ok := parseTrimArgs(c, true, lim)
	if !ok {
		return
	}
	fv := c.Args[a.idPos+1:]
	if len(fv) < 2 || len(fv)%2 != 0 {
		c.Out.Error(ErrWrongArity("xadd"))
		return
	}
	if a.idGiven && a.seqGiven && a.id.IsZero() {
		c.Out.Error(ErrStreamIDZero)
		return
	}
	s, ok := xaddTarget(c, a.noMkStream)
	if !ok {
		return
	}
	id, errMsg := xaddID(c, s, a, fv)
	if errMsg != "" {
		c.Out.Error(errMsg)
		return
	}
	s.Append(id, fv, lim)
	StreamIDBulk(c.Out, id)
	c.Notify(NotifyStream, "xadd", c.Args[1])
	if a.strategy && s.Trim(a.trim) > 0 {
		c.Notify(NotifyStream, "xtrim", c.Args[1])
	}
}

// xaddTarget returns the stream XADD appends to, creating it unless
// noMkStream (then a missing key replies a null bulk and ok is false).
func xaddTarget(c *Ctx, noMkStream bool) (*datatypes.Stream, bool) {
	e := c.Lookup(c.Args[1])
	if e == nil {
		if noMkStream {
			c.Out.Null()
			return nil, false
		}
		s := datatypes.NewStream()
		c.DB.Set(string(c.Args[1]), s, 0)
		return s, true
	}
	if _, isStream := e.Value.(*datatypes.Stream); !isStream {
		c.Out.Error(ErrWrongType)
		return nil, false
	}
	return c.DB.Mutable(e).Value.(*datatypes.Stream), true
}

// xaddID is Redis's choice of the new entry's ID (streamAppendItem), or
// the error reply. A new empty stream stays when the ID is refused, as
// in Redis.
func xaddID(c *Ctx, s *datatypes.Stream, a trimArgs, fv [][]byte) (datatypes.StreamID, string) {
	last := s.LastID()
	if last == datatypes.MaxStreamID {
		return last, ErrStreamExhausted
	}
	var id datatypes.StreamID
	switch {
	case !a.idGiven:
		next, ok := nextStreamID(last, c.Now)
		if !ok {
			return id, ErrStreamIDSmall
		}
		id = next
	case a.seqGiven:
		id = a.id
	case a.id.Ms == last.Ms:
		if last.Seq == math.MaxUint64 {
			// Redis returns without setting errno here, and so answers
			// with its other error, as 7.0.15 does.
			return id, ErrStreamTooLarge
		}
		id = datatypes.StreamID{Ms: last.Ms, Seq: last.Seq + 1}
	default:
		id = a.id
	}
	if !last.Less(id) {
		return id, ErrStreamIDSmall
	}
	total := 0
	for _, b := range fv {
		total += len(b)
	}
	if total > streamMaxElements {
		return id, ErrStreamTooLarge
	}
	return id, ""
}
