package scripting

import (
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
	flags, ok := e.declaredFlags(args)
	return ok && flags&FlagNoWrites == 0
}

// DeclaresFlags reports whether the script or function of this call (as
// DeclaresWrite's) declares flags that replace its command's own, as
// Redis 7.0 takes them: a valid shebang, a cached script's, a function's.
// Without them Redis keeps EVAL's, EVALSHA's and FCALL's may_replicate
// flag, by which CLIENT PAUSE WRITE holds the call.
func (e *Engine) DeclaresFlags(args [][]byte) bool {
	_, ok := e.declaredFlags(args)
	return ok
}

// declaredFlags returns the flags the call's script or function declares,
// and whether it declares any.
func (e *Engine) declaredFlags(args [][]byte) (ScriptFlags, bool) {
	if len(args) < 2 {
		return 0, false
	}
	name := args[0]
	switch {
	case protocol.EqualFold(name, "eval"), protocol.EqualFold(name, "eval_ro"):
		return bodyFlags(string(args[1]))
	case protocol.EqualFold(name, "evalsha"), protocol.EqualFold(name, "evalsha_ro"):
		if body, ok := e.lookup(args[1]); ok {
			return bodyFlags(body)
		}
	case protocol.EqualFold(name, "fcall"), protocol.EqualFold(name, "fcall_ro"):
		if e.state.Functions == nil {
			return 0, false
		}
		e.state.RLock()
		f := e.functions().Function(args[1])
		e.state.RUnlock()
		if f != nil {
			return f.Flags, true
		}
	}
	return 0, false
}

// bodyFlags returns the flags of body's shebang, and whether it has a
// valid one.
func bodyFlags(body string) (ScriptFlags, bool) {
	if len(body) < 2 || body[:2] != "#!" {
		return 0, false // no shebang: no flags to read
	}
	flags, _, errMsg := parseShebang(body)
	return flags, errMsg == "" && flags&FlagEvalCompat == 0
}
