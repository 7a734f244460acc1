package server

import (
	"github.com/geetcache/geetcache/protocol"
)

// keyCountAt lists Redis 7.0's commands whose keys follow a count argument
// (a "keynum" key spec): the count's position; the keys come right after.
// The table's first/last/step cannot describe them.
var keyCountAt = map[string]int{
	"blmpop": 2, "bzmpop": 2, "eval": 2, "eval_ro": 2, "evalsha": 2, "evalsha_ro": 2,
	"fcall": 2, "fcall_ro": 2, "lmpop": 1, "sintercard": 1, "zdiff": 1, "zdiffstore": 2,
	"zinter": 1, "zintercard": 1, "zinterstore": 2, "zmpop": 1, "zunion": 1, "zunionstore": 2,
}

// movableKeys are the commands whose key positions depend on their
// arguments, which COMMAND INFO flags "movablekeys" as Redis derives it.
var movableKeys = map[string]bool{
	"georadius": true, "georadiusbymember": true, "migrate": true, "sort": true, "sort_ro": true,
	"xread": true, "xreadgroup": true,
}

func init() {
	for name := range keyCountAt {
		movableKeys[name] = true
	}
}

// noMandatoryKeys are the commands that may legitimately name no key.
var noMandatoryKeys = map[string]bool{
	"eval": true, "eval_ro": true, "evalsha": true, "evalsha_ro": true, "fcall": true, "fcall_ro": true,
}

// COMMAND GETKEYS command [arg [arg ...]]
func (s *Server) commandGetKeys(c *protocol.Ctx) {
	argv := c.Args[2:]
	cmd := s.lookupArgv(argv)
	_, counted := keyCountAt[nameOf(cmd)]
	switch {
	case cmd == nil:
		c.Out.Error(protocol.ErrGetKeysCommand)
		return
	case cmd.FirstKey <= 0 && !counted:
		c.Out.Error(protocol.ErrGetKeysNoKeys)
		return
	case !cmd.ArityOK(len(argv)):
		c.Out.Error(protocol.ErrGetKeysArity)
		return
	}
	keys, ok := keyPositions(cmd, argv)
	if !ok && !noMandatoryKeys[cmd.Name] {
		c.Out.Error(protocol.ErrGetKeysInvalid)
		return
	}
	c.Out.Array(len(keys))
	for _, i := range keys {
		c.Out.Bulk(argv[i])
	}
}

func nameOf(cmd *protocol.Command) string {
	if cmd == nil {
		return ""
	}
	return cmd.Name
}

// lookupArgv finds the command argv would run, subcommand included.
func (s *Server) lookupArgv(argv [][]byte) *protocol.Command {
	cmd := s.table.Lookup(argv[0])
	if cmd == nil || len(argv) < 2 {
		return cmd
	}
	if ct, ok := cmd.Handler.(*container); ok {
		return ct.lookup(argv[1])
	}
	return cmd
}

// keyPositions returns where argv's keys are, as Redis's key specs find
// them: the table's range, then the keys after a count. ok is false when
// the arguments do not hold the keys the command needs.
func keyPositions(cmd *protocol.Command, argv [][]byte) (keys []int, ok bool) {
	if cmd.FirstKey > 0 {
		last := cmd.LastKey
		if last < 0 {
			last += len(argv)
		}
		if keys, ok = rangeKeys(keys, cmd.FirstKey, last, cmd.Step, len(argv)); !ok {
			return nil, false
		}
	}
	if at, counted := keyCountAt[cmd.Name]; counted {
		return countedKeys(keys, at, argv)
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
