package protocol

// Publisher delivers a message published by an applied log entry to the
// subscribers of this node (pubsub.Broker). It returns how many deliveries
// it made. It must return at once (it runs inside the state machine) and
// must not keep channel or msg.
type Publisher interface {
	Publish(channel, msg []byte, shard bool) int
}

// pubsubLevel is the command level of PUBLISH and SPUBLISH (see Level):
// a binary without them stops at the first entry that publishes.
const pubsubLevel = 3

// PUBLISH and SPUBLISH enter the log (their routing flag is Write) so that
// every node delivers them, in log order, as it applies them; what COMMAND
// INFO shows are Redis's flags, in which they are not writes.
var pubsubCommands = []*Command{
	{Name: "publish", Arity: 3, Flags: PubSub | Loading | Stale | Fast | MayReplicate, Group: "pubsub", Since: "2.0.0",
		Summary: "Post a message to a channel", Level: pubsubLevel,
		Handler: HandlerFunc(publish), CallFlags: alwaysWrite},
	{Name: "spublish", Arity: 3, Flags: PubSub | Loading | Stale | Fast | MayReplicate, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "pubsub", Since: "7.0.0", Summary: "Post a message to a shard channel", Level: pubsubLevel,
		Handler: HandlerFunc(spublish), CallFlags: alwaysWrite},
}

func alwaysWrite([][]byte) Flags { return Write }

// PUBLISH channel message
//
// The reply is the deliveries this node made: Pub is set only inside the
// state machine, for an entry applied live (not one replayed at start).
func publish(c *Ctx) { c.Out.Int(int64(c.publish(false))) }

// SPUBLISH shardchannel message
func spublish(c *Ctx) { c.Out.Int(int64(c.publish(true))) }

func (c *Ctx) publish(shard bool) int {
	if c.Pub == nil {
		return 0
	}
	return c.Pub.Publish(c.Args[1], c.Args[2], shard)
}
