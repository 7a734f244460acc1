package scripting

import (
	"log/slog"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/geetcache/geetcache/protocol"
)

// Redis 7.0's texts for errors of redis.call and redis.pcall.
const (
	errNoArgs        = "ERR Please specify at least one argument for this redis lib call"
	errBadArgType    = "ERR Lua redis lib command arguments must be strings or integers"
	errUnknownCmd    = "ERR Unknown Redis command called from script"
	errNotAllowed    = "ERR This Redis command is not allowed from script"
	errWrongArgs     = "ERR Wrong number of args calling Redis command from script"
	errWriteReadOnly = "ERR Write commands are not allowed from read-only scripts."
	errSetResp       = "RESP version must be 2 or 3."
)

// Version that scripts see as redis.REDIS_VERSION(_NUM).
const (
	redisVersion    = "7.0.15"
	redisVersionNum = 0x07000f
)

// openRedis installs the redis table.
func (sb *Sandbox) openRedis(e *Engine) {
	L := sb.L
	t := L.NewTable()
	fns := map[string]lua.LGFunction{
		"call":               func(L *lua.LState) int { return sb.redisCall(e, L, false) },
		"pcall":              func(L *lua.LState) int { return sb.redisCall(e, L, true) },
		"error_reply":        luaErrorReply,
		"status_reply":       luaStatusReply,
		"sha1hex":            luaSHA1Hex,
		"log":                luaLog,
		"setresp":            sb.luaSetResp,
		"set_repl":           luaSetRepl,
		"replicate_commands": luaReplicateCommands,
		"breakpoint":         luaNoop(lua.LFalse),
		"debug":              luaNoop(nil),
		"acl_check_cmd":      func(L *lua.LState) int { return sb.aclCheckCmd(e, L) },
	}
	for name, fn := range fns {
		t.RawSetString(name, L.NewFunction(fn))
	}
	for name, v := range map[string]lua.LValue{
		"REDIS_VERSION": lua.LString(redisVersion), "REDIS_VERSION_NUM": lua.LNumber(redisVersionNum),
		"LOG_DEBUG": lua.LNumber(0), "LOG_VERBOSE": lua.LNumber(1), "LOG_NOTICE": lua.LNumber(2), "LOG_WARNING": lua.LNumber(3),
		"REPL_NONE": lua.LNumber(0), "REPL_AOF": lua.LNumber(1), "REPL_SLAVE": lua.LNumber(2), "REPL_REPLICA": lua.LNumber(2), "REPL_ALL": lua.LNumber(3),
	} {
		t.RawSetString(name, v)
	}
	L.SetGlobal("redis", t)
}

// redisCall is redis.call (raising errors) and redis.pcall (returning
// them as {err=...} tables).
func (sb *Sandbox) redisCall(e *Engine, L *lua.LState, protected bool) int {
	rc := sb.run
	if rc == nil {
		return raiseOrReturn(L, protected, "ERR redis.call called outside a script run")
	}
	if rc.run.OnCall != nil {
		rc.run.OnCall()
	}
	argv, errMsg := luaArgs(L)
	if errMsg != "" {
		return raiseOrReturn(L, protected, errMsg)
	}
	reply, errMsg := e.exec(rc, argv)
	if errMsg == errProbeStore {
		return e.stopProbe(L, rc.run)
	}
	if errMsg == errWriteReadOnly && rc.run.Probe != nil { // busy: probe.go
		if errMsg = e.writeDenied(rc.run, argv); errMsg == "" {
			return e.stopProbe(L, rc.run)
		}
	}
	e.countCall(rc.c, argv, reply, errMsg) // INFO commandstats (call_stats.go)
	if errMsg != "" {
		return raiseCounted(L, protected, errMsg)
	}
	v, isErr := respToLua(L, reply, rc.resp)
	if isErr {
		markCounted(v) // counted by countCall, as Redis marks it
	}
	if isErr && !protected {
		L.Error(v, 0)
	}
	L.Push(v)
	return 1
}

// luaArgs converts the call's arguments: strings and numbers (formatted
// as Redis does, "%.17g"); anything else is an error.
func luaArgs(L *lua.LState) ([][]byte, string) {
	n := L.GetTop()
	if n == 0 {
		return nil, errNoArgs
	}
	argv := make([][]byte, n)
	for i := 1; i <= n; i++ {
		switch v := L.Get(i).(type) {
		case lua.LString:
			argv[i-1] = []byte(v)
		case lua.LNumber:
			argv[i-1] = []byte(formatLuaNumber(float64(v)))
		default:
			return nil, errBadArgType
		}
	}
	return argv, ""
}

// exec runs one command for a script: the checks Redis makes for a call
// from a script, then the command's handler with a nested context. It
// returns the command's RESP reply (in rc.resp), or an error text.
func (e *Engine) exec(rc *runCtx, argv [][]byte) ([]byte, string) {
	cmd := e.table.Lookup(argv[0])
	if cmd == nil {
		name := string(lowerASCII(argv[0]))
		if local, ok := scriptLocal[name]; ok {
			switch {
			case !protocol.ArityFits(local.arity, len(argv)):
				return nil, errWrongArgs
			case !local.stale && onStaleReplica(rc): // stale.go
				return nil, errStaleReplica
			}
			return local.run(rc, argv)
		}
		if name == "debug" {
			return e.localDebug(rc, argv)
		}
		return nil, e.serverRefusal(name, argv) // server_table.go
	}
	// A container's call (XGROUP CREATE) is a write by its routing flags;
	// a command flagged write is one by its flags, as Redis judges it, even
	// when this call routes as a read (SORT without STORE).
	writes := cmd.FlagsFor(argv)&protocol.Write != 0 || cmd.Flags&protocol.Write != 0
	// Redis's order: the command (a container's subcommand) and its
	// arity, then noscript, then a stale replica.
	called, msg := calledFromScript(cmd, argv) // server_table.go
	switch {
	case msg != "":
		return nil, msg
	case cmd.Flags&protocol.NoScript != 0 || called.Flags&protocol.NoScript != 0:
		return nil, errNotAllowed
	case called.Flags&protocol.Stale == 0 && onStaleReplica(rc): // stale.go: before the ACL check, as Redis
		return nil, errStaleReplica
	}
	if msg := aclDenied(rc, argv); msg != "" { // before the write check, as Redis
		return nil, msg
	}
	if rc.run.ReadOnly && (writes || cmd.Flags&protocol.MayReplicate != 0) {
		return nil, errWriteReadOnly // as Redis, a may-replicate command too (PFCOUNT, PUBLISH)
	}
	if !writes && probeStores(rc, cmd, argv) {
		return nil, errProbeStore // probe_store.go
	}
	if writes && !rc.c.Writing() {
		return nil, errWriteReadOnly
	}
	if writes && !rc.run.Wrote {
		rc.run.Wrote = true
		if rc.run.OnWrite != nil {
			rc.run.OnWrite()
		}
	}
	if rn, ok := rc.c.Conn.(ReadNoter); ok && cmd.Flags&protocol.Readonly != 0 {
		rn.ScriptRead()
	}
	rc.w.B, rc.w.Proto = rc.w.B[:0], rc.resp
	nested := &rc.nested
	*nested = protocol.Ctx{Args: argv, DB: rc.db, DBs: rc.c.DBs, DBIndex: rc.dbIndex, Now: rc.c.Now, Rand: rc.c.Rand, Out: &rc.w, Script: true, Pub: rc.c.Pub, StreamLimits: rc.c.StreamLimits, Events: rc.c.Events,
		Stats: rc.c.Stats, Access: rc.c.Access, LFU: rc.c.LFU, Clock: rc.c.Clock, ReadCall: !writes}
	if rc.c.Dirty != nil {
		rc.nestedDirty = protocol.Dirty{}
		nested.Dirty = &rc.nestedDirty
	}
	var mark protocol.ReplMark
	if rc.c.Repl != nil {
		mark = rc.c.Repl.Mark()
	}
	cmd.Handler.ServeRESP(nested)
	if nested.Dirty != nil {
		rc.c.AddDirty(nested.Dirty.Amount()) // the script counts its commands' changes
	}
	if rc.c.Repl != nil { // the call propagates in the script's place
		rc.c.Repl.Called(cmd, nested, rc.dbIndex, mark, rc.w.B)
	}
	// SELECT switches the database the script's next calls use, SWAPDB
	// may put another keyspace at its index; the caller's own selection
	// stays as it was (Redis 7.0).
	rc.db, rc.dbIndex = nested.DB, nested.DBIndex
	return rc.w.B, ""
}

// raiseOrReturn raises msg as an error table, or returns it (pcall).
func raiseOrReturn(L *lua.LState, protected bool, msg string) int {
	t := L.NewTable()
	t.RawSetString("err", lua.LString(msg))
	if !protected {
		L.Error(t, 0)
	}
	L.Push(t)
	return 1
}

// luaErrorReply is redis.error_reply: {err=errorReplyText(msg)}.
func luaErrorReply(L *lua.LState) int {
	if L.GetTop() != 1 || L.Get(1).Type() != lua.LTString {
		return raiseOrReturn(L, true, "ERR wrong number or type of arguments")
	}
	t := L.NewTable()
	t.RawSetString("err", lua.LString(errorReplyText(L.CheckString(1))))
	L.Push(t)
	return 1
}

// errorReplyText is the err field of redis.error_reply(msg), as Redis 7.0's
// luaRedisErrorReplyCommand and luaPushErrorBuff make it: one leading '-'
// is dropped; the first word is the error code when a space follows it,
// otherwise the code is ERR and the whole text is the message; CR and LF
// at either end of the message are trimmed. 'MYERR boom' stays, 'boom'
// becomes 'ERR boom', '-XX' becomes 'ERR XX'.
func errorReplyText(msg string) string {
	msg = strings.TrimPrefix(msg, "-")
	code, text, ok := strings.Cut(msg, " ")
	if !ok {
		code, text = "ERR", msg
	}
	return code + " " + strings.Trim(text, "\r\n")
}

// luaStatusReply is redis.status_reply: {ok=msg}.
func luaStatusReply(L *lua.LState) int {
	if L.GetTop() != 1 || L.Get(1).Type() != lua.LTString {
		return raiseOrReturn(L, true, "ERR wrong number or type of arguments")
	}
	t := L.NewTable()
	t.RawSetString("ok", lua.LString(L.CheckString(1)))
	L.Push(t)
	return 1
}

func luaSHA1Hex(L *lua.LState) int {
	if L.GetTop() != 1 {
		raiseRedis(L, "ERR wrong number of arguments")
	}
	L.Push(lua.LString(SHA1Hex([]byte(L.CheckString(1)))))
	return 1
}

// luaLog is redis.log: it checks its arguments as Redis does and logs
// nothing into the state. The node log would get one line per replica and
// per run, so it stays quiet at debug level.
func luaLog(L *lua.LState) int {
	if L.GetTop() < 2 {
		raiseRedis(L, "ERR redis.log() requires two arguments or more.")
	}
	level, ok := L.Get(1).(lua.LNumber)
	if !ok {
		raiseRedis(L, "ERR First argument must be a number (log level).")
	}
	if level < 0 || level > 3 {
		raiseRedis(L, "ERR Invalid debug level.")
	}
	slog.Debug("redis.log", "level", int(level), "msg", lua.LVAsString(L.Get(2)))
	return 0
}

func (sb *Sandbox) luaSetResp(L *lua.LState) int {
	if L.GetTop() != 1 {
		raiseRedis(L, "ERR redis.setresp() requires one argument.")
	}
	v := L.CheckInt(1)
	if v != 2 && v != 3 {
		raiseRedis(L, "ERR "+errSetResp)
	}
	if sb.run != nil {
		sb.run.resp = v
	}
	return 0
}

// luaSetRepl is redis.set_repl: accepted and ignored, as every script is
// replicated whole through the log.
func luaSetRepl(L *lua.LState) int {
	if L.GetTop() != 1 {
		raiseRedis(L, "ERR redis.set_repl() requires one argument.")
	}
	flags := L.CheckInt(1)
	if flags&^3 != 0 {
		raiseRedis(L, "ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.")
	}
	return 0
}

// luaReplicateCommands is redis.replicate_commands: true, as Redis 7.0.
func luaReplicateCommands(L *lua.LState) int {
	L.Push(lua.LTrue)
	return 1
}

func luaNoop(ret lua.LValue) lua.LGFunction {
	return func(L *lua.LState) int {
		if ret == nil {
			return 0
		}
		L.Push(ret)
		return 1
	}
}

func lowerASCII(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}
