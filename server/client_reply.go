package server

import (
	"github.com/geetcache/geetcache/protocol"
)

// replyMode is CLIENT REPLY's state of a connection. Pushes (subscription
// confirmations, messages) are sent in every mode, as in Redis: they go
// to the connection's push queue, never through the replies dropped here.
type replyMode uint8

const (
	replyOn       replyMode = iota
	replyOff                // CLIENT REPLY OFF: no reply until CLIENT REPLY ON
	replySkipNext           // CLIENT REPLY SKIP was the last command
	replySkip               // this command's reply is dropped, then replyOn
)

// CLIENT REPLY ON|OFF|SKIP
func clientReply(c *protocol.Ctx) {
	cl := conn(c)
	switch {
	case protocol.EqualFold(c.Args[2], "on"):
		cl.reply, cl.replyOnNow = replyOn, true
		c.Out.OK()
	case protocol.EqualFold(c.Args[2], "off"):
		cl.reply = replyOff
	case protocol.EqualFold(c.Args[2], "skip"):
		if cl.reply != replyOff {
			cl.reply = replySkipNext
		}
	default:
		c.Out.Error(protocol.ErrSyntax)
	}
}

// dispatchQuiet runs one call of a connection whose replies are off or
// skipped: alone, its reply settled, then dropped if the mode (as it was
// before the call) says so. Redis's resetClient turns a SKIP into skipping
// the next command.
func (s *Server) dispatchQuiet(c *client, b *batch, one []call) {
	if c.reply == replySkipNext { // the command after CLIENT REPLY SKIP
		c.reply = replySkip
	}
	drop := c.reply == replyOff || c.reply == replySkip
	if c.reply == replySkip {
		c.reply = replyOn
	}
	mark, handoffs := len(c.out.B), c.handoffs
	c.replyOnNow = false
	s.dispatch(c, b, one)
	s.settle(c, b)
	if c.handoffs != handoffs { // the replies before it went to the push queue
		mark = 0
	}
	if drop && !c.replyOnNow { // CLIENT REPLY ON's +OK is sent
		c.out.B = c.out.B[:max(mark, c.sent)]
	}
}
