package protocol

import "github.com/geetcache/geetcache/datatypes"

// XACK key group id [id ...]
func xack(c *Ctx) {
	_, cg, ok := groupOf(c, c.Args[1], c.Args[2])
	if !ok {
		return
	}
	if cg == nil {
		c.Out.Int(0)
		return
	}
	ids, ok := parseGroupIDs(c, c.Args[3:])
	if !ok {
		return
	}
	var acked int64
	for _, id := range ids {
		if _, pending := cg.Pending(id); !pending {
			continue
		}
		if acked == 0 { // change a copy when a snapshot shares the stream
			cg = mutableStream(c, c.Args[1]).Groups().Get(c.Args[2])
		}
		if cg.Ack(id) {
			acked++
		}
	}
	c.AddDirty(acked)
	c.Out.Int(acked)
}

// parseGroupIDs parses strict IDs, replying the error of the first bad one.
func parseGroupIDs(c *Ctx, args [][]byte) ([]datatypes.StreamID, bool) {
	ids := make([]datatypes.StreamID, len(args))
	for i, arg := range args {
		var ok bool
		if ids[i], ok = parseGroupID(arg, 0, true); !ok {
			c.Out.Error(ErrStreamInvalidID)
			return nil, false
		}
	}
	return ids, true
}

// xpendingRange is XPENDING's extended form.
type xpendingRange struct {
	minIdle    int64
	start, end datatypes.StreamID
	count      int64
	consumer   []byte // nil: the whole group
}

// parseXPendingRange parses [IDLE min-idle-time] start end count
// [consumer] in Redis's order; empty reports an empty range (an exclusive
// bound past the last ID or before the first).
func parseXPendingRange(c *Ctx) (r xpendingRange, ok bool) {
	args := c.Args
	at := 3
	if EqualFold(args[3], "idle") {
		if r.minIdle, ok = ParseInt(args[4]); !ok {
			c.Out.Error(ErrNotInteger)
			return r, false
		}
		if len(args) < 8 {
			c.Out.Error(ErrSyntax)
			return r, false
		}
		at += 2
	}
	if r.count, ok = ParseInt(args[at+2]); !ok {
		c.Out.Error(ErrNotInteger)
		return r, false
	}
	r.count = max(r.count, 0)
	if r.start, ok = parseIntervalStart(c, args[at]); !ok {
		return r, false
	}
	if r.end, ok = parseIntervalEnd(c, args[at+1]); !ok {
		return r, false
	}
	if at+3 < len(args) {
		r.consumer = args[at+3]
	}
	return r, true
}

// parseIntervalStart parses a range's start, "(" making it exclusive.
func parseIntervalStart(c *Ctx, arg []byte) (datatypes.StreamID, bool) {
	id, excl, ok := parseGroupInterval(arg, 0)
	if !ok {
		c.Out.Error(ErrStreamInvalidID)
		return id, false
	}
	if excl {
		if id, ok = id.Next(); !ok {
			c.Out.Error(ErrIntervalStart)
			return id, false
		}
	}
	return id, true
}

// parseIntervalEnd parses a range's end, "(" making it exclusive.
func parseIntervalEnd(c *Ctx, arg []byte) (datatypes.StreamID, bool) {
	id, excl, ok := parseGroupInterval(arg, ^uint64(0))
	if !ok {
		c.Out.Error(ErrStreamInvalidID)
		return id, false
	}
	if excl {
		if id, ok = id.Prev(); !ok {
			c.Out.Error(ErrIntervalEnd)
			return id, false
		}
	}
	return id, true
}

// XPENDING key group [[IDLE min-idle-time] start end count [consumer]]
func xpending(c *Ctx) {
	n := len(c.Args)
	if n != 3 && (n < 6 || n > 9) {
		c.Out.Error(ErrSyntax)
		return
	}
	var r xpendingRange
	if n >= 6 {
		var ok bool
		if r, ok = parseXPendingRange(c); !ok {
			return
		}
	}
	_, cg, ok := groupOrReply(c)
	switch {
	case !ok:
	case n == 3:
		xpendingSummary(c, cg)
	default:
		xpendingEntries(c, cg, &r)
	}
}

// xpendingSummary writes [count, first, last, [[consumer, count]...]].
func xpendingSummary(c *Ctx, cg *datatypes.ConsumerGroup) {
	c.Out.Array(4)
	c.Out.Int(int64(cg.PendingLen()))
	first, ok := cg.FirstPending()
	if !ok {
		c.Out.Null()
		c.Out.Null()
		c.Out.NullArray()
		return
	}
	last, _ := cg.LastPending()
	StreamIDBulk(c.Out, first)
	StreamIDBulk(c.Out, last)
	var owners []*datatypes.Consumer
	cg.EachConsumer(func(con *datatypes.Consumer) bool {
		if con.PendingLen() > 0 {
			owners = append(owners, con)
		}
		return true
	})
	c.Out.Array(len(owners))
	for _, con := range owners {
		c.Out.Array(2)
		c.Out.BulkString(con.Name())
		c.Out.BulkInt(int64(con.PendingLen()))
	}
}

// xpendingEntries writes [id, consumer, idle, deliveries] for each pending
// entry in the range, at most count, idle at least minIdle.
func xpendingEntries(c *Ctx, cg *datatypes.ConsumerGroup, r *xpendingRange) {
	var list []datatypes.PendingEntry
	collect := func(p datatypes.PendingEntry) bool {
		if r.end.Less(p.ID) || int64(len(list)) >= r.count {
			return false
		}
		if r.minIdle == 0 || c.Now-p.DeliveryTime >= r.minIdle {
			list = append(list, p)
		}
		return true
	}
	if r.consumer == nil {
		cg.AscendPending(r.start, collect)
	} else if con := cg.Consumer(r.consumer); con != nil {
		con.AscendPending(r.start, func(id datatypes.StreamID) bool {
			p, _ := cg.Pending(id)
			return collect(p)
		})
	}
	c.Out.Array(len(list))
	for _, p := range list {
		c.Out.Array(4)
		StreamIDBulk(c.Out, p.ID)
		c.Out.BulkString(p.Consumer)
		c.Out.Int(idleSince(c.Now, p.DeliveryTime))
		c.Out.Int(int64(p.DeliveryCount))
	}
}
