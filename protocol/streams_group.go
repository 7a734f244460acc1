package protocol

import (
	"strings"

	"github.com/geetcache/geetcache/datatypes"
)

// The consumer-group commands of streams (Redis 7.0's t_stream.c). Every
// time they record (delivery times, seen times) is c.Now: inside the state
// machine the log entry's time, so that pending entries, their idle times
// and delivery counts are the same on every replica. XPENDING and XINFO
// are reads: the idle times they report are c.Now minus the recorded time,
// c.Now being the clock of the node that answers (docs/consistency.md).

// The consumer-group commands keep command level 1 (entry_check.go): a
// binary that does not know them refuses their entries as unknown
// commands, which is all a level would add.

var streamGroupCommands = []*Command{
	{Name: "xgroup", Arity: -2, Group: "stream", Since: "5.0.0", Summary: "A container for consumer groups commands",
		Handler: xgroupContainer, CallFlags: xgroupCallFlags},
	{Name: "xreadgroup", Arity: -7, Flags: Write | Blocking, Group: "stream", Since: "5.0.0",
		Summary: "Return new entries from a stream using a consumer group, or access the history of the pending entries for a given consumer. Can block.",
		Keys:    streamsKeys, Handler: HandlerFunc(xreadgroup), CallFlags: xreadgroupCallFlags},
	{Name: "xack", Arity: -4, Flags: Write | Fast, FirstKey: 1, LastKey: 1, Step: 1, Group: "stream", Since: "5.0.0",
		Summary: "Marks a pending message as correctly processed, effectively removing it from the pending entries list of the consumer group. Return value of the command is the number of messages successfully acknowledged, that is, the IDs we were actually able to resolve in the PEL.",
		Handler: HandlerFunc(xack)},
	{Name: "xpending", Arity: -3, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1, Group: "stream", Since: "5.0.0",
		Summary: "Return information and entries from a stream consumer group pending entries list, that are messages fetched but never acknowledged.",
		Handler: HandlerFunc(xpending)},
	{Name: "xclaim", Arity: -6, Flags: Write | Fast, FirstKey: 1, LastKey: 1, Step: 1, Group: "stream", Since: "5.0.0",
		Summary: "Changes (or acquires) ownership of a message in a consumer group, as if the message was delivered to the specified consumer.",
		Handler: HandlerFunc(xclaim)},
	{Name: "xautoclaim", Arity: -6, Flags: Write | Fast, FirstKey: 1, LastKey: 1, Step: 1, Group: "stream", Since: "6.2.0",
		Summary: "Changes (or acquires) ownership of messages in a consumer group, as if the messages were delivered to the specified consumer.",
		Handler: HandlerFunc(xautoclaim)},
	{Name: "xinfo", Arity: -2, Group: "stream", Since: "5.0.0", Summary: "A container for stream introspection commands",
		Handler: xinfoContainer, CallFlags: xinfoCallFlags},
}

// streamOf returns the stream at key (nil when missing); on a key of
// another type it replies WRONGTYPE and returns ok=false.
func streamOf(c *Ctx, key []byte) (s *datatypes.Stream, ok bool) {
	e := c.LookupRead(key)
	if e == nil {
		return nil, true
	}
	s, ok = e.Value.(*datatypes.Stream)
	if !ok {
		c.Out.Error(ErrWrongType)
	}
	return s, ok
}

// mutableStream returns the stream at key, which exists, ready to change
// its groups (copied first when a snapshot shares it). As in Redis, a
// change of groups does not count as a change of the key for WATCH.
func mutableStream(c *Ctx, key []byte) *datatypes.Stream {
	e := c.DB.MutableUnstamped(c.Lookup(key))
	return e.Value.(*datatypes.Stream)
}

// groupOf returns the stream at key and its group named group; either is
// nil when missing. ok is false after a WRONGTYPE reply.
func groupOf(c *Ctx, key, group []byte) (*datatypes.Stream, *datatypes.ConsumerGroup, bool) {
	s, ok := streamOf(c, key)
	if s == nil {
		return nil, nil, ok
	}
	return s, s.Groups().Get(group), true
}

// groupOrReply is groupOf for the key c.Args[1] and the group c.Args[2],
// replying Redis's NOGROUP error when either is missing: ok is true only
// when both exist.
func groupOrReply(c *Ctx) (*datatypes.Stream, *datatypes.ConsumerGroup, bool) {
	s, cg, ok := groupOf(c, c.Args[1], c.Args[2])
	if ok && (s == nil || cg == nil) {
		c.Out.Error(ErrNoKeyOrGroup(c.Args[1], c.Args[2]))
		return nil, nil, false
	}
	return s, cg, ok
}

// parseGroupID is scanStreamID refusing "ms-*", for the consumer-group
// commands, which reply their own errors.
func parseGroupID(arg []byte, missingSeq uint64, strict bool) (datatypes.StreamID, bool) {
	id, auto, ok := scanStreamID(arg, missingSeq, strict)
	return id, ok && !auto
}

// parseGroupInterval parses a range bound: "(" makes it exclusive and the
// rest is parsed strictly (streamParseIntervalIDOrReply).
func parseGroupInterval(arg []byte, missingSeq uint64) (id datatypes.StreamID, exclusive, ok bool) {
	if len(arg) > 1 && arg[0] == '(' {
		id, ok = parseGroupID(arg[1:], missingSeq, true)
		return id, true, ok
	}
	id, ok = parseGroupID(arg, missingSeq, false)
	return id, false, ok
}

// idleSince is how long ago at was, never negative (clocks of two nodes
// may disagree).
func idleSince(now, at int64) int64 { return max(now-at, 0) }

// subcommandName is the lower-case subcommand of a container call.
func subcommandName(args [][]byte) string {
	if len(args) < 2 {
		return ""
	}
	return strings.ToLower(string(args[1]))
}
