package protocol

import "github.com/geetcache/geetcache/datatypes"

// xreadBlockedCount is the COUNT a blocked XREAD/XREADGROUP is served with
// when it gave none (Redis's XREAD_BLOCKED_DEFAULT_COUNT).
const xreadBlockedCount = 1000

// xreadGroupArgs is a parsed XREADGROUP call.
type xreadGroupArgs struct {
	group, consumer []byte
	count           int64 // 0: no limit
	block           bool
	noack           bool
	keys, ids       [][]byte
}

// xreadgroupCallFlags makes XREADGROUP a blocking command only when it
// names BLOCK: without it, a null reply is an answer, not a wait.
func xreadgroupCallFlags(args [][]byte) Flags {
	a, ok := scanXReadGroup(args)
	if ok && a.block {
		return Write | Blocking
	}
	return Write
}

// scanXReadGroup parses the options without judging their values.
func scanXReadGroup(args [][]byte) (a xreadGroupArgs, ok bool) {
	for i := 1; i < len(args); i++ {
		more := len(args) - i - 1
		switch {
		case EqualFold(args[i], "block") && more > 0:
			a.block = true
			i++
		case EqualFold(args[i], "count") && more > 0:
			i++
		case EqualFold(args[i], "streams") && more > 0:
			rest := args[i+1:]
			a.keys, a.ids = rest[:len(rest)/2], rest[len(rest)/2:]
			return a, len(rest)%2 == 0
		case EqualFold(args[i], "group") && more >= 2:
			a.group, a.consumer = args[i+1], args[i+2]
			i += 2
		case EqualFold(args[i], "noack"):
			a.noack = true
		default:
			return a, false
		}
	}
	return a, false
}

// parseXReadGroup parses XREADGROUP's options as Redis's xreadCommand
// does, replying its errors in its order.
func parseXReadGroup(c *Ctx) (a xreadGroupArgs, ok bool) {
	args := c.Args
	for i := 1; i < len(args); i++ {
		more := len(args) - i - 1
		switch {
		case EqualFold(args[i], "block") && more > 0:
			i++
			if errMsg := checkBlockMs(c, args[i]); errMsg != "" {
				c.Out.Error(errMsg)
				return a, false
			}
			a.block = true
		case EqualFold(args[i], "count") && more > 0:
			i++
			n, ok := ParseInt(args[i])
			if !ok {
				c.Out.Error(ErrNotInteger)
				return a, false
			}
			a.count = max(n, 0)
		case EqualFold(args[i], "streams") && more > 0:
			rest := args[i+1:]
			if len(rest)%2 != 0 {
				c.Out.Error(ErrXReadUnbalanced)
				return a, false
			}
			a.keys, a.ids = rest[:len(rest)/2], rest[len(rest)/2:]
			i = len(args)
		case EqualFold(args[i], "group") && more >= 2:
			a.group, a.consumer = args[i+1], args[i+2]
			i += 2
		case EqualFold(args[i], "noack"):
			a.noack = true
		default:
			c.Out.Error(ErrSyntax)
			return a, false
		}
	}
	switch {
	case a.keys == nil:
		c.Out.Error(ErrSyntax)
		return a, false
	case a.group == nil:
		c.Out.Error(ErrXReadGroupMissing)
		return a, false
	}
	return a, true
}

// checkBlockMs returns Redis's error for a bad BLOCK milliseconds value,
// "" when it is fine; a script may not block at all.
func checkBlockMs(c *Ctx, arg []byte) string {
	if c.Script {
		return ErrBlockInScript(c.Args[0])
	}
	n, ok := ParseInt(arg)
	switch {
	case !ok:
		return ErrBlockTimeoutNotInt
	case n < 0:
		return ErrTimeoutNegative
	}
	return ""
}

// groupTarget is one stream of an XREADGROUP call: its key, and the ID
// after which to read its consumer's history, or newOnly for ">".
type groupTarget struct {
	key     []byte
	after   datatypes.StreamID
	newOnly bool
}

// XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...]
func xreadgroup(c *Ctx) {
	a, ok := parseXReadGroup(c)
	if !ok {
		return
	}
	targets, ok := resolveGroupTargets(c, &a)
	if !ok {
		return
	}
	if c.Retry && a.count == 0 {
		a.count = xreadBlockedCount
	}
	var body Writer
	body.Proto = c.Out.Proto
	served := 0
	for _, t := range targets {
		if serveGroupTarget(c, &a, t, &body) {
			served++
		}
	}
	if served == 0 {
		c.Out.NullArray()
		return
	}
	if c.Out.Proto == 3 {
		c.Out.Map(served)
	} else {
		c.Out.Array(served)
	}
	c.Out.Raw(body.B)
}

// resolveGroupTargets checks each stream and its ID in order, replying the
// first error as Redis does. A retried blocked call answers a stream or a
// group that went away as Redis answers the client it unblocks.
func resolveGroupTargets(c *Ctx, a *xreadGroupArgs) ([]groupTarget, bool) {
	targets := make([]groupTarget, len(a.keys))
	for i, key := range a.keys {
		if c.Retry {
			if msg := retryGone(c, key, a.group); msg != "" {
				c.Out.Error(msg)
				return nil, false
			}
		}
		_, cg, ok := groupOf(c, key, a.group)
		switch {
		case !ok:
			return nil, false
		case cg == nil:
			c.Out.Error(ErrNoKeyOrGroupRead(key, a.group))
			return nil, false
		}
		targets[i] = groupTarget{key: key}
		switch string(a.ids[i]) {
		case "$":
			c.Out.Error(ErrXReadGroupDollar)
			return nil, false
		case ">":
			targets[i].newOnly = true
		default:
			if targets[i].after, ok = parseGroupID(a.ids[i], 0, true); !ok {
				c.Out.Error(ErrStreamInvalidID)
				return nil, false
			}
			// Redis marks ">" with the largest ID: naming it reads new entries too.
			targets[i].newOnly = targets[i].after == datatypes.MaxStreamID
		}
	}
	return targets, true
}

// retryGone is the error Redis gives a client blocked in XREADGROUP when
// its stream or its group went away, "" when both are there.
func retryGone(c *Ctx, key, group []byte) string {
	e := c.Lookup(key)
	if e == nil {
		return ErrUnblockedStreamGone
	}
	s, ok := e.Value.(*datatypes.Stream)
	switch {
	case !ok:
		return ErrUnblockedStreamGone
	case s.Groups().Get(group) == nil:
		return ErrUnblockedGroupGone
	}
	return ""
}

// serveGroupTarget writes [key, entries] for one stream to w when Redis
// would serve it now: always for a history read, for ">" when the stream
// holds an entry after the group's last delivered ID.
func serveGroupTarget(c *Ctx, a *xreadGroupArgs, t groupTarget, w *Writer) bool {
	s, _ := streamOf(c, t.key)
	if s == nil {
		return false // the same key named twice, deleted meanwhile: cannot happen in one call
	}
	cg := s.Groups().Get(a.group)
	if t.newOnly {
		if last := s.LastLiveID(); s.Len() == 0 || !cg.LastID.Less(last) {
			return false
		}
	}
	s = mutableStream(c, t.key)
	cg = s.Groups().Get(a.group)
	consumer := touchConsumer(c, cg, a.consumer, t.key)
	c.AddDirty(1) // each stream served, as Redis counts
	if w.Proto != 3 {
		w.Array(2)
	}
	w.Bulk(t.key)
	if t.newOnly {
		deliverNew(c, s, cg, consumer, a, w)
	} else {
		deliverHistory(c, s, cg, consumer, t.after, a.count, w)
	}
	return true
}

// deliverNew writes the entries after the group's last delivered ID and
// delivers them to consumer (streamReplyWithRange with a group).
func deliverNew(c *Ctx, s *datatypes.Stream, cg *datatypes.ConsumerGroup, consumer *datatypes.Consumer, a *xreadGroupArgs, w *Writer) {
	var entries Writer
	entries.Proto = w.Proto
	n := int64(0)
	start, _ := cg.LastID.Next()
	s.Range(start, datatypes.MaxStreamID, false, func(id datatypes.StreamID, fv [][]byte) bool {
		s.DeliverTo(cg, id)
		WriteStreamEntry(&entries, id, fv)
		if !a.noack {
			cg.Deliver(id, consumer, c.Now)
		}
		n++
		return a.count == 0 || n < a.count
	})
	w.Array(int(n))
	w.Raw(entries.B)
}

// deliverHistory writes the consumer's pending entries after after
// (streamReplyWithRangeFromConsumerPEL): a deleted entry as [id, nil];
// each one still in the stream counts one more delivery, now.
func deliverHistory(c *Ctx, s *datatypes.Stream, cg *datatypes.ConsumerGroup, consumer *datatypes.Consumer, after datatypes.StreamID, count int64, w *Writer) {
	var ids []datatypes.StreamID
	start, _ := after.Next()
	consumer.AscendPending(start, func(id datatypes.StreamID) bool {
		ids = append(ids, id)
		return count == 0 || int64(len(ids)) < count
	})
	w.Array(len(ids))
	var fv [][]byte
	for _, id := range ids {
		var found bool
		if fv, found = s.Get(id, fv[:0]); !found {
			w.Array(2)
			StreamIDBulk(w, id)
			w.NullArray()
			continue
		}
		WriteStreamEntry(w, id, fv)
		p, _ := cg.Pending(id)
		cg.Claim(id, consumer, c.Now, p.DeliveryCount+1)
	}
}
