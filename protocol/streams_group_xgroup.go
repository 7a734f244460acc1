package protocol

import "github.com/geetcache/geetcache/datatypes"

func xgroupSub(name string, arity int, flags Flags, since, summary string, h HandlerFunc) *Command {
	return keySub("xgroup", "stream", name, arity, flags, since, summary, h)
}

var xgroupContainer = newSubContainer("xgroup",
	xgroupSub("create", -5, Write|DenyOOM, "5.0.0", "Create a consumer group.", xgroupCreate),
	xgroupSub("createconsumer", 5, Write|DenyOOM, "6.2.0", "Create a consumer in a consumer group.", xgroupCreateConsumer),
	xgroupSub("delconsumer", 5, Write, "5.0.0", "Delete a consumer from a consumer group.", xgroupDelConsumer),
	xgroupSub("destroy", 4, Write, "5.0.0", "Destroy a consumer group.", xgroupDestroy),
	xgroupSub("help", 2, Loading|Stale, "5.0.0", "Show helpful text about the different subcommands", xgroupHelp),
	xgroupSub("setid", -5, Write, "5.0.0", "Set a consumer group to an arbitrary last delivered ID value.", xgroupSetID),
)

// xgroupCallFlags routes XGROUP's changes through the log; HELP and
// unknown subcommands answer on the node.
func xgroupCallFlags(args [][]byte) Flags {
	if sub := SubcommandOf(&Command{Handler: xgroupContainer}, argAt(args, 1)); sub != nil {
		return sub.Flags & (Write | DenyOOM)
	}
	return 0
}

func argAt(args [][]byte, i int) []byte {
	if i < len(args) {
		return args[i]
	}
	return nil
}

// XGROUP HELP
func xgroupHelp(c *Ctx) {
	writeHelp(c, []string{
		"CREATE <key> <groupname> <id|$> [option]",
		"    Create a new consumer group. Options are:",
		"    * MKSTREAM",
		"      Create the empty stream if it does not exist.",
		"    * ENTRIESREAD entries_read",
		"      Set the group's entries_read counter (internal use).",
		"CREATECONSUMER <key> <groupname> <consumer>",
		"    Create a new consumer in the specified group.",
		"DELCONSUMER <key> <groupname> <consumer>",
		"    Remove the specified consumer.",
		"DESTROY <key> <groupname>",
		"    Remove the specified group.",
		"SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
		"    Set the current group ID and entries_read counter.",
	})
}

// xgroupOpts is what XGROUP CREATE and SETID accept after the ID.
type xgroupOpts struct {
	mkstream    bool
	entriesRead int64
}

// parseXGroupOpts parses the options from argument 5 on, as Redis does
// before it looks at the key.
func parseXGroupOpts(c *Ctx, create bool) (xgroupOpts, bool) {
	o := xgroupOpts{entriesRead: datatypes.InvalidEntriesRead}
	for i := 5; i < len(c.Args); i++ {
		switch {
		case create && EqualFold(c.Args[i], "mkstream"):
			o.mkstream = true
		case EqualFold(c.Args[i], "entriesread") && i+1 < len(c.Args):
			n, ok := ParseInt(c.Args[i+1])
			if !ok {
				c.Out.Error(ErrNotInteger)
				return o, false
			}
			if n < 0 && n != datatypes.InvalidEntriesRead {
				c.Out.Error(ErrEntriesReadRange)
				return o, false
			}
			o.entriesRead = n
			i++
		default:
			c.Out.Error(ErrSubcommandSyntax(c.Args[1], "xgroup"))
			return o, false
		}
	}
	return o, true
}

// xgroupMissing is xgroupTarget's answer for a missing key.
func xgroupMissing(c *Ctx, mkstream bool) (*datatypes.Stream, *datatypes.ConsumerGroup, bool) {
	if !mkstream {
		c.Out.Error(ErrXGroupKeyMissing)
		return nil, nil, false
	}
	return nil, nil, true
}

// xgroupTarget looks up XGROUP's key and group, replying Redis's errors:
// the key must exist (unless MKSTREAM) and, when needGroup, the group too.
func xgroupTarget(c *Ctx, mkstream, needGroup bool) (*datatypes.Stream, *datatypes.ConsumerGroup, bool) {
	if c.Lookup(c.Args[2]) == nil { // a write's lookup (no keymiss), as Redis's XGROUP
		return xgroupMissing(c, mkstream)
	}
	s, cg, ok := groupOf(c, c.Args[2], c.Args[3])
	switch {
	case !ok:
		return nil, nil, false
	case s == nil && !mkstream:
		c.Out.Error(ErrXGroupKeyMissing)
		return nil, nil, false
	case s != nil && cg == nil && needGroup:
		c.Out.Error(ErrNoGroup(c.Args[2], c.Args[3]))
		return nil, nil, false
	}
	return s, cg, true
}

// XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD entries-read]
func xgroupCreate(c *Ctx) {
	o, ok := parseXGroupOpts(c, true)
	if !ok {
		return
	}
	s, _, ok := xgroupTarget(c, o.mkstream, false)
	if !ok {
		return
	}
	if len(c.Args) > 8 {
		c.Out.Error(ErrSubcommandSyntax(c.Args[1], "xgroup"))
		return
	}
	var id datatypes.StreamID
	switch {
	case string(c.Args[4]) == "$":
		if s != nil {
			id = s.LastID()
		}
	default:
		if id, ok = parseGroupID(c.Args[4], 0, true); !ok {
			c.Out.Error(ErrStreamInvalidID)
			return
		}
	}
	if s == nil {
		c.DB.Set(string(c.Args[2]), datatypes.NewStream(), 0)
	} else if s.Groups().Get(c.Args[3]) != nil {
		c.Out.Error(ErrBusyGroup)
		return
	}
	mutableStream(c, c.Args[2]).Groups().Create(c.Args[3], id, o.entriesRead)
	c.Out.OK()
	c.Notify(NotifyStream, "xgroup-create", c.Args[2])
}

// XGROUP SETID key group id|$ [ENTRIESREAD entries-read]
func xgroupSetID(c *Ctx) {
	o, ok := parseXGroupOpts(c, false)
	if !ok {
		return
	}
	s, _, ok := xgroupTarget(c, false, true)
	if !ok {
		return
	}
	if len(c.Args) != 5 && len(c.Args) != 7 {
		c.Out.Error(ErrSubcommandSyntax(c.Args[1], "xgroup"))
		return
	}
	id := s.LastID()
	if string(c.Args[4]) != "$" {
		if id, ok = parseGroupID(c.Args[4], 0, false); !ok {
			c.Out.Error(ErrStreamInvalidID)
			return
		}
	}
	cg := mutableStream(c, c.Args[2]).Groups().Get(c.Args[3])
	cg.LastID, cg.EntriesRead = id, o.entriesRead
	c.Out.OK()
	c.Notify(NotifyStream, "xgroup-setid", c.Args[2])
}

// XGROUP DESTROY key group
func xgroupDestroy(c *Ctx) {
	_, cg, ok := xgroupTarget(c, false, false)
	switch {
	case !ok:
	case cg == nil:
		c.Out.Int(0)
	default:
		mutableStream(c, c.Args[2]).Groups().Destroy(c.Args[3])
		c.Out.Int(1)
		c.Notify(NotifyStream, "xgroup-destroy", c.Args[2])
	}
}

// XGROUP CREATECONSUMER key group consumer
func xgroupCreateConsumer(c *Ctx) {
	_, cg, ok := xgroupTarget(c, false, true)
	switch {
	case !ok:
	case cg.Consumer(c.Args[4]) != nil:
		c.Out.Int(0)
	default:
		mutableStream(c, c.Args[2]).Groups().Get(c.Args[3]).CreateConsumer(c.Args[4], c.Now)
		c.Notify(NotifyStream, "xgroup-createconsumer", c.Args[2])
		c.Out.Int(1)
	}
}

// XGROUP DELCONSUMER key group consumer
func xgroupDelConsumer(c *Ctx) {
	_, cg, ok := xgroupTarget(c, false, true)
	switch {
	case !ok:
	case cg.Consumer(c.Args[4]) == nil:
		c.Out.Int(0)
	default:
		n, _ := mutableStream(c, c.Args[2]).Groups().Get(c.Args[3]).DeleteConsumer(c.Args[4])
		c.Notify(NotifyStream, "xgroup-delconsumer", c.Args[2])
		c.Out.Int(int64(n))
	}
}
