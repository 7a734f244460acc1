package scripting

import (
	lua "github.com/yuin/gopher-lua"
)

// ACLChecker is implemented by a connection (protocol.Ctx.Conn) whose
// user's permissions a script's commands are checked against, as Redis
// checks redis.call against the script caller's user.
type ACLChecker interface {
	// ScriptACLCheck returns "" when the connection's user may run argv
	// (a command the table knows, arity checked), else the error a
	// redis.call answers (and logs the denial in ACL LOG).
	ScriptACLCheck(argv [][]byte) string
	// ACLAllows reports whether the user may run argv, logging nothing
	// (redis.acl_check_cmd).
	ACLAllows(argv [][]byte) bool
}

// aclDenied returns the error a call from the script run rc answers when
// its caller may not run argv; "" when it may, or when the run has no
// caller to check (inside the state machine, a unit that names no user:
// its caller has no restrictions).
func aclDenied(rc *runCtx, argv [][]byte) string {
	if ck, ok := rc.c.Conn.(ACLChecker); ok {
		return ck.ScriptACLCheck(argv)
	}
	return ""
}

// aclCheckCmd is redis.acl_check_cmd: whether the script's caller may run
// the command with these arguments (true when the run has no caller to
// check: inside the state machine, for a caller without restrictions).
func (sb *Sandbox) aclCheckCmd(e *Engine, L *lua.LState) int {
	argv, errMsg := luaArgs(L)
	if errMsg != "" {
		raiseRedis(L, errMsg)
	}
	if e.table.Lookup(argv[0]) == nil {
		raiseRedis(L, "ERR Invalid command passed to redis.acl_check_cmd()")
	}
	allowed := true
	if rc := sb.run; rc != nil {
		if ck, ok := rc.c.Conn.(ACLChecker); ok {
			allowed = ck.ACLAllows(argv)
		}
	}
	L.Push(lua.LBool(allowed))
	return 1
}
