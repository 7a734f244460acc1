package protocol

import "github.com/geetcache/geetcache/datatypes"

// xclaimArgs is a parsed XCLAIM call.
type xclaimArgs struct {
	minIdle      int64
	ids          []datatypes.StreamID
	deliveryTime int64 // -1: not given (IDLE, TIME)
	retryCount   int64 // -1: not given
	force        bool
	justID       bool
	lastID       datatypes.StreamID
}

// parseXClaim parses min-idle-time, the IDs (up to the first argument that
// is not one) and the options, as Redis's xclaimCommand does.
func parseXClaim(c *Ctx) (a xclaimArgs, ok bool) {
	if a.minIdle, ok = ParseInt(c.Args[4]); !ok {
		c.Out.Error(ErrXClaimMinIdle)
		return a, false
	}
	a.minIdle = max(a.minIdle, 0)
	a.deliveryTime, a.retryCount = -1, -1
	j := 5
	for ; j < len(c.Args); j++ {
		id, ok := parseGroupID(c.Args[j], 0, true)
		if !ok {
			break
		}
		a.ids = append(a.ids, id)
	}
	for ; j < len(c.Args); j++ {
		if j, ok = parseXClaimOption(c, &a, j); !ok {
			return a, false
		}
	}
	if a.deliveryTime != -1 && (a.deliveryTime < 0 || a.deliveryTime > c.Now) {
		a.deliveryTime = c.Now // a bogus time becomes now, as in Redis
	} else if a.deliveryTime == -1 {
		a.deliveryTime = c.Now
	}
	return a, true
}

// parseXClaimOption parses the option at j and returns where it ends.
func parseXClaimOption(c *Ctx, a *xclaimArgs, j int) (int, bool) {
	opt, more := c.Args[j], j < len(c.Args)-1
	intArg := func(errMsg string) (int64, bool) {
		n, ok := ParseInt(c.Args[j+1])
		if !ok {
			c.Out.Error(errMsg)
		}
		return n, ok
	}
	var ok bool
	switch {
	case EqualFold(opt, "force"):
		a.force = true
		return j, true
	case EqualFold(opt, "justid"):
		a.justID = true
		return j, true
	case EqualFold(opt, "idle") && more:
		var idle int64
		if idle, ok = intArg(ErrXClaimIdle); ok {
			a.deliveryTime = c.Now - idle
		}
	case EqualFold(opt, "time") && more:
		a.deliveryTime, ok = intArg(ErrXClaimTime)
	case EqualFold(opt, "retrycount") && more:
		a.retryCount, ok = intArg(ErrXClaimRetryCount)
	case EqualFold(opt, "lastid") && more:
		if a.lastID, ok = parseGroupID(c.Args[j+1], 0, true); !ok {
			c.Out.Error(ErrStreamInvalidID)
		}
	default:
		c.Out.Error(ErrXClaimOption(opt))
		return j, false
	}
	return j + 1, ok
}

// XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]
func xclaim(c *Ctx) {
	s, cg, ok := groupOrReply(c)
	if !ok {
		return
	}
	a, ok := parseXClaim(c)
	if !ok {
		return
	}
	s = mutableStream(c, c.Args[1])
	cg = s.Groups().Get(c.Args[2])
	lastIDMoved := cg.LastID.Less(a.lastID)
	if lastIDMoved {
		cg.LastID = a.lastID
	}
	var out Writer
	out.Proto = c.Out.Proto
	n, dropped := 0, 0
	var consumer *datatypes.Consumer
	var fv [][]byte
	for _, id := range a.ids {
		p, pending := cg.Pending(id)
		var exists bool
		if fv, exists = s.Get(id, fv[:0]); !exists {
			if cg.Ack(id) { // the entry is gone: so is its PEL entry
				dropped++
			}
			continue
		}
		forced := a.force && !pending
		switch {
		case forced:
			p = datatypes.PendingEntry{ID: id, DeliveryCount: 1}
		case !pending:
			continue
		case a.minIdle > 0 && c.Now-p.DeliveryTime < a.minIdle:
			continue
		}
		if consumer == nil {
			consumer = touchConsumer(c, cg, c.Args[3], c.Args[1])
		}
		cg.Claim(id, consumer, a.deliveryTime, claimCount(p.DeliveryCount, a.retryCount, a.justID))
		if a.justID {
			StreamIDBulk(&out, id)
		} else {
			WriteStreamEntry(&out, id, fv)
		}
		n++
	}
	c.AddDirty(xclaimChanges(n, dropped, lastIDMoved))
	c.Out.Array(n)
	c.Out.Raw(out.B)
}

// xclaimChanges is what XCLAIM adds to the dirty counter, as Redis counts
// (besides a consumer created): each entry claimed and each PEL entry
// dropped, or 1 when there was none but LASTID moved the group's last ID.
func xclaimChanges(claimed, dropped int, lastIDMoved bool) int64 {
	if claimed+dropped == 0 && lastIDMoved {
		return 1
	}
	return int64(claimed + dropped)
}

// claimCount is the delivery count after a claim: RETRYCOUNT when given,
// else one more unless JUSTID.
func claimCount(count uint64, retry int64, justID bool) uint64 {
	switch {
	case retry >= 0:
		return uint64(retry)
	case justID:
		return count
	}
	return count + 1
}

// xautoclaimArgs is a parsed XAUTOCLAIM call.
type xautoclaimArgs struct {
	minIdle int64
	start   datatypes.StreamID
	count   int64
	justID  bool
}

func parseXAutoClaim(c *Ctx) (a xautoclaimArgs, ok bool) {
	if a.minIdle, ok = ParseInt(c.Args[4]); !ok {
		c.Out.Error(ErrXAutoClaimMinIdle)
		return a, false
	}
	a.minIdle = max(a.minIdle, 0)
	if a.start, ok = parseIntervalStart(c, c.Args[5]); !ok {
		return a, false
	}
	a.count = 100
	for j := 6; j < len(c.Args); j++ {
		switch {
		case EqualFold(c.Args[j], "count") && j < len(c.Args)-1:
			n, ok := ParseInt(c.Args[j+1])
			if !ok || n < 1 || n > xautoclaimMaxCount {
				c.Out.Error(ErrXAutoClaimCount)
				return a, false
			}
			a.count = n
			j++
		case EqualFold(c.Args[j], "justid"):
			a.justID = true
		default:
			c.Out.Error(ErrSyntax)
			return a, false
		}
	}
	return a, true
}

// XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]
func xautoclaim(c *Ctx) {
	a, ok := parseXAutoClaim(c)
	if !ok {
		return
	}
	s, cg, ok := groupOrReply(c)
	if !ok {
		return
	}
	s = mutableStream(c, c.Args[1])
	cg = s.Groups().Get(c.Args[2])
	ac := autoClaim{c: c, s: s, cg: cg, a: &a}
	ac.out.Proto = c.Out.Proto
	next := ac.run()
	c.AddDirty(int64(ac.claimed + len(ac.deleted)))
	c.Out.Array(3)
	StreamIDBulk(c.Out, next)
	c.Out.Array(ac.claimed)
	c.Out.Raw(ac.out.B)
	c.Out.Array(len(ac.deleted))
	for _, id := range ac.deleted {
		StreamIDBulk(c.Out, id)
	}
}

// autoClaim is one XAUTOCLAIM scan of a group's PEL.
type autoClaim struct {
	c        *Ctx
	s        *datatypes.Stream
	cg       *datatypes.ConsumerGroup
	a        *xautoclaimArgs
	consumer *datatypes.Consumer
	out      Writer
	claimed  int
	deleted  []datatypes.StreamID
}

// run walks the PEL from the start ID as Redis's loop does: at most COUNT
// entries claimed or found deleted, at most 10*COUNT looked at. It returns
// the cursor for the next call: the next pending ID, or 0-0 at the end.
func (ac *autoClaim) run() datatypes.StreamID {
	attempts, count := ac.a.count*10, ac.a.count
	cursor, more := ac.a.start, true
	for more && attempts > 0 && count > 0 {
		attempts--
		p, ok := nextPending(ac.cg, cursor)
		if !ok {
			return datatypes.StreamID{}
		}
		cursor, more = p.ID.Next()
		if ac.claim(p) {
			count--
		}
	}
	if !more {
		return datatypes.StreamID{}
	}
	p, ok := nextPending(ac.cg, cursor)
	if !ok {
		return datatypes.StreamID{}
	}
	return p.ID
}

// claim handles one pending entry and reports whether it counts against
// COUNT: claimed, or dropped because the entry was deleted.
func (ac *autoClaim) claim(p datatypes.PendingEntry) bool {
	c := ac.c
	fv, exists := ac.s.Get(p.ID, nil)
	if !exists {
		ac.cg.Ack(p.ID)
		ac.deleted = append(ac.deleted, p.ID)
		return true
	}
	if ac.a.minIdle > 0 && c.Now-p.DeliveryTime < ac.a.minIdle {
		return false
	}
	if ac.consumer == nil {
		ac.consumer = touchConsumer(c, ac.cg, c.Args[3], c.Args[1])
	}
	ac.cg.Claim(p.ID, ac.consumer, c.Now, claimCount(p.DeliveryCount, -1, ac.a.justID))
	if ac.a.justID {
		StreamIDBulk(&ac.out, p.ID)
	} else {
		WriteStreamEntry(&ac.out, p.ID, fv)
	}
	ac.claimed++
	return true
}

// nextPending returns the first PEL entry at or after from.
func nextPending(cg *datatypes.ConsumerGroup, from datatypes.StreamID) (p datatypes.PendingEntry, ok bool) {
	cg.AscendPending(from, func(e datatypes.PendingEntry) bool {
		p, ok = e, true
		return false
	})
	return p, ok
}
