package server

import (
	"slices"
	"strings"

	"github.com/geetcache/geetcache/protocol"
)

// container is the handler of a command made of subcommands (CLIENT,
// CONFIG, COMMAND). Each subcommand is a protocol.Command of its own, named
// "parent|sub" as Redis names it, whose arity counts the parent: the
// container checks it and answers unknown subcommands exactly as Redis's
// dispatcher does. COMMAND INFO, DOCS and LIST read the subcommands from
// here, so what is documented is what runs.
type container struct {
	subs []*protocol.Command // sorted by name
	// bare runs the parent called with no subcommand (COMMAND); nil when
	// the parent's arity forbids that.
	bare protocol.Handler
}

// newContainer returns the container of subs. A call it refuses (unknown
// subcommand, wrong arity) is counted by the dispatcher (cmdstats.go).
func newContainer(bare protocol.Handler, subs ...*protocol.Command) *container {
	subs = slices.Clone(subs)
	slices.SortFunc(subs, func(a, b *protocol.Command) int { return strings.Compare(a.Name, b.Name) })
	return &container{subs: subs, bare: bare}
}

// Subcommands returns the subcommands sorted by name.
func (ct *container) Subcommands() []*protocol.Command { return ct.subs }

// lookup returns the subcommand named sub (any case), or nil.
func (ct *container) lookup(sub []byte) *protocol.Command {
	for _, c := range ct.subs {
		i := strings.IndexByte(c.Name, '|')
		if protocol.EqualFold(sub, c.Name[i+1:]) {
			return c
		}
	}
	return nil
}

// ServeRESP dispatches to the subcommand named by the second argument.
func (ct *container) ServeRESP(c *protocol.Ctx) {
	if len(c.Args) == 1 {
		if ct.bare == nil {
			c.Out.Error(protocol.ErrWrongArity(strings.ToLower(string(c.Args[0]))))
			return
		}
		ct.bare.ServeRESP(c)
		return
	}
	sub := ct.lookup(c.Args[1])
	cl, _ := c.Conn.(*client)
	if cl != nil {
		cl.cmdName = subName(sub)
		cl.touch(cl.cmdName) // CLIENT LIST shows the caller's own subcommand
	}
	switch {
	case sub == nil:
		c.Out.Error(protocol.ErrUnknownSubcommand(c.Args[1], string(c.Args[0])))
	case !sub.ArityOK(len(c.Args)):
		c.Out.Error(protocol.ErrWrongArity(sub.Name))
	default:
		sub.Handler.ServeRESP(c)
	}
}

// subName is what CLIENT LIST shows as the last command: Redis forgets the
// command when the subcommand is unknown.
func subName(sub *protocol.Command) string {
	if sub == nil {
		return ""
	}
	return sub.Name
}

// subcommandsOf returns cmd's subcommands (a container's, or another
// protocol.Subcommander's such as FUNCTION), or nil when it has none.
func subcommandsOf(cmd *protocol.Command) []*protocol.Command { return protocol.SubcommandsOf(cmd) }

// replyHelp writes a HELP reply as Redis's addReplyHelp does: a header
// naming the command as the client typed it, the lines, and HELP itself.
func replyHelp(c *protocol.Ctx, lines []string) {
	c.Out.Array(len(lines) + 3)
	c.Out.Simple(strings.ToUpper(string(c.Args[0])) + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:")
	for _, l := range lines {
		c.Out.Simple(l)
	}
	c.Out.Simple("HELP")
	c.Out.Simple("    Prints this help.")
}
