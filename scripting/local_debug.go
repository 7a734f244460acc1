package scripting

import (
	"strconv"
	"strings"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// SetDenyScripts is DEBUG SET-DISABLE-DENY-SCRIPTS: with deny false,
// scripts may call DEBUG PROTOCOL and DEBUG SLEEP (Redis's test suite uses
// them to check conversions). A debugging switch of this node only.
func (e *Engine) SetDenyScripts(deny bool) { e.noDeny.Store(!deny) }

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
// script run outside the state machine once DEBUG SET-DISABLE-DENY-SCRIPTS 1
// allowed it on this node. Inside the state machine they stay refused
// whatever the switch says: the switch is this node's alone, and a write
// script must get the same answer on every replica. SLEEP sleeps (at most
// 10 s) but the script's time does not move.
func (e *Engine) localDebug(rc *runCtx, argv [][]byte) ([]byte, string) {
	if !e.noDeny.Load() || rc.c.Writing() {
		return nil, errNotAllowed
	}
	if len(argv) != 3 {
		return nil, errWrongArgs
	}
	switch strings.ToLower(string(argv[1])) {
	case "sleep":
		secs, err := strconv.ParseFloat(string(argv[2]), 64)
		if err == nil && secs > 0 {
			time.Sleep(time.Duration(min(secs, 10) * float64(time.Second)))
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
