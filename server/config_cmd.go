package server

import (
	"strings"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// configCommands is CONFIG and its subcommands.
func (s *Server) configCommands() []*protocol.Command {
	const flags = protocol.Admin | protocol.NoScript | protocol.Loading | protocol.Stale
	sub := func(name string, arity int, f protocol.Flags, summary string, h protocol.HandlerFunc) *protocol.Command {
		return &protocol.Command{Name: "config|" + name, Arity: arity, Flags: f, Group: "server",
			Since: "2.0.0", Summary: summary, Handler: h}
	}
	help := sub("help", 2, protocol.Loading|protocol.Stale, "Show helpful text about the different subcommands", configHelp)
	help.Since = "5.0.0"
	rewrite := sub("rewrite", 2, flags, "Rewrite the configuration file", s.configRewrite)
	rewrite.Since = "2.8.0"
	ct := newContainer(nil,
		sub("get", -3, flags, "Get the values of configuration parameters", s.configGet),
		sub("set", -4, flags, "Set configuration parameters to the given values", s.configSet),
		sub("resetstat", 2, flags, "Reset the stats returned by INFO", s.configResetStat),
		rewrite,
		help,
	)
	return []*protocol.Command{{Name: "config", Arity: -2, Group: "server", Since: "2.0.0",
		Summary: "A container for server configuration commands", Handler: ct}}
}

// CONFIG GET parameter [parameter ...]
//
// A name without glob characters is answered under the spelling asked;
// a pattern matches names case-insensitively. Each parameter appears once.
func (s *Server) configGet(c *protocol.Ctx) {
	s.catchUp(c) // a follower reports the replicated settings the connection set through it
	var names []string
	var found []*param
	seen := func(name string) bool {
		for _, n := range names {
			if strings.EqualFold(n, name) {
				return true
			}
		}
		return false
	}
	for _, arg := range c.Args[2:] {
		pat := string(arg)
		for _, p := range params {
			if matchParam(pat, p) && !seen(pat) && !seen(p.name) {
				names, found = append(names, nameShown(pat, p)), append(found, p)
			}
		}
	}
	c.Out.Map(len(found))
	for i, p := range found {
		c.Out.BulkString(names[i])
		c.Out.BulkString(p.get(s.settings))
	}
}

func isPattern(s string) bool { return strings.ContainsAny(s, "[*?") }

func matchParam(pat string, p *param) bool {
	if isPattern(pat) {
		if p.hidden {
			return false
		}
		return datatypes.MatchGlob(pat, p.name, true)
	}
	return strings.EqualFold(pat, p.name)
}

func nameShown(pat string, p *param) string {
	if isPattern(pat) {
		return p.name
	}
	return pat
}

// CONFIG SET parameter value [parameter value ...]
//
// All or nothing, as in Redis: names are checked first, then every value
// is parsed, then all are applied.
func (s *Server) configSet(c *protocol.Ctx) {
	if len(c.Args)%2 != 0 {
		c.Out.Error(protocol.ErrSyntax)
		return
	}
	pairs := c.Args[2:]
	if msg := s.checkConfigNames(pairs); msg != "" {
		c.Out.Error(msg)
		return
	}
	var applies []func()
	var replicated [][2]string
	for i := 0; i < len(pairs); i += 2 {
		p := lookupParam(pairs[i])
		if p.replicated {
			v, reason := replicatedParams[p.settingName()](pairs[i+1])
			if reason != "" {
				c.Out.Error(protocol.ErrConfigSetFailed(p.name, reason))
				return
			}
			replicated = append(replicated, [2]string{p.settingName(), v})
			continue
		}
		if p.set == nil {
			continue
		}
		apply, reason := p.set(s.settings, pairs[i+1])
		if reason != "" {
			c.Out.Error(protocol.ErrConfigSetFailed(p.name, reason))
			return
		}
		applies = append(applies, apply)
	}
	port, msg := s.preparePort(pairs) // binds: may fail, so first (config_port.go)
	if msg == "" {
		msg = s.setFallible(c, pairs, replicated)
	}
	if msg != "" {
		port.discard()
		c.Out.Error(msg)
		return
	}
	s.commitPort(port)
	for _, apply := range applies {
		apply()
	}
	c.Out.OK()
}

// setFallible applies the parts of a CONFIG SET that may still fail once
// every value was checked: TLS files, the default user's password, the
// replicated parameters (through the log). Returns the reply to a failure.
func (s *Server) setFallible(c *protocol.Ctx, pairs [][]byte, replicated [][2]string) string {
	if msg := s.setTLS(pairs); msg != "" { // loads files: may fail, so first
		return msg
	}
	cl, _ := c.Conn.(*client)
	for i := 0; i < len(pairs) && cl != nil; i += 2 {
		if lookupParam(pairs[i]).name == "requirepass" {
			if msg := s.setDefaultPassword(cl, pairs[i+1]); msg != "" {
				return msg
			}
		}
	}
	return s.setReplicated(cl, replicated)
}

// checkConfigNames returns the reply for the first unknown, unchangeable
// or repeated parameter, or "". A fixed parameter may be "set" to the
// value it has.
func (s *Server) checkConfigNames(pairs [][]byte) string {
	var seen []*param
	for i := 0; i < len(pairs); i += 2 {
		name, val := pairs[i], pairs[i+1]
		p := lookupParam(name)
		switch {
		case p == nil:
			return protocol.ErrConfigSetUnknown(name)
		case p.immutable || p.startOnly || (p.set == nil && !p.replicated && !strings.EqualFold(string(val), p.get(s.settings))):
			return protocol.ErrConfigSetFailed(string(name), "can't set immutable config")
		case p.protected:
			return protocol.ErrConfigSetFailed(string(name), "can't set protected config")
		}
		for _, q := range seen {
			if q == p {
				return protocol.ErrConfigSetFailed(string(name), "duplicate parameter")
			}
		}
		seen = append(seen, p)
	}
	return ""
}

// CONFIG RESETSTAT
func (s *Server) configResetStat(c *protocol.Ctx) {
	s.resetStats()
	c.Out.OK()
}

// resetStats zeroes the counters INFO reports, as Redis's resetServerStats.
func (s *Server) resetStats() {
	s.stats.connections.Store(0)
	s.stats.commands.Store(0)
	s.stats.netIn.Store(0)
	s.stats.netOut.Store(0)
	s.stats.rejectedConns.Store(0)
	if s.evict != nil {
		s.stats.evictedBase.Store(s.evict.EvictedKeys())
		s.stats.expiredBase.Store(s.evict.ExpiredKeys())
	}
	s.resetKeyStats()
	s.metrics.reset()
	s.resetCmdStats()
	s.saves.mu.Lock()
	s.saves.count = 0
	s.saves.mu.Unlock()
}

var configHelpLines = []string{
	"GET <pattern>",
	"    Return parameters matching the glob-like <pattern> and their values.",
	"SET <directive> <value>",
	"    Set the configuration <directive> to <value>.",
	"RESETSTAT",
	"    Reset statistics reported by the INFO command.",
	"REWRITE",
	"    Rewrite the configuration file.",
}

// CONFIG HELP
func configHelp(c *protocol.Ctx) { replyHelp(c, configHelpLines) }
