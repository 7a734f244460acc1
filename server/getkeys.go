package server

import (
	"github.com/geetcache/geetcache/protocol"
)

// COMMAND GETKEYS command [arg [arg ...]]
func (s *Server) commandGetKeys(c *protocol.Ctx) {
	argv := c.Args[2:]
	cmd := s.lookupArgv(argv)
	switch {
	case cmd == nil:
		c.Out.Error(protocol.ErrGetKeysCommand)
		return
	case cmd.FirstKey <= 0 && cmd.KeyCount == 0 && cmd.Keys == nil:
		c.Out.Error(protocol.ErrGetKeysNoKeys)
		return
	case !cmd.ArityOK(len(argv)):
		c.Out.Error(protocol.ErrGetKeysArity)
		return
	}
	keys, ok := keyPositions(cmd, argv)
	if !ok {
		c.Out.Error(protocol.ErrGetKeysInvalid)
		return
	}
	c.Out.Array(len(keys))
	for _, i := range keys {
		c.Out.Bulk(argv[i])
	}
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
	return rangeKeys(keys, at+1, at+int(n), 1, len(argv))
}
