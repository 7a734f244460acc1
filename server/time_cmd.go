package server

import (
	"time"

	"github.com/geetcache/geetcache/protocol"
)

func timeCommands() []*protocol.Command {
	return []*protocol.Command{
		{Name: "time", Arity: 1, Flags: protocol.Loading | protocol.Stale | protocol.Fast, Group: "server", Since: "2.6.0",
			Summary: "Return the current server time", Handler: protocol.HandlerFunc(timeCmd)},
	}
}

// TIME: this node's clock, as seconds and microseconds.
func timeCmd(c *protocol.Ctx) {
	now := time.Now()
	c.Out.Array(2)
	c.Out.BulkInt(now.Unix())
	c.Out.BulkInt(int64(now.Nanosecond() / 1000))
}
