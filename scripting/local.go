package scripting

import (
	"strconv"

	"github.com/geetcache/geetcache/protocol"
)

// scriptLocal serves the connection-level commands a script may call
// that are not in the data table, from the script's context: TIME gives
// the entry's time, so it is the same on every replica.
var scriptLocal = map[string]localCommand{
	"ping": {run: localPing, arity: -1},
	"echo": {run: localEcho, arity: 2},
	"time": {run: localTime, arity: 1, stale: true},
}

// localCommand is one of scriptLocal's: its handler, its arity and
// whether Redis flags it stale (a stale replica runs it).
type localCommand struct {
	run   func(rc *runCtx, argv [][]byte) ([]byte, string)
	arity int
	stale bool
}

// noScriptServer are the server and connection commands Redis 7.0 flags
// noscript: a script calling one gets "not allowed", not "unknown".
var noScriptServer = map[string]bool{
	"multi": true, "exec": true, "discard": true, "watch": true, "unwatch": true,
	"subscribe": true, "psubscribe": true, "unsubscribe": true, "punsubscribe": true,
	"ssubscribe": true, "sunsubscribe": true, "save": true, "bgsave": true, "bgrewriteaof": true,
	"shutdown": true, "client": true, "config": true, "debug": true, "hello": true, "auth": true,
	"quit": true, "monitor": true, "sync": true, "psync": true, "replicaof": true, "slaveof": true,
	"reset": true, "failover": true, "raft": true, "role": true, "cluster": true,
	"function": true, "fcall": true, "fcall_ro": true, "module": true,
}

func localReply(rc *runCtx, fn func(w *protocol.Writer)) ([]byte, string) {
	rc.w.B, rc.w.Proto = rc.w.B[:0], rc.resp
	fn(&rc.w)
	return rc.w.B, ""
}

// PING [message]
func localPing(rc *runCtx, argv [][]byte) ([]byte, string) {
	switch len(argv) {
	case 1:
		return localReply(rc, func(w *protocol.Writer) { w.Simple("PONG") })
	case 2:
		return localReply(rc, func(w *protocol.Writer) { w.Bulk(argv[1]) })
	}
	return nil, protocol.ErrWrongArity("ping") // Redis's pingCommand's own, past the arity of -1
}

// ECHO message
func localEcho(rc *runCtx, argv [][]byte) ([]byte, string) {
	if len(argv) != 2 {
		return nil, errWrongArgs
	}
	return localReply(rc, func(w *protocol.Writer) { w.Bulk(argv[1]) })
}

// TIME
func localTime(rc *runCtx, argv [][]byte) ([]byte, string) {
	if len(argv) != 1 {
		return nil, errWrongArgs
	}
	now := rc.c.Now
	return localReply(rc, func(w *protocol.Writer) {
		w.Array(2)
		w.BulkString(strconv.FormatInt(now/1000, 10))
		w.BulkString(strconv.FormatInt(now%1000*1000, 10))
	})
}
