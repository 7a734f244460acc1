package protocol

import (
	"strconv"

	"github.com/geetcache/geetcache/datatypes"
)

// xreadArgs are XREAD's parsed options.
type xreadArgs struct {
	block   bool
	timeout int64 // milliseconds, with block
	count   int64 // 0: no limit
	first   int   // index of the first key
	n       int   // number of streams
}

// xreadFlags routes XREAD with BLOCK as a blocking read.
func xreadFlags(args [][]byte) Flags {
	for i := 1; i < len(args); i++ {
		switch a := args[i]; {
		case optionIs(a, "block"):
			return Readonly | Blocking
		case optionIs(a, "count"):
			i++
		case optionIs(a, "streams"):
			return Readonly
		}
	}
	return Readonly
}

// parseXRead parses XREAD's options, replying on an error.
func parseXRead(c *Ctx) (a xreadArgs, ok bool) {
	for i := 1; i < len(c.Args); i++ {
		more := len(c.Args) - 1 - i
		switch o := c.Args[i]; {
		case optionIs(o, "block") && more > 0:
			if c.Script {
				c.Out.Error(ErrBlockInScript(c.Args[0]))
				return a, false
			}
			i++
			if a.timeout, ok = parseMsTimeout(c, c.Args[i]); !ok {
				return a, false
			}
			a.block = true
		case optionIs(o, "count") && more > 0:
			i++
			if a.count, ok = ParseInt(c.Args[i]); !ok {
				c.Out.Error(ErrNotInteger)
				return a, false
			}
			a.count = max(a.count, 0)
		case optionIs(o, "streams") && more > 0:
			if more%2 != 0 {
				c.Out.Error(ErrXReadUnbalanced)
				return a, false
			}
			a.first, a.n = i+1, more/2
			return a, true
		case optionIs(o, "group") && more >= 2:
			c.Out.Error(ErrXReadGroupOption)
			return a, false
		case optionIs(o, "noack"):
			c.Out.Error(ErrXReadNoAckOption)
			return a, false
		default:
			c.Out.Error(ErrSyntax)
			return a, false
		}
	}
	c.Out.Error(ErrSyntax)
	return a, false
}

// parseMsTimeout parses a timeout in milliseconds as Redis's
// getTimeoutFromObjectOrReply with UNIT_MILLISECONDS.
func parseMsTimeout(c *Ctx, arg []byte) (int64, bool) {
	ms, ok := ParseInt(arg)
	if !ok {
		c.Out.Error(ErrXReadTimeoutInt)
		return 0, false
	}
	if ms < 0 {
		c.Out.Error(ErrTimeoutNegative)
		return 0, false
	}
	return ms, true
}

// xreadIDs resolves each stream's ID ("$": the stream's last ID, 0-0 for
// a missing key), checking key types in order as Redis does; a blocked
// XREAD run again (c.Retry) counts a key of another type as missing
// (lookupSource).
func xreadIDs(c *Ctx, a xreadArgs) ([]datatypes.StreamID, []*datatypes.Stream, bool) {
	ids := make([]datatypes.StreamID, a.n)
	streams := make([]*datatypes.Stream, a.n)
	for i := range ids {
		s, ok := lookupSource[*datatypes.Stream](c, c.Args[a.first+i])
		if !ok {
			return nil, nil, false
		}
		streams[i] = s
		switch arg := c.Args[a.first+a.n+i]; {
		case string(arg) == "$":
			if s != nil {
				ids[i] = s.LastID()
			}
		case string(arg) == ">":
			c.Out.Error(ErrXReadGreaterID)
			return nil, nil, false
		default:
			if ids[i], ok = ParseStrictStreamID(c, arg); !ok {
				return nil, nil, false
			}
		}
	}
	return ids, streams, true
}

// XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]
//
// The handler never waits: with nothing to serve it replies a null array,
// and the server blocks the client (see Reblock). Inside MULTI, as in
// Redis, BLOCK then simply means no wait.
func xread(c *Ctx) {
	a, ok := parseXRead(c)
	if !ok {
		return
	}
	ids, streams, ok := xreadIDs(c, a)
	if !ok {
		return
	}
	for i, s := range streams {
		if c.readLookups() { // Redis looks every key up again to serve it
			c.Stats.count(s != nil)
			if s == nil {
				c.Notify(NotifyKeyMiss, "keymiss", c.Args[a.first+i])
			}
		}
	}
	serve := 0
	for i, s := range streams {
		if s != nil && s.Len() > 0 && ids[i].Less(s.LastLiveID()) {
			serve++
		} else {
			streams[i] = nil
		}
	}
	if serve == 0 {
		c.Out.NullArray()
		return
	}
	if c.Out.resp3() {
		c.Out.Map(serve)
	} else {
		c.Out.Array(serve)
	}
	for i, s := range streams {
		if s == nil {
			continue
		}
		if !c.Out.resp3() {
			c.Out.Array(2)
		}
		c.Out.Bulk(c.Args[a.first+i])
		start, _ := ids[i].Next()
		WriteStreamRange(c.Out, s, start, datatypes.MaxStreamID, false, int(a.count))
	}
}

// xreadReblock gives a blocked XREAD's retry: COUNT (1000 when none was
// given), the keys, and the IDs with "$" resolved now.
func xreadReblock(c *Ctx) (retry [][]byte, timeoutMs int64) {
	w := c.Out
	c.Out = &Writer{}
	defer func() { c.Out = w }()
	a, ok := parseXRead(c)
	if !ok {
		return nil, 0
	}
	ids, _, ok := xreadIDs(c, a)
	if !ok {
		return nil, 0
	}
	count := a.count
	if count == 0 {
		count = xreadBlockedCount
	}
	retry = [][]byte{c.Args[0], []byte("COUNT"), strconv.AppendInt(nil, count, 10), []byte("STREAMS")}
	retry = append(retry, c.Args[a.first:a.first+a.n]...)
	for _, id := range ids {
		retry = append(retry, id.Append(nil))
	}
	return retry, a.timeout
}
