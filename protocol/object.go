package protocol

import "github.com/geetcache/geetcache/datatypes"

// OBJECT: ENCODING reports Redis 7.0's encoding by its rules
// (datatypes.ObjectEncoding) under the replicated encoding settings the
// keyspace carries. REFCOUNT is 1, or 2147483647 for the small integers
// Redis shares. IDLETIME and FREQ report the access figures of the node
// asked (its own reads, the writes it applied and, on the leader, the
// reads followers reported: server/access.go); as in Redis, FREQ needs an
// LFU maxmemory-policy and IDLETIME one that is not. None of the
// subcommands counts as an access.

func objectSub(name string, arity int, flags Flags, since, summary string, h HandlerFunc) *Command {
	return keySub("object", "generic", name, arity, flags, since, summary, h)
}

var objectContainer = newSubContainer("object",
	objectSub("encoding", 3, Readonly, "2.2.3", "Inspect the internal encoding of a Redis object", objectEncoding),
	objectSub("freq", 3, Readonly, "4.0.0", "Get the logarithmic access frequency counter of a Redis object", objectFreq),
	objectSub("help", 2, Loading|Stale, "6.2.0", "Show helpful text about the different subcommands", objectHelp),
	objectSub("idletime", 3, Readonly, "2.2.3", "Get the time since a Redis object was last accessed", objectIdletime),
	objectSub("refcount", 3, Readonly, "2.2.3", "Get the number of references to the value of the key", objectRefcount),
)

// objectCallFlags makes OBJECT's key subcommands reads; HELP and unknown
// ones answer on the node.
func objectCallFlags(args [][]byte) Flags {
	if sub := SubcommandOf(&Command{Handler: objectContainer}, argAt(args, 1)); sub != nil {
		return sub.Flags & Readonly
	}
	return 0
}

var objectCommands = []*Command{
	{Name: "object", Arity: -2, Group: "generic", Since: "2.2.3", Summary: "A container for object introspection commands",
		Handler: objectContainer, CallFlags: objectCallFlags},
}

// ErrNoLFU is OBJECT FREQ's error when maxmemory-policy is not an LFU one.
const ErrNoLFU = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."

// ErrLFUIdle is OBJECT IDLETIME's error when maxmemory-policy is an LFU one.
const ErrLFUIdle = "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."

// objectTarget returns the entry at args[2], replying nil when missing.
// Like Redis's, the lookup publishes no keymiss, and counts in the stats.
func objectTarget(c *Ctx) *datatypes.Entry {
	e := c.DB.Lookup(view(c.Args[2]), c.Now)
	c.Stats.count(e != nil)
	if e == nil {
		c.Out.Null()
	}
	return e
}

// OBJECT ENCODING key
func objectEncoding(c *Ctx) {
	if e := objectTarget(c); e != nil {
		c.Out.BulkString(datatypes.ObjectEncoding(e.Value, c.DB.EncodingLimits()))
	}
}

// OBJECT REFCOUNT key
func objectRefcount(c *Ctx) {
	if e := objectTarget(c); e != nil {
		c.Out.Int(ObjectRefcount(e.Value))
	}
}

// ObjectRefcount is the reference count Redis 7.0 reports for v: its
// shared small integers have 2147483647 (OBJ_SHARED_REFCOUNT), any other
// value 1.
func ObjectRefcount(v datatypes.Value) int64 {
	if s, ok := datatypes.PlainBytes(v); ok && datatypes.IsSharedInt(s) {
		return 1<<31 - 1
	}
	return 1
}

// OBJECT IDLETIME key
func objectIdletime(c *Ctx) {
	e := objectTarget(c)
	switch {
	case e == nil:
	case c.LFU != nil:
		c.Out.Error(ErrLFUIdle)
	default:
		c.Out.Int(e.IdleMillis(c.AccessTime()) / 1000)
	}
}

// OBJECT FREQ key
func objectFreq(c *Ctx) {
	e := objectTarget(c)
	switch {
	case e == nil:
	case c.LFU == nil:
		c.Out.Error(ErrNoLFU)
	default:
		c.Out.Int(e.Freq(c.AccessTime(), *c.LFU))
	}
}

// OBJECT HELP
func objectHelp(c *Ctx) {
	writeHelp(c, []string{
		"ENCODING <key>",
		"    Return the kind of internal representation used in order to store the value",
		"    associated with a <key>.",
		"FREQ <key>",
		"    Return the access frequency index of the <key>. The returned integer is",
		"    proportional to the logarithm of the recent access frequency of the key.",
		"IDLETIME <key>",
		"    Return the idle time of the <key>, that is the approximated number of",
		"    seconds elapsed since the last access to the key.",
		"REFCOUNT <key>",
		"    Return the number of references of the value associated with the specified",
		"    <key>.",
	})
}
