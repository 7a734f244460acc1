package server

import (
	"slices"

	"github.com/geetcache/geetcache/protocol"
)

// COMMAND GETKEYS command [arg [arg ...]]
func (s *Server) commandGetKeys(c *protocol.Ctx) {
	_, argv, keys, ok := s.getKeys(c)
	if !ok {
		return
	}
	c.Out.Array(len(keys))
	for _, i := range keys {
		c.Out.Bulk(argv[i])
	}
}

// getKeys finds the command GETKEYS and GETKEYSANDFLAGS are given, its
// arguments and where its keys are; ok is false when it answered Redis's
// error instead.
func (s *Server) getKeys(c *protocol.Ctx) (cmd *protocol.Command, argv [][]byte, keys []int, ok bool) {
	argv = c.Args[2:]
	cmd = s.lookupArgv(argv)
	switch {
	case cmd == nil:
		c.Out.Error(protocol.ErrGetKeysCommand)
		return nil, nil, nil, false
	case cmd.FirstKey <= 0 && cmd.KeyCount == 0 && cmd.Keys == nil:
		c.Out.Error(protocol.ErrGetKeysNoKeys)
		return nil, nil, nil, false
	case !cmd.ArityOK(len(argv)):
		c.Out.Error(protocol.ErrGetKeysArity)
		return nil, nil, nil, false
	}
	keys, ok = keyPositions(cmd, argv)
	if !ok || (len(keys) == 0 && cmd.Flags&protocol.NoMandatoryKeys == 0) {
		c.Out.Error(protocol.ErrGetKeysInvalid)
		return nil, nil, nil, false
	}
	return cmd, argv, keys, true
}

// lookupArgv finds the command argv would run, subcommand included.
func (s *Server) lookupArgv(argv [][]byte) *protocol.Command {
	cmd := s.table.Lookup(argv[0])
	if cmd == nil || len(argv) < 2 {
		return cmd
	}
	if protocol.SubcommandsOf(cmd) != nil {
		return protocol.SubcommandOf(cmd, argv[1])
	}
	return cmd
}

// keyPositions returns where argv's keys are, as Redis's key specs find
// them: the table's range, then the keys after a count. ok is false when
// the arguments do not hold the keys the command needs.
func keyPositions(cmd *protocol.Command, argv [][]byte) (keys []int, ok bool) {
	if cmd.Keys != nil {
		keys = cmd.Keys(argv)
		return keys, keys != nil
	}
	if cmd.FirstKey > 0 {
		last := cmd.LastKey
		if last < 0 {
			last += len(argv)
		}
		if keys, ok = rangeKeys(keys, cmd.FirstKey, last, cmd.Step, len(argv)); !ok {
			return nil, false
		}
	}
	if cmd.KeyCount > 0 {
		return countedKeys(keys, cmd.KeyCount, argv)
	}
	return keys, true
}

func rangeKeys(keys []int, first, last, step, argc int) ([]int, bool) {
	if last >= argc || last < first || first >= argc {
		return nil, false
	}
	step = max(step, 1)
	for i := first; i <= last; i += step {
		keys = append(keys, i)
	}
	return keys, true
}

func countedKeys(keys []int, at int, argv [][]byte) ([]int, bool) {
	if at >= len(argv) {
		return nil, false
	}
	n, ok := protocol.ParseInt(argv[at])
	if !ok || n < 0 || n > int64(len(argv)) {
		return nil, false
	}
	if n == 0 { // EVAL script 0: no keys, as it may
		return keys, true
	}
	return rangeKeys(keys, at+1, at+int(n), 1, len(argv))
}

// COMMAND GETKEYSANDFLAGS command [arg [arg ...]]: the keys GETKEYS
// finds, each with the flags of Redis 7.0's key spec that finds it (a key
// only a command's own procedure finds, as SORT's STORE key, gets its last
// spec's flags, the one Redis leaves unknown for it).
func (s *Server) commandGetKeysAndFlags(c *protocol.Ctx) {
	cmd, argv, keys, ok := s.getKeys(c)
	if !ok {
		return
	}
	specFlags := keyFlags(protocol.RedisKeySpecs(cmd.Name), argv)
	c.Out.Array(len(keys))
	for _, i := range keys {
		c.Out.Array(2)
		c.Out.Bulk(argv[i])
		flags := variableFlags(cmd.Name, argv, specFlags[i])
		c.Out.Array(len(flags))
		for _, f := range flags {
			c.Out.Simple(f)
		}
	}
}

// keyFlags returns, per argument index, the flags of the first spec that
// finds a key there, else of the last spec (nil without specs). Each
// spec's positions are computed once for the call, not once per key: a
// DEL of many keys stays linear.
func keyFlags(specs []protocol.KeySpec, argv [][]byte) [][]string {
	at := make([][]string, len(argv))
	if len(specs) == 0 {
		return at
	}
	found := make([]bool, len(argv))
	for _, ks := range specs {
		for _, i := range ks.Positions(argv) {
			if !found[i] {
				at[i], found[i] = ks.Flags, true
			}
		}
	}
	for i := range at {
		if !found[i] {
			at[i] = specs[len(specs)-1].Flags
		}
	}
	return at
}

// variableFlags resolves the flags of a spec flagged variable_flags as
// Redis's getkeys procedures do: SET without GET only overwrites; a
// BITFIELD with no SET or INCRBY only reads.
func variableFlags(name string, argv [][]byte, flags []string) []string {
	if !slices.Contains(flags, "variable_flags") {
		return flags
	}
	switch name {
	case "set":
		for _, a := range argv[3:] {
			if protocol.EqualFold(a, "get") {
				return []string{"RW", "access", "update"}
			}
		}
		return []string{"OW", "update"}
	case "bitfield":
		for _, a := range argv[2:] {
			if protocol.EqualFold(a, "set") || protocol.EqualFold(a, "incrby") {
				return []string{"RW", "access", "update"}
			}
		}
		return []string{"RO", "access"}
	}
	return slices.DeleteFunc(slices.Clone(flags), func(f string) bool { return f == "variable_flags" })
}
