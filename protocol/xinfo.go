package protocol

import "github.com/geetcache/geetcache/datatypes"

// XINFO STREAM|GROUPS|CONSUMERS|HELP: reads. Idle times are c.Now (the
// answering node's clock) minus the times the log recorded.

func xinfoSub(name string, arity int, flags Flags, summary string, h HandlerFunc) *Command {
	return keySub("xinfo", "stream", name, arity, flags, "5.0.0", summary, h)
}

var xinfoContainer = newSubContainer("xinfo",
	xinfoSub("consumers", 4, Readonly, "List the consumers in a consumer group", xinfoConsumers),
	xinfoSub("groups", 3, Readonly, "List the consumer groups of a stream", xinfoGroups),
	xinfoSub("help", 2, Loading|Stale, "Show helpful text about the different subcommands", xinfoHelp),
	xinfoSub("stream", -3, Readonly, "Get information about a stream", xinfoStream),
)

// xinfoCallFlags makes XINFO's subcommands reads; HELP and unknown ones
// answer on the node.
func xinfoCallFlags(args [][]byte) Flags {
	if sub := SubcommandOf(&Command{Handler: xinfoContainer}, argAt(args, 1)); sub != nil {
		return sub.Flags & Readonly
	}
	return 0
}

// XINFO HELP
func xinfoHelp(c *Ctx) {
	writeHelp(c, []string{
		"CONSUMERS <key> <groupname>",
		"    Show consumers of <groupname>.",
		"GROUPS <key>",
		"    Show the stream consumer groups.",
		"STREAM <key> [FULL [COUNT <count>]",
		"    Show information about the stream.",
	})
}

// xinfoTarget returns the stream at args[2], replying "no such key" or
// WRONGTYPE when there is none.
func xinfoTarget(c *Ctx) (*datatypes.Stream, bool) {
	s, ok := streamOf(c, c.Args[2])
	if ok && s == nil {
		c.Out.Error(ErrNoSuchKey)
		return nil, false
	}
	return s, ok
}

// XINFO CONSUMERS key group
func xinfoConsumers(c *Ctx) {
	s, ok := xinfoTarget(c)
	if !ok {
		return
	}
	cg := s.Groups().Get(c.Args[3])
	if cg == nil {
		c.Out.Error(ErrNoGroup(c.Args[2], c.Args[3]))
		return
	}
	c.Out.Array(cg.ConsumerCount())
	cg.EachConsumer(func(con *datatypes.Consumer) bool {
		c.Out.Map(3)
		c.Out.BulkString("name")
		c.Out.BulkString(con.Name())
		c.Out.BulkString("pending")
		c.Out.Int(int64(con.PendingLen()))
		c.Out.BulkString("idle")
		c.Out.Int(idleSince(c.Now, con.SeenTime))
		return true
	})
}

// XINFO GROUPS key
func xinfoGroups(c *Ctx) {
	s, ok := xinfoTarget(c)
	if !ok {
		return
	}
	c.Out.Array(s.Groups().Len())
	s.Groups().Each(func(cg *datatypes.ConsumerGroup) bool {
		c.Out.Map(6)
		c.Out.BulkString("name")
		c.Out.BulkString(cg.Name())
		c.Out.BulkString("consumers")
		c.Out.Int(int64(cg.ConsumerCount()))
		c.Out.BulkString("pending")
		c.Out.Int(int64(cg.PendingLen()))
		writeGroupCounters(c.Out, s, cg)
		return true
	})
}

// writeGroupCounters writes last-delivered-id, entries-read and lag.
func writeGroupCounters(w *Writer, s *datatypes.Stream, cg *datatypes.ConsumerGroup) {
	w.BulkString("last-delivered-id")
	StreamIDBulk(w, cg.LastID)
	w.BulkString("entries-read")
	if cg.EntriesRead == datatypes.InvalidEntriesRead {
		w.Null()
	} else {
		w.Int(cg.EntriesRead)
	}
	w.BulkString("lag")
	if lag, ok := s.GroupLag(cg); ok {
		w.Int(lag)
	} else {
		w.Null()
	}
}

// XINFO STREAM key [FULL [COUNT count]]
func xinfoStream(c *Ctx) {
	s, ok := xinfoTarget(c)
	if !ok {
		return
	}
	full, count, ok := parseXInfoStream(c)
	if !ok {
		return
	}
	w := c.Out
	if full {
		w.Map(9)
	} else {
		w.Map(10)
	}
	w.BulkString("length")
	w.Int(int64(s.Len()))
	w.BulkString("radix-tree-keys")
	w.Int(int64(s.NodeCount()))
	w.BulkString("radix-tree-nodes")
	w.Int(int64(radixTreeNodes(s)))
	w.BulkString("last-generated-id")
	StreamIDBulk(w, s.LastID())
	w.BulkString("max-deleted-entry-id")
	StreamIDBulk(w, s.MaxDeletedID())
	w.BulkString("entries-added")
	w.Int(int64(s.EntriesAdded()))
	w.BulkString("recorded-first-entry-id")
	StreamIDBulk(w, s.FirstID())
	if full {
		xinfoStreamFull(c, s, count)
		return
	}
	w.BulkString("groups")
	w.Int(int64(s.Groups().Len()))
	w.BulkString("first-entry")
	writeEdgeEntry(w, s, false)
	w.BulkString("last-entry")
	writeEdgeEntry(w, s, true)
}

// parseXInfoStream parses [FULL [COUNT count]]; count 0 means all, a
// negative one 10, as in Redis.
func parseXInfoStream(c *Ctx) (full bool, count int64, ok bool) {
	opts := c.Args[3:]
	switch {
	case len(opts) == 0:
		return false, 0, true
	case len(opts) != 1 && len(opts) != 3,
		!EqualFold(opts[0], "full"),
		len(opts) == 3 && !EqualFold(opts[1], "count"):
		c.Out.Error(ErrSubcommandSyntax(c.Args[1], "xinfo"))
		return false, 0, false
	}
	count = 10
	if len(opts) == 3 {
		if count, ok = ParseInt(opts[2]); !ok {
			c.Out.Error(ErrNotInteger)
			return false, 0, false
		}
		if count < 0 {
			count = 10
		}
	}
	return true, count, true
}

// radixTreeNodes is Redis's rax node count for the stream's nodes.
func radixTreeNodes(s *datatypes.Stream) int { return s.RadixTreeNodes() }

// writeEdgeEntry writes the first (or last) entry, or a null.
func writeEdgeEntry(w *Writer, s *datatypes.Stream, last bool) {
	found := false
	s.Range(datatypes.StreamID{}, datatypes.MaxStreamID, last, func(id datatypes.StreamID, fv [][]byte) bool {
		WriteStreamEntry(w, id, fv)
		found = true
		return false
	})
	if !found {
		w.Null()
	}
}

// xinfoStreamFull writes the entries and the groups of XINFO STREAM FULL.
func xinfoStreamFull(c *Ctx, s *datatypes.Stream, count int64) {
	w := c.Out
	w.BulkString("entries")
	var entries Writer
	entries.Proto = w.Proto
	n := int64(0)
	s.Range(datatypes.StreamID{}, datatypes.MaxStreamID, false, func(id datatypes.StreamID, fv [][]byte) bool {
		WriteStreamEntry(&entries, id, fv)
		n++
		return count == 0 || n < count
	})
	w.Array(int(n))
	w.Raw(entries.B)
	w.BulkString("groups")
	w.Array(s.Groups().Len())
	s.Groups().Each(func(cg *datatypes.ConsumerGroup) bool {
		writeGroupFull(w, s, cg, count)
		return true
	})
}

// limit is min(n, count), count 0 meaning no limit.
func limit(n int, count int64) int {
	if count > 0 && int64(n) > count {
		return int(count)
	}
	return n
}

func writeGroupFull(w *Writer, s *datatypes.Stream, cg *datatypes.ConsumerGroup, count int64) {
	w.Map(7)
	w.BulkString("name")
	w.BulkString(cg.Name())
	writeGroupCounters(w, s, cg)
	w.BulkString("pel-count")
	w.Int(int64(cg.PendingLen()))
	w.BulkString("pending")
	w.Array(limit(cg.PendingLen(), count))
	left := limit(cg.PendingLen(), count)
	cg.AscendPending(datatypes.StreamID{}, func(p datatypes.PendingEntry) bool {
		if left == 0 {
			return false
		}
		left--
		w.Array(4)
		StreamIDBulk(w, p.ID)
		w.BulkString(p.Consumer)
		w.Int(p.DeliveryTime)
		w.Int(int64(p.DeliveryCount))
		return true
	})
	w.BulkString("consumers")
	w.Array(cg.ConsumerCount())
	cg.EachConsumer(func(con *datatypes.Consumer) bool {
		writeConsumerFull(w, cg, con, count)
		return true
	})
}

func writeConsumerFull(w *Writer, cg *datatypes.ConsumerGroup, con *datatypes.Consumer, count int64) {
	w.Map(4)
	w.BulkString("name")
	w.BulkString(con.Name())
	w.BulkString("seen-time")
	w.Int(con.SeenTime)
	w.BulkString("pel-count")
	w.Int(int64(con.PendingLen()))
	w.BulkString("pending")
	left := limit(con.PendingLen(), count)
	w.Array(left)
	con.AscendPending(datatypes.StreamID{}, func(id datatypes.StreamID) bool {
		if left == 0 {
			return false
		}
		left--
		p, _ := cg.Pending(id)
		w.Array(3)
		StreamIDBulk(w, id)
		w.Int(p.DeliveryTime)
		w.Int(int64(p.DeliveryCount))
		return true
	})
}
