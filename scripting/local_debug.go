package scripting

import (
	"strconv"
	"strings"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// SetDenyScripts sets the engine's State's switch (State.SetDenyScripts);
// in a node, only the state machine calls that, applying the log.
func (e *Engine) SetDenyScripts(deny bool) { e.state.SetDenyScripts(deny) }

// CachedScripts returns the number of scripts in the script cache and the
// bytes of their bodies, for INFO memory.
func (e *Engine) CachedScripts() (n, bytes int) {
	e.state.RLock()
	defer e.state.RUnlock()
	return e.state.Scripts.Len(), e.state.Scripts.Bytes()
}

const errDebugProtocolType = "ERR Wrong protocol type name. Please use one of the following: " +
	"string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false"

// localDebug serves DEBUG PROTOCOL <type> and DEBUG SLEEP <seconds> to a
// script once DEBUG SET-DISABLE-DENY-SCRIPTS 1 allowed it (a replicated
// switch: every replica answers a write script alike). The script's time
// does not move during SLEEP: it is the entry's. SLEEP sleeps at most 10 s
// in a script run outside the state machine and at most 1 s inside it:
// like Redis's, the sleep holds everything else back (there, every
// replica's applying, and again when a restart replays the entry), so
// it is kept short; it changes nothing a script can see.
func (e *Engine) localDebug(rc *runCtx, argv [][]byte) ([]byte, string) {
	if !e.state.noDeny.Load() {
		return nil, errNotAllowed
	}
	if len(argv) != 3 {
		return nil, errWrongArgs
	}
	switch strings.ToLower(string(argv[1])) {
	case "sleep":
		secs, err := strconv.ParseFloat(string(argv[2]), 64)
		if err == nil && secs > 0 {
			limit := 10.0
			if rc.c.Writing() {
				limit = 1
			}
			time.Sleep(time.Duration(min(secs, limit) * float64(time.Second)))
		}
		return localReply(rc, func(w *protocol.Writer) { w.OK() })
	case "protocol":
		return localReply(rc, func(w *protocol.Writer) { debugProtocol(w, strings.ToLower(string(argv[2]))) })
	}
	return localReply(rc, func(w *protocol.Writer) { w.Error(protocol.ErrSubcommandSyntax(argv[1], "debug")) })
}

// debugProtocol writes DEBUG PROTOCOL's reply of kind t, as Redis 7.0's
// debug.c does.
func debugProtocol(w *protocol.Writer, t string) {
	switch t {
	case "string":
		w.BulkString("Hello World")
	case "integer":
		w.Int(12345)
	case "double":
		w.Double(3.141)
	case "bignum":
		bigNumber(w, "1234567999999999999999999999999999999")
	case "null":
		w.Null()
	case "array", "set":
		if t == "array" {
			w.Array(3)
		} else {
			w.Set(3)
		}
		for j := range 3 {
			w.Int(int64(j))
		}
	case "map":
		w.Map(3)
		for j := range 3 {
			w.Int(int64(j))
			w.Bool(j == 1)
		}
	case "attrib":
		if w.Proto == 3 {
			w.Raw([]byte("|1\r\n"))
			w.BulkString("key-popularity")
			w.Array(2)
			w.BulkString("key:123")
			w.Int(90)
		}
		w.BulkString("Some real reply following the attribute")
	case "push":
		if w.Proto != 3 {
			w.Error("ERR RESP2 is not supported by this command")
			return
		}
		w.Raw([]byte(">2\r\n"))
		w.BulkString("server-cpu-usage")
		w.Int(42)
		w.BulkString("Some real reply following the push reply")
	case "verbatim":
		w.Verbatim("This is a verbatim\nstring")
	case "true", "false":
		w.Bool(t == "true")
	default:
		w.Error(errDebugProtocolType)
	}
}
