package protocol

import (
	"slices"
	"strings"
)

// subContainer is the handler of OBJECT, XGROUP and XINFO: it dispatches to its
// subcommand rows (which COMMAND INFO and DOCS list), checking their arity
// as Redis's dispatcher does.
type subContainer struct {
	name string
	subs []*Command // sorted by name
}

func newSubContainer(name string, subs ...*Command) *subContainer {
	slices.SortFunc(subs, func(a, b *Command) int { return strings.Compare(a.Name, b.Name) })
	return &subContainer{name: name, subs: subs}
}

// Subcommands returns the subcommands sorted by name.
func (sc *subContainer) Subcommands() []*Command { return sc.subs }

// ServeRESP runs the subcommand args[1] names.
func (sc *subContainer) ServeRESP(c *Ctx) {
	sub := SubcommandOf(&Command{Handler: sc}, c.Args[1])
	switch {
	case sub == nil:
		c.Out.Error(ErrUnknownSubcommand(c.Args[1], sc.name))
	case !sub.ArityOK(len(c.Args)):
		c.Out.Error(ErrWrongArity(sub.Name))
	default:
		sub.Handler.ServeRESP(c)
	}
}

// writeHelp writes a HELP reply as Redis's addReplyHelp does.
func writeHelp(c *Ctx, lines []string) {
	c.Out.Array(len(lines) + 3)
	c.Out.Simple(strings.ToUpper(string(c.Args[0])) + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:")
	for _, l := range lines {
		c.Out.Simple(l)
	}
	c.Out.Simple("HELP")
	c.Out.Simple("    Prints this help.")
}

// keySub returns the subcommand "parent|name" of command group group,
// whose key is its third argument (HELP has none).
func keySub(parent, group, name string, arity int, flags Flags, since, summary string, h HandlerFunc) *Command {
	c := &Command{Name: parent + "|" + name, Arity: arity, Flags: flags, FirstKey: 2, LastKey: 2, Step: 1,
		Group: group, Since: since, Summary: summary, Handler: h}
	if name == "help" {
		c.FirstKey, c.LastKey, c.Step = 0, 0, 0
	}
	return c
}
