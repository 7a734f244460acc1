package protocol

import "fmt"

// The command level of a binary is the highest Level in its table
// (Table.Level): 6 today (scripting took 2, streams 3, ACL users 4, GEO 5, databases 6). A release that adds a write command, or changes
// what an existing one does to the keyspace (a new option, a different
// result), gives that command the next level. Entries record the highest
// level among their commands, so an older binary stops at the first entry
// it would apply differently, and keeps applying entries that use only
// commands it knows (a rolling upgrade).

// Level returns the table's command level: the highest Level of its
// commands, at least 1.
func (t *Table) Level() uint64 { return max(t.level, 1) }

// EntryLevel returns the highest command level among e's commands: what
// the proposer records in e.Level.
func (t *Table) EntryLevel(e *Entry) uint64 {
	level := uint64(1)
	if e.Kind != EntryCommands {
		return level
	}
	var c *Command
	for i := range e.Units {
		for _, argv := range e.Units[i].Cmds {
			if len(argv) == 0 {
				continue
			}
			if c = t.LookupAfter(c, argv[0]); c != nil && c.Level > level {
				level = c.Level
			}
		}
	}
	return level
}

// CheckEntry reports why this binary cannot apply e, wrapping
// ErrEntryTooNew (a newer kind or level, or a command it does not know or
// with an arity it does not accept: the proposer checked both against its
// own table) or ErrEntryDamaged (a command with no name); nil if it can.
func (t *Table) CheckEntry(e *Entry) error {
	if e.Kind < EntryCommands || e.Kind > maxEntryKind {
		return fmt.Errorf("%w: entry kind %d, this binary knows up to %d", ErrEntryTooNew, e.Kind, maxEntryKind)
	}
	if e.Level > t.Level() {
		return fmt.Errorf("%w: command level %d, this binary applies up to level %d", ErrEntryTooNew, e.Level, t.Level())
	}
	if e.Kind != EntryCommands {
		return nil
	}
	var c *Command
	for i := range e.Units {
		for _, argv := range e.Units[i].Cmds {
			var err error
			if c, err = t.checkArgv(c, argv); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkArgv checks one command; prev is the command before it (LookupAfter),
// and the command found is returned for the next.
func (t *Table) checkArgv(prev *Command, argv [][]byte) (*Command, error) {
	if len(argv) == 0 {
		return nil, fmt.Errorf("%w: a command with no name", ErrEntryDamaged)
	}
	c := t.LookupAfter(prev, argv[0])
	if c == nil {
		return nil, fmt.Errorf("%w: command '%.64s' is unknown to this binary", ErrEntryTooNew, argv[0])
	}
	if !c.ArityOK(len(argv)) {
		return nil, fmt.Errorf("%w: command '%s' with %d arguments, which this binary refuses", ErrEntryTooNew, c.Name, len(argv)-1)
	}
	return c, nil
}
