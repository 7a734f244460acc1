package protocol

import "strings"

// Subcommander is a Handler made of subcommands (CONFIG, CLIENT,
// FUNCTION...). Each subcommand is a Command of its own, named
// "parent|sub" as Redis names it, whose arity counts the parent; COMMAND
// INFO, DOCS and GETKEYS read them from here.
type Subcommander interface {
	Subcommands() []*Command
}

// SubcommandsOf returns cmd's subcommands, or nil when it has none.
func SubcommandsOf(cmd *Command) []*Command {
	if sc, ok := cmd.Handler.(Subcommander); ok {
		return sc.Subcommands()
	}
	return nil
}

// SubcommandOf returns cmd's subcommand named sub (any case), or nil.
func SubcommandOf(cmd *Command, sub []byte) *Command {
	for _, c := range SubcommandsOf(cmd) {
		i := strings.IndexByte(c.Name, '|')
		if EqualFold(sub, c.Name[i+1:]) {
			return c
		}
	}
	return nil
}

// subcommandFor returns the subcommand argv calls when c is a container,
// or nil.
func subcommandFor(c *Command, argv [][]byte) *Command {
	if len(argv) < 2 {
		return nil
	}
	if _, ok := c.Handler.(Subcommander); !ok {
		return nil
	}
	return SubcommandOf(c, argv[1])
}

// Called returns the row Redis's lookupCommand runs for argv: c itself,
// or when c is a container named with a subcommand, that subcommand; nil
// when argv names a subcommand c lacks or one whose arity it does not
// fit, which is answered with its error before any other check.
func Called(c *Command, argv [][]byte) *Command {
	if len(argv) < 2 || SubcommandsOf(c) == nil {
		return c
	}
	sub := SubcommandOf(c, argv[1])
	if sub == nil || !sub.ArityOK(len(argv)) {
		return nil
	}
	return sub
}
