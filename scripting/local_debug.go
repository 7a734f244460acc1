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

// localDebug serves DEBUG PROTOCOL <type> and DEBUG SLEEP <seconds> to a
// script once DEBUG SET-DISABLE-DENY-SCRIPTS 1 allowed it (a replicated
// switch: every replica answers a write script alike). The script's time
// does not move during SLEEP: it is the entry's. SLEEP sleeps at most 10 s
// in a script run outside the state machine and at most 1 s inside it:
// like Redis's, the sleep holds everything else back (there, every
// replica's applying, and again when a restart replays the entry), so
// it is kept short; it changes nothing a script can see.
func (e *Engine) localDebug(rc *runCtx, argv [][]byte) ([]byte, string) {
	switch {
	case len(argv) < 2: // DEBUG's arity, checked first as Redis
		return nil, errWrongArgs
	case !e.state.noDeny.Load():
		return nil, errNotAllowed
	case len(argv) != 3:
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
		return localReply(rc, func(w *protocol.Writer) { protocol.DebugProtocol(w, argv[2]) })
	}
	return localReply(rc, func(w *protocol.Writer) { w.Error(protocol.ErrSubcommandSyntax(argv[1], "debug")) })
}
