package protocol

import "github.com/geetcache/geetcache/datatypes"

// trimArgs are XADD's and XTRIM's options, as Redis's
// streamParseAddOrTrimArgsOrReply parses them.
type trimArgs struct {
	trim       datatypes.StreamTrim
	strategy   bool // MAXLEN or MINID was given
	limitGiven bool
	noMkStream bool
	id         datatypes.StreamID
	idGiven    bool
	seqGiven   bool
	idPos      int // XADD: where the ID argument is
}

// parseTrimArgs parses the options from c.Args[2]; for XADD it stops at
// the ID ("*" or an explicit one). It replies and returns false on an
// error. lim gives the default LIMIT of an approximate trim.
func parseTrimArgs(c *Ctx, xadd bool, lim datatypes.StreamNodeLimits) (a trimArgs, ok bool) {
	i := 2
	for ; i < len(c.Args); i++ {
		more := len(c.Args) - 1 - i
		opt := c.Args[i]
		switch {
		case xadd && len(cString(opt)) == 1 && opt[0] == '*':
			a.idPos = i
			return a, a.finish(c, xadd, lim)
		case optionIs(opt, "maxlen") && more > 0, optionIs(opt, "minid") && more > 0:
			if i, ok = a.parseStrategy(c, i, optionIs(opt, "minid")); !ok {
				return a, false
			}
		case optionIs(opt, "limit") && more > 0:
			n, ok := ParseInt(c.Args[i+1])
			if !ok {
				c.Out.Error(ErrNotInteger)
				return a, false
			}
			if n < 0 {
				c.Out.Error(ErrStreamLimitNeg)
				return a, false
			}
			a.trim.Limit, a.limitGiven = n, true
			i++
		case xadd && optionIs(opt, "nomkstream"):
			a.noMkStream = true
		case xadd:
			auto := false
			if a.id, ok = parseStreamID(c, opt, 0, true, &auto); !ok {
				return a, false
			}
			a.idGiven, a.seqGiven, a.idPos = true, !auto, i
			return a, a.finish(c, xadd, lim)
		default:
			c.Out.Error(ErrSyntax)
			return a, false
		}
	}
	a.idPos = i
	return a, a.finish(c, xadd, lim)
}

// parseStrategy parses MAXLEN|MINID [=|~] threshold at c.Args[i] and
// returns the index of the threshold.
func (a *trimArgs) parseStrategy(c *Ctx, i int, minID bool) (int, bool) {
	if a.strategy {
		c.Out.Error(ErrStreamBothTrims)
		return i, false
	}
	a.trim.Approx = false
	more := len(c.Args) - 1 - i
	if next := cString(c.Args[i+1]); more >= 2 && len(next) == 1 && (next[0] == '~' || next[0] == '=') {
		a.trim.Approx = next[0] == '~'
		i++
	}
	arg := c.Args[i+1]
	if minID {
		id, ok := ParseStrictStreamID(c, arg)
		if !ok {
			return i, false
		}
		a.trim.ByMinID, a.trim.MinID = true, id
	} else {
		n, ok := ParseInt(arg)
		if !ok {
			c.Out.Error(ErrNotInteger)
			return i, false
		}
		if n < 0 {
			c.Out.Error(ErrStreamMaxLenNeg)
			return i, false
		}
		a.trim.MaxLen = uint64(n)
	}
	a.strategy = true
	return i + 1, true
}

// finish checks the options together and sets the default LIMIT.
func (a *trimArgs) finish(c *Ctx, xadd bool, lim datatypes.StreamNodeLimits) bool {
	switch {
	case a.trim.Limit != 0 && !a.strategy:
		c.Out.Error(ErrStreamLimitNoTrim)
		return false
	case !xadd && !a.strategy:
		c.Out.Error(ErrStreamXtrimNoTrim)
		return false
	case a.limitGiven && !a.trim.Approx:
		c.Out.Error(ErrStreamLimitNoApprx)
		return false
	case !a.limitGiven && a.trim.Approx:
		a.trim.Limit = min(max(100*lim.MaxEntries, 0), 1000000)
		if a.trim.Limit == 0 {
			a.trim.Limit = 10000
		}
	case !a.trim.Approx:
		a.trim.Limit = 0
	}
	return true
}

// XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]
func xtrim(c *Ctx) {
	lim := streamLimits(c)
	a, ok := parseTrimArgs(c, false, lim)
	if !ok {
		return
	}
	s, ok := writableStream(c, c.Args[1])
	if !ok {
		return
	}
	if s == nil {
		c.Out.Int(0)
		return
	}
	n := s.Trim(a.trim)
	if n > 0 {
		c.Notify(NotifyStream, "xtrim", c.Args[1])
	}
	c.AddDirty(n)
	c.Out.Int(n)
}
