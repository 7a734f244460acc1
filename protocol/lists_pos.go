package protocol

import (
	"bytes"

	"github.com/geetcache/geetcache/datatypes"
)

// lposOptions are LPOS's options; count is -1 when COUNT is not given.
type lposOptions struct {
	rank, count, maxlen int64
}

// parseLposOptions parses LPOS's [RANK rank] [COUNT num-matches]
// [MAXLEN len]; a later option overrides an earlier one. On bad input it
// replies and returns ok=false.
func parseLposOptions(c *Ctx, args [][]byte) (opt lposOptions, ok bool) {
	opt = lposOptions{rank: 1, count: -1}
	for j := 0; j < len(args); j += 2 {
		if j+1 == len(args) {
			c.Out.Error(ErrSyntax)
			return opt, false
		}
		if !opt.set(c, args[j], args[j+1]) {
			return opt, false
		}
	}
	return opt, true
}

// set parses one option name and value, replying on an error.
func (o *lposOptions) set(c *Ctx, name, val []byte) bool {
	v, isInt := ParseInt(val)
	var msg string
	switch {
	case EqualFold(name, "rank") && !isInt:
		msg = ErrNotInteger
	case EqualFold(name, "rank") && v == 0:
		msg = ErrLposRank
	case EqualFold(name, "rank"):
		o.rank = v
	case EqualFold(name, "count") && (!isInt || v < 0):
		msg = ErrLposCount
	case EqualFold(name, "count"):
		o.count = v
	case EqualFold(name, "maxlen") && (!isInt || v < 0):
		msg = ErrLposMaxlen
	case EqualFold(name, "maxlen"):
		o.maxlen = v
	default:
		msg = ErrSyntax
	}
	if msg != "" {
		c.Out.Error(msg)
	}
	return msg == ""
}

// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
//
// Without COUNT it replies with the first match's index or nil; with COUNT
// an array (COUNT 0: every match).
func lpos(c *Ctx) {
	opt, ok := parseLposOptions(c, c.Args[3:])
	if !ok {
		return
	}
	l, ok := lookupList(c, c.Args[1])
	switch {
	case !ok:
	case l == nil && opt.count == -1:
		c.Out.Null()
	case l == nil:
		c.Out.Array(0)
	default:
		replyPositions(c, opt, positions(l, c.Args[2], opt))
	}
}

func replyPositions(c *Ctx, opt lposOptions, found []int64) {
	if opt.count != -1 {
		c.Out.Array(len(found))
		for _, i := range found {
			c.Out.Int(i)
		}
		return
	}
	if len(found) == 0 {
		c.Out.Null()
		return
	}
	c.Out.Int(found[0])
}

// positions returns the indexes of the matches LPOS reports, following
// Redis's loop step by step in int64 arithmetic. Redis negates a negative
// rank in a C long: RANK -9223372036854775808 stays negative, every match
// is at or past the rank, and matches-rank+1 wraps below any COUNT, so the
// search runs from the tail and reports every match (or the first one
// without COUNT). Go's int64 wraps the same way.
func positions(l *datatypes.List, elem []byte, opt lposOptions) []int64 {
	rank, reverse := opt.rank, opt.rank < 0
	if reverse {
		rank = -rank
	}
	var found []int64
	var index, matches int64
	n := int64(l.Len())
	l.Each(reverse, func(e []byte) bool {
		if opt.maxlen != 0 && index >= opt.maxlen {
			return false
		}
		if bytes.Equal(e, elem) {
			if matches++; matches >= rank {
				found = append(found, position(index, n, reverse))
				if opt.count != -1 && (opt.count == 0 || matches-rank+1 < opt.count) {
					index++
					return true
				}
				return false
			}
		}
		index++
		return true
	})
	return found
}

// position turns the number of elements walked past into an index from the
// head.
func position(walked, n int64, reverse bool) int64 {
	if reverse {
		return n - walked - 1
	}
	return walked
}
