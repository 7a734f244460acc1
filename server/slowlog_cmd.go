package server

import (
	"math"
	"strconv"

	"github.com/geetcache/geetcache/protocol"
)

// slowlogCommands is SLOWLOG GET, LEN, RESET and HELP (slowlog.go).
func (s *Server) slowlogCommands() []*protocol.Command {
	const admin = protocol.Admin | protocol.Loading | protocol.Stale
	sub := func(name string, arity int, f protocol.Flags, summary string, h protocol.HandlerFunc) *protocol.Command {
		return &protocol.Command{Name: "slowlog|" + name, Arity: arity, Flags: f, Group: "server", Since: "2.2.12",
			Summary: summary, Handler: h}
	}
	ct := newContainer(nil,
		sub("get", -2, admin, "Get the slow log's entries", s.slowlogGet),
		sub("len", 2, admin, "Get the slow log's length", s.slowlogLen),
		sub("reset", 2, admin, "Clear all entries from the slow log", s.slowlogReset),
		sub("help", 2, protocol.Loading|protocol.Stale, "Show helpful text about the different subcommands", slowlogHelp),
	)
	return []*protocol.Command{{Name: "slowlog", Arity: -2, Group: "server", Since: "2.2.12",
		Summary: "A container for slow log commands", Handler: ct}}
}

// errSlowlogCount is SLOWLOG GET's error for a count it cannot take.
const errSlowlogCount = "ERR count should be greater than or equal to -1"

// SLOWLOG GET [count]: the newest count entries (10 by default, -1: all),
// each [id, unix time, microseconds, [argument...], client address,
// client name].
func (s *Server) slowlogGet(c *protocol.Ctx) {
	if len(c.Args) > 3 {
		c.Out.Error(protocol.ErrSubcommandSyntax(c.Args[1], string(c.Args[0])))
		return
	}
	count := int64(10)
	if len(c.Args) == 3 {
		n, ok := protocol.ParseInt(c.Args[2])
		if !ok || n < -1 {
			c.Out.Error(errSlowlogCount)
			return
		}
		count = ifElse(n == -1, math.MaxInt64, n)
	}
	entries := s.settings.slow.newest(count)
	c.Out.Array(len(entries))
	for _, e := range entries {
		c.Out.Array(6)
		c.Out.Int(e.id)
		c.Out.Int(e.unix)
		c.Out.Int(e.micros)
		c.Out.Array(len(e.args))
		for _, a := range e.args {
			c.Out.Bulk(a)
		}
		c.Out.BulkString(e.peer)
		c.Out.BulkString(e.name)
	}
}

// SLOWLOG LEN
func (s *Server) slowlogLen(c *protocol.Ctx) { c.Out.Int(s.settings.slow.len()) }

// SLOWLOG RESET
func (s *Server) slowlogReset(c *protocol.Ctx) {
	s.settings.slow.reset()
	c.Out.OK()
}

// SLOWLOG HELP
func slowlogHelp(c *protocol.Ctx) {
	replyHelp(c, []string{
		"GET [<count>]",
		"    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
		"    Entries are made of:",
		"    id, timestamp, time in microseconds, arguments array, client IP and port,",
		"    client name",
		"LEN",
		"    Return the length of the slowlog.",
		"RESET",
		"    Reset the slowlog.",
	})
}

func getSlowlogSlowerThan(st *settings) string {
	return strconv.FormatInt(st.slow.slowerThan.Load(), 10)
}

func getSlowlogMaxLen(st *settings) string { return strconv.FormatInt(st.slow.maxLen.Load(), 10) }

// setSlowlogSlowerThan parses slowlog-log-slower-than: microseconds, -1
// to log nothing, 0 to log every call.
func setSlowlogSlowerThan(st *settings, v []byte) (func(), string) {
	n, reason := parseLongConfig(v, -1)
	if reason != "" {
		return nil, reason
	}
	return func() { st.slow.slowerThan.Store(n) }, ""
}

// setSlowlogMaxLen parses slowlog-max-len.
func setSlowlogMaxLen(st *settings, v []byte) (func(), string) {
	n, reason := parseLongConfig(v, 0)
	if reason != "" {
		return nil, reason
	}
	return func() { st.slow.setMaxLen(n) }, ""
}

// parseLongConfig parses a long long parameter of Redis's that must be at
// least lowest, with Redis's reasons for refusing it.
func parseLongConfig(v []byte, lowest int64) (int64, string) {
	return parseIntConfig(v, lowest, math.MaxInt64)
}

// parseIntConfig parses an integer parameter in [lo, hi] as Redis's
// numeric configs do (protocol.ParseInt: no '+', no leading zero), with
// Redis's reasons for refusing it.
func parseIntConfig(v []byte, lo, hi int64) (int64, string) {
	n, ok := protocol.ParseInt(v)
	if !ok {
		return 0, "argument couldn't be parsed into an integer"
	}
	if n < lo || n > hi {
		return 0, "argument must be between " + strconv.FormatInt(lo, 10) + " and " + strconv.FormatInt(hi, 10) + " inclusive"
	}
	return n, ""
}
