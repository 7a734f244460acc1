package server

import (
	"strings"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// commandCommands is COMMAND and its subcommands, all generated from the
// command table (COMMAND GETKEYSANDFLAGS's flags from Redis's key specs,
// protocol/command_info_redis.go).
func (s *Server) commandCommands() []*protocol.Command {
	const flags = protocol.Loading | protocol.Stale
	sub := func(name string, arity int, since, summary string, h protocol.HandlerFunc) *protocol.Command {
		return &protocol.Command{Name: "command|" + name, Arity: arity, Flags: flags, Group: "server",
			Since: since, Summary: summary, Handler: h}
	}
	ct := newContainer(protocol.HandlerFunc(s.commandAll),
		sub("count", 2, "2.8.13", "Get total number of Redis commands", s.commandCount),
		sub("info", -2, "2.8.13", "Get array of specific Redis command details, or all when no argument is given.", s.commandInfo),
		sub("docs", -2, "7.0.0", "Get array of specific Redis command documentation", s.commandDocs),
		sub("list", -2, "7.0.0", "Get an array of Redis command names", s.commandList),
		sub("getkeys", -4, "2.8.13", "Extract keys given a full Redis command", s.commandGetKeys),
		sub("getkeysandflags", -4, "7.0.0", "Extract keys and access flags given a full Redis command",
			s.commandGetKeysAndFlags),
		sub("help", 2, "5.0.0", "Show helpful text about the different subcommands", commandHelp),
	)
	return []*protocol.Command{{Name: "command", Arity: -1, Flags: flags, Group: "server", Since: "2.8.13",
		Summary: "Get array of Redis command details", Handler: ct}}
}

// lookupFullName finds a command by its full name: "get", or "client|list"
// for a subcommand; any case.
func (s *Server) lookupFullName(name []byte) *protocol.Command {
	parent, sub, isSub := strings.Cut(string(name), "|")
	cmd := s.table.Lookup([]byte(parent))
	if cmd == nil || !isSub {
		return cmd
	}
	if !strings.Contains(sub, "|") {
		return protocol.SubcommandOf(cmd, []byte(sub))
	}
	return nil
}

// COMMAND
func (s *Server) commandAll(c *protocol.Ctx) {
	all := s.table.All()
	c.Out.Array(len(all))
	for _, cmd := range all {
		writeCommandInfo(c.Out, cmd)
	}
}

// COMMAND COUNT
func (s *Server) commandCount(c *protocol.Ctx) { c.Out.Int(int64(s.table.Len())) }

// COMMAND INFO [command-name [command-name ...]]
func (s *Server) commandInfo(c *protocol.Ctx) {
	if len(c.Args) == 2 {
		s.commandAll(c)
		return
	}
	c.Out.Array(len(c.Args) - 2)
	for _, name := range c.Args[2:] {
		if cmd := s.lookupFullName(name); cmd != nil {
			writeCommandInfo(c.Out, cmd)
		} else {
			c.Out.Null()
		}
	}
}

// writeCommandInfo writes Redis 7.0's ten-element command description,
// with Redis 7.0.15's tips and key specs for a command Redis has
// (protocol/command_info_redis.go; none for geetcache's own).
func writeCommandInfo(w *protocol.Writer, cmd *protocol.Command) {
	w.Array(10)
	w.BulkString(cmd.Name)
	w.Int(int64(cmd.Arity))
	writeStatusSet(w, "", infoFlags(cmd))
	w.Int(int64(cmd.FirstKey))
	w.Int(int64(cmd.LastKey))
	w.Int(int64(cmd.Step))
	writeStatusSet(w, "@", categoriesOf(cmd))
	if tips, keySpecs, ok := protocol.RedisCommandInfo(cmd.Name); ok {
		tips.Write(w)
		keySpecs.Write(w)
	} else {
		w.Set(0) // tips
		w.Set(0) // key specs
	}
	subs := subcommandsOf(cmd)
	if subs == nil {
		w.Set(0)
		return
	}
	w.Array(len(subs))
	for _, sc := range subs {
		writeCommandInfo(w, sc)
	}
}

// infoFlags is the flag names COMMAND INFO shows, in Redis's order: Redis
// hides may_replicate and derives movablekeys, which comes just before
// allow_busy.
func infoFlags(cmd *protocol.Command) []string {
	names := (cmd.Flags &^ (protocol.MayReplicate | protocol.AllowBusy)).Names()
	if cmd.KeyCount > 0 || cmd.Keys != nil {
		names = append(names, "movablekeys")
	}
	if cmd.Flags&protocol.AllowBusy != 0 {
		names = append(names, "allow_busy")
	}
	return names
}

func writeStatusSet(w *protocol.Writer, prefix string, items []string) {
	w.Set(len(items))
	for _, it := range items {
		w.Simple(prefix + it)
	}
}

// COMMAND DOCS [command-name [command-name ...]]
func (s *Server) commandDocs(c *protocol.Ctx) {
	var cmds []*protocol.Command
	if len(c.Args) == 2 {
		cmds = s.table.All()
	}
	for _, name := range c.Args[2:] {
		if cmd := s.lookupFullName(name); cmd != nil {
			cmds = append(cmds, cmd)
		}
	}
	writeDocsMap(c.Out, cmds)
}

func writeDocsMap(w *protocol.Writer, cmds []*protocol.Command) {
	w.Map(len(cmds))
	for _, cmd := range cmds {
		w.BulkString(cmd.Name)
		writeCommandDocs(w, cmd)
	}
}

// writeCommandDocs writes Redis 7.0.15's documentation of a command Redis
// has (command_docs_redis.go), its subcommands those geetcache has; for
// geetcache's own, the documentation the table has: summary, since, group
// and subcommands (Redis leaves out what a command lacks).
func writeCommandDocs(w *protocol.Writer, cmd *protocol.Command) {
	subs := subcommandsOf(cmd)
	if d := redisDocsOf(cmd); d != nil {
		w.Map(len(d.fields)/2 + ifElse(subs != nil, 1, 0))
		for _, f := range d.fields {
			f.Write(w)
		}
		if subs != nil {
			w.BulkString("subcommands")
			writeDocsMap(w, subs)
		}
		return
	}
	n := 1
	for _, present := range []bool{cmd.Summary != "", cmd.Since != "", subs != nil} {
		if present {
			n++
		}
	}
	w.Map(n)
	if cmd.Summary != "" {
		w.BulkString("summary")
		w.BulkString(cmd.Summary)
	}
	if cmd.Since != "" {
		w.BulkString("since")
		w.BulkString(cmd.Since)
	}
	w.BulkString("group")
	w.BulkString(cmd.Group)
	if subs != nil {
		w.BulkString("subcommands")
		writeDocsMap(w, subs)
	}
}

// COMMAND LIST [FILTERBY MODULE module-name|ACLCAT category|PATTERN pattern]
func (s *Server) commandList(c *protocol.Ctx) {
	keep := func(*protocol.Command) bool { return true }
	if args := c.Args[2:]; len(args) > 0 {
		var ok bool
		if len(args) == 3 && protocol.EqualFold(args[0], "filterby") {
			keep, ok = listFilter(args[1], string(args[2]))
		}
		if !ok {
			c.Out.Error(protocol.ErrSyntax)
			return
		}
	}
	var names []string
	for _, cmd := range s.table.All() {
		names = appendMatching(names, cmd, keep)
		for _, sc := range subcommandsOf(cmd) {
			names = appendMatching(names, sc, keep)
		}
	}
	c.Out.Array(len(names))
	for _, n := range names {
		c.Out.BulkString(n)
	}
}

func appendMatching(names []string, cmd *protocol.Command, keep func(*protocol.Command) bool) []string {
	if keep(cmd) {
		names = append(names, cmd.Name)
	}
	return names
}

// listFilter returns COMMAND LIST's filter; geetcache loads no modules, so
// a module filter matches nothing, as Redis's does for an unknown module.
func listFilter(kind []byte, arg string) (func(*protocol.Command) bool, bool) {
	switch {
	case protocol.EqualFold(kind, "module"):
		return func(*protocol.Command) bool { return false }, true
	case protocol.EqualFold(kind, "aclcat"):
		cat := strings.ToLower(arg)
		known := knownCategory([]byte(arg))
		return func(cmd *protocol.Command) bool { return known && hasCategory(cmd, cat) }, true
	case protocol.EqualFold(kind, "pattern"):
		return func(cmd *protocol.Command) bool { return datatypes.MatchGlob(arg, cmd.Name, true) }, true
	}
	return nil, false
}

var commandHelpLines = []string{
	"(no subcommand)",
	"    Return details about all Redis commands.",
	"COUNT",
	"    Return the total number of commands in this Redis server.",
	"LIST",
	"    Return a list of all commands in this Redis server.",
	"INFO [<command-name> ...]",
	"    Return details about multiple Redis commands.",
	"    If no command names are given, documentation details for all",
	"    commands are returned.",
	"DOCS [<command-name> ...]",
	"    Return documentation details about multiple Redis commands.",
	"    If no command names are given, documentation details for all",
	"    commands are returned.",
	"GETKEYS <full-command>",
	"    Return the keys from a full Redis command.",
	"GETKEYSANDFLAGS <full-command>",
	"    Return the keys and the access flags from a full Redis command.",
}

// COMMAND HELP
func commandHelp(c *protocol.Ctx) { replyHelp(c, commandHelpLines) }
