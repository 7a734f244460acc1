package scripting

import (
	"bytes"

	"github.com/geetcache/geetcache/protocol"
)

// DeclaresWrite reports whether Redis 7.0 flags this call of EVAL,
// EVALSHA, EVAL_RO, EVALSHA_RO, FCALL or FCALL_RO a write command by the
// flags its script declares (evalGetCommandFlags, fcallGetCommandFlags):
// a script whose shebang does not say no-writes, a function registered
// without no-writes. A script without a shebang (it is judged at its first
// write instead), a bad shebang, an unknown SHA-1 or function, or any
// other command, keeps the command's own flags, which are not write.
// Safe for concurrent use; it reads the replicated state under its lock.
func (e *Engine) DeclaresWrite(args [][]byte) bool {
	if len(args) < 2 {
		return false
	}
	name := args[0]
	switch {
	case protocol.EqualFold(name, "eval"), protocol.EqualFold(name, "eval_ro"):
		return bytes.HasPrefix(args[1], []byte("#!")) && bodyDeclaresWrite(string(args[1])) // no shebang: no flags to read
	case protocol.EqualFold(name, "evalsha"), protocol.EqualFold(name, "evalsha_ro"):
		body, ok := e.lookup(args[1])
		return ok && bodyDeclaresWrite(body)
	case protocol.EqualFold(name, "fcall"), protocol.EqualFold(name, "fcall_ro"):
		if e.state.Functions == nil {
			return false
		}
		e.state.RLock()
		f := e.functions().Function(args[1])
		e.state.RUnlock()
		return f != nil && f.Flags&FlagNoWrites == 0
	}
	return false
}

// bodyDeclaresWrite reports whether body has a valid shebang without
// no-writes.
func bodyDeclaresWrite(body string) bool {
	flags, _, errMsg := parseShebang(body)
	return errMsg == "" && flags&(FlagEvalCompat|FlagNoWrites) == 0
}
