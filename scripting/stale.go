package scripting

import (
	"strings"

	"github.com/geetcache/geetcache/protocol"
)

// errStaleReplica is a script's call refused on a stale replica (Redis
// 7.0's scriptVerifyAllowStale).
const errStaleReplica = "ERR Can not execute the command on a stale replica"

// StaleChecker is implemented by a connection (protocol.Ctx.Conn) whose
// node may be a replica that lost its master: ScriptStale reports whether
// it is one now, with replica-serve-stale-data no. A run inside the state
// machine has no such connection and is never judged stale.
type StaleChecker interface {
	ScriptStale() bool
}

// onStaleReplica reports whether the script run rc's caller is on a
// stale replica: Redis then runs only the commands flagged stale (INFO,
// TIME...) from a script, which gets that far only when it declares
// allow-stale (RefusedStale).
func onStaleReplica(rc *runCtx) bool {
	ck, ok := rc.c.Conn.(StaleChecker)
	return ok && ck.ScriptStale()
}

// RefusedStale reports whether a stale replica refuses this call of EVAL,
// EVALSHA, FCALL or their _RO forms before it runs (MASTERDOWN), as Redis
// 7.0 does: a script or function that declares its flags without
// allow-stale (processCommand judges it by them), and, unless the call is
// queued in a transaction, a script without a shebang (scriptPrepareForRun
// refuses it as it starts). An unknown SHA-1 or function and a bad shebang
// are not refused here: their own errors come first.
func (e *Engine) RefusedStale(args [][]byte, queued bool) bool {
	if flags, ok := e.declaredFlags(args); ok {
		return flags&FlagAllowStale == 0
	}
	if queued || len(args) < 2 {
		return false
	}
	body, known := string(args[1]), true
	if protocol.EqualFold(args[0], "evalsha") || protocol.EqualFold(args[0], "evalsha_ro") {
		body, known = e.lookup(args[1])
	} else if !protocol.EqualFold(args[0], "eval") && !protocol.EqualFold(args[0], "eval_ro") {
		return false
	}
	return known && !strings.HasPrefix(body, "#!")
}
