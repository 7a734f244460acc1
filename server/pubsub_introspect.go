package server

import (
	"github.com/geetcache/geetcache/protocol"
	"github.com/geetcache/geetcache/pubsub"
)

// pubsubIntrospection is PUBSUB and its subcommands. They count this
// node's subscribers only, as a Redis Cluster node counts its own.
func (s *Server) pubsubIntrospection() *protocol.Command {
	const flags = protocol.PubSub | protocol.Loading | protocol.Stale
	sub := func(name string, arity int, since, summary string, h protocol.HandlerFunc) *protocol.Command {
		return &protocol.Command{Name: "pubsub|" + name, Arity: arity, Flags: flags, Group: "pubsub",
			Since: since, Summary: summary, Handler: h}
	}
	ct := newContainer(nil,
		sub("channels", -2, "2.8.0", "List active channels", s.pubsubChannels(pubsub.Channel)),
		sub("numsub", -2, "2.8.0", "Get the count of subscribers for channels", s.pubsubNumSub(pubsub.Channel)),
		sub("numpat", 2, "2.8.0", "Get the count of unique patterns pattern subscriptions", s.pubsubNumPat),
		sub("shardchannels", -2, "7.0.0", "List active shard channels", s.pubsubChannels(pubsub.Shard)),
		sub("shardnumsub", -2, "7.0.0", "Get the count of subscribers for shard channels", s.pubsubNumSub(pubsub.Shard)),
		&protocol.Command{Name: "pubsub|help", Arity: 2, Flags: protocol.Loading | protocol.Stale, Group: "pubsub",
			Since: "6.2.0", Summary: "Show helpful text about the different subcommands", Handler: protocol.HandlerFunc(pubsubHelp)},
	)
	return &protocol.Command{Name: "pubsub", Arity: -2, Group: "pubsub", Since: "2.8.0",
		Summary: "A container for Pub/Sub commands", Handler: ct}
}

// PUBSUB CHANNELS [pattern]
// PUBSUB SHARDCHANNELS [pattern]
func (s *Server) pubsubChannels(k pubsub.Kind) protocol.HandlerFunc {
	return func(c *protocol.Ctx) {
		if len(c.Args) > 3 {
			c.Out.Error(protocol.ErrSubcommandSyntax(c.Args[1], "PUBSUB"))
			return
		}
		var pattern []byte
		if len(c.Args) == 3 {
			pattern = c.Args[2]
		}
		names := s.broker.Channels(k, pattern)
		c.Out.Array(len(names))
		for _, n := range names {
			c.Out.BulkString(n)
		}
	}
}

// PUBSUB NUMSUB [channel ...]
// PUBSUB SHARDNUMSUB [shardchannel ...]
func (s *Server) pubsubNumSub(k pubsub.Kind) protocol.HandlerFunc {
	return func(c *protocol.Ctx) {
		c.Out.Array(2 * (len(c.Args) - 2))
		for _, name := range c.Args[2:] {
			c.Out.Bulk(name)
			c.Out.Int(int64(s.broker.NumSub(k, name)))
		}
	}
}

// PUBSUB NUMPAT
func (s *Server) pubsubNumPat(c *protocol.Ctx) { c.Out.Int(int64(s.broker.NumPat())) }

var pubsubHelpLines = []string{
	"CHANNELS [<pattern>]",
	"    Return the currently active channels matching a <pattern> (default: '*').",
	"NUMPAT",
	"    Return number of subscriptions to patterns.",
	"NUMSUB [<channel> ...]",
	"    Return the number of subscribers for the specified channels, excluding",
	"    pattern subscriptions(default: no channels).",
	"SHARDCHANNELS [<pattern>]",
	"    Return the currently active shard level channels matching a <pattern> (default: '*').",
	"SHARDNUMSUB [<shardchannel> ...]",
	"    Return the number of subscribers for the specified shard level channel(s)",
}

// PUBSUB HELP
func pubsubHelp(c *protocol.Ctx) { replyHelp(c, pubsubHelpLines) }
