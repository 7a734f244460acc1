package protocol

import "github.com/geetcache/geetcache/datatypes"

// streamLevel is the command level (Table.Level) of the stream commands:
// a binary without them refuses their log entries.
const streamLevel = 3

// streamCommands is the stream family without consumer groups. Each
// command's handler starts with its usage line.
var streamCommands = []*Command{
	{Name: "xadd", Arity: -5, Flags: Write | DenyOOM | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "stream", Since: "5.0.0", Summary: "Appends a new entry to a stream", Level: streamLevel,
		Handler: HandlerFunc(xadd)},
	{Name: "xlen", Arity: 2, Flags: Readonly | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "stream", Since: "5.0.0", Summary: "Return the number of entries in a stream", Level: streamLevel,
		Handler: HandlerFunc(xlen)},
	{Name: "xrange", Arity: -4, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "stream", Since: "5.0.0", Summary: "Return a range of elements in a stream, with IDs matching the specified IDs interval", Level: streamLevel,
		Handler: HandlerFunc(xrange)},
	{Name: "xrevrange", Arity: -4, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "stream", Since: "5.0.0", Summary: "Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order (from greater to smaller IDs) compared to XRANGE", Level: streamLevel,
		Handler: HandlerFunc(xrevrange)},
	{Name: "xdel", Arity: -3, Flags: Write | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "stream", Since: "5.0.0", Summary: "Removes the specified entries from the stream. Returns the number of items actually deleted, that may be different from the number of IDs passed in case certain IDs do not exist.", Level: streamLevel,
		Handler: HandlerFunc(xdel)},
	{Name: "xtrim", Arity: -4, Flags: Write, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "stream", Since: "5.0.0", Summary: "Trims the stream to (approximately if '~' is passed) a certain size", Level: streamLevel,
		Handler: HandlerFunc(xtrim)},
	{Name: "xsetid", Arity: -3, Flags: Write | DenyOOM | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "stream", Since: "5.0.0", Summary: "An internal command for replicating stream values", Level: streamLevel,
		Handler: HandlerFunc(xsetid)},
	{Name: "xread", Arity: -4, Flags: Readonly | Blocking, Keys: streamsKeys, CallFlags: xreadFlags, Reblock: xreadReblock,
		Group: "stream", Since: "5.0.0", Summary: "Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for each stream. Can block.", Level: streamLevel,
		Handler: HandlerFunc(xread)},
}

// LookupStream returns the stream at key, nil when the key is missing; on
// a key of another type it replies WRONGTYPE and returns ok=false.
func LookupStream(c *Ctx, key []byte) (*datatypes.Stream, bool) {
	return lookupTyped[*datatypes.Stream](c, key)
}

// writableStream is LookupStream for changing the stream in place (nil
// when the key is missing).
func writableStream(c *Ctx, key []byte) (*datatypes.Stream, bool) {
	return writableTyped[*datatypes.Stream](c, key, nil)
}

// WritableStream is writableStream for the consumer group commands.
func WritableStream(c *Ctx, key []byte) (*datatypes.Stream, bool) { return writableStream(c, key) }

// streamLimits returns the node limits XADD appends with.
func streamLimits(c *Ctx) datatypes.StreamNodeLimits {
	if c.StreamLimits != nil {
		return *c.StreamLimits
	}
	return datatypes.DefaultStreamNodeLimits
}

// XLEN key
func xlen(c *Ctx) {
	if s, ok := LookupStream(c, c.Args[1]); ok {
		if s == nil {
			c.Out.Int(0)
			return
		}
		c.Out.Int(int64(s.Len()))
	}
}

// XRANGE key start end [COUNT count]
func xrange(c *Ctx) { xrangeGeneric(c, false) }

// XREVRANGE key end start [COUNT count]
func xrevrange(c *Ctx) { xrangeGeneric(c, true) }

func xrangeGeneric(c *Ctx, rev bool) {
	startArg, endArg := c.Args[2], c.Args[3]
	if rev {
		startArg, endArg = endArg, startArg
	}
	start, end, ok := ParseStreamInterval(c, startArg, endArg)
	if !ok {
		return
	}
	count := int64(-1)
	for j := 4; j < len(c.Args); j++ {
		if !optionIs(c.Args[j], "count") || j+1 >= len(c.Args) {
			c.Out.Error(ErrSyntax)
			return
		}
		if count, ok = ParseInt(c.Args[j+1]); !ok {
			c.Out.Error(ErrNotInteger)
			return
		}
		count = max(count, 0)
		j++
	}
	s, ok := LookupStream(c, c.Args[1])
	switch {
	case !ok:
	case s == nil:
		c.Out.Array(0)
	case count == 0:
		c.Out.NullArray()
	default:
		WriteStreamRange(c.Out, s, start, end, rev, int(max(count, 0)))
	}
}

// XDEL key id [id ...]
func xdel(c *Ctx) {
	s, ok := LookupStream(c, c.Args[1])
	if !ok || s == nil {
		if ok {
			c.Out.Int(0)
		}
		return
	}
	ids := make([]datatypes.StreamID, 0, len(c.Args)-2)
	present := false
	for _, arg := range c.Args[2:] {
		id, ok := ParseStrictStreamID(c, arg)
		if !ok {
			return
		}
		ids = append(ids, id)
		present = present || s.Has(id)
	}
	deleted := 0
	if present {
		s, _ = writableStream(c, c.Args[1])
		for _, id := range ids {
			if s.Delete(id) {
				deleted++
			}
		}
	}
	if deleted > 0 {
		c.Notify(NotifyStream, "xdel", c.Args[1])
	}
	c.AddDirty(int64(deleted))
	c.Out.Int(int64(deleted))
}

// XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]
func xsetid(c *Ctx) {
	id, ok := ParseStrictStreamID(c, c.Args[2])
	if !ok {
		return
	}
	entriesAdded := int64(-1)
	var maxDeleted datatypes.StreamID
	for i := 3; i < len(c.Args); i += 2 {
		more := len(c.Args) - 1 - i
		switch {
		case optionIs(c.Args[i], "entriesadded") && more > 0:
			if entriesAdded, ok = ParseInt(c.Args[i+1]); !ok {
				c.Out.Error(ErrNotInteger)
				return
			}
			if entriesAdded < 0 {
				c.Out.Error(ErrXSetIDNegative)
				return
			}
		case optionIs(c.Args[i], "maxdeletedid") && more > 0:
			if maxDeleted, ok = ParseStrictStreamID(c, c.Args[i+1]); !ok {
				return
			}
			if id.Less(maxDeleted) {
				c.Out.Error(ErrXSetIDMaxDeleted)
				return
			}
		default:
			c.Out.Error(ErrSyntax)
			return
		}
	}
	xsetidApply(c, id, entriesAdded, maxDeleted)
}

func xsetidApply(c *Ctx, id datatypes.StreamID, entriesAdded int64, maxDeleted datatypes.StreamID) {
	e := c.Lookup(c.Args[1])
	if e == nil {
		c.Out.Error(ErrNoSuchKey)
		return
	}
	if _, isStream := e.Value.(*datatypes.Stream); !isStream {
		c.Out.Error(ErrWrongType)
		return
	}
	s := e.Value.(*datatypes.Stream)
	if s.Len() > 0 {
		if id.Less(s.LastLiveID()) {
			c.Out.Error(ErrXSetIDSmall)
			return
		}
		if entriesAdded != -1 && s.Len() > uint64(entriesAdded) {
			c.Out.Error(ErrXSetIDEntriesAdded)
			return
		}
	}
	s = c.DB.Mutable(e).Value.(*datatypes.Stream)
	s.SetLastID(id)
	if entriesAdded != -1 {
		s.SetEntriesAdded(uint64(entriesAdded))
	}
	if !maxDeleted.IsZero() {
		s.SetMaxDeletedID(maxDeleted)
	}
	c.Notify(NotifyStream, "xsetid", c.Args[1])
	c.Out.OK()
}

// streamMaxElements is Redis's STREAM_LISTPACK_MAX_SIZE: the most bytes
// one entry's fields and values may hold.
const streamMaxElements = 1 << 30

// nextStreamID is the ID XADD gives an entry with "*" at time now (the log
// entry's, never a clock's): now's milliseconds if above the last ID's,
// else the last ID's successor. ok is false when there is none.
func nextStreamID(last datatypes.StreamID, now int64) (datatypes.StreamID, bool) {
	if now > 0 && uint64(now) > last.Ms {
		return datatypes.StreamID{Ms: uint64(now)}, true
	}
	return last.Next()
}
