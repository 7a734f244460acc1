package scripting

import (
	"strconv"

	"github.com/geetcache/geetcache/protocol"
)

// Redis 7.0's texts for the EVAL family.
const (
	errNoScript        = "NOSCRIPT No matching script. Please use EVAL."
	errNotInteger      = "ERR value is not an integer or out of range"
	errNegativeKeys    = "ERR Number of keys can't be negative"
	errTooManyKeys     = "ERR Number of keys can't be greater than number of args"
	errWriteFlagWithRO = "ERR Can not execute a script with write flag using *_ro command."
)

// evalKind says which of the four commands runs.
type evalKind struct {
	bySHA    bool // EVALSHA, EVALSHA_RO
	readOnly bool // EVAL_RO, EVALSHA_RO
}

// EVAL script numkeys [key ...] [arg ...]
// EVALSHA sha1 numkeys [key ...] [arg ...]
// EVAL_RO script numkeys [key ...] [arg ...]
// EVALSHA_RO sha1 numkeys [key ...] [arg ...]
//
// Inside the state machine (c.Writing()) EVAL adds a new body to the
// replicated cache and the script may write; elsewhere (a read-only or
// no-writes script routed as a read) the cache is only read.
func (e *Engine) evalHandler(k evalKind) protocol.HandlerFunc {
	return func(c *protocol.Ctx) {
		nkeys, errMsg := numKeys(c.Args)
		if errMsg != "" {
			c.Out.Error(errMsg)
			return
		}
		s, errMsg := e.scriptFor(c, k.bySHA)
		if errMsg != "" {
			c.Out.Error(errMsg)
			return
		}
		if k.readOnly && s.Flags&(FlagEvalCompat|FlagNoWrites) == 0 {
			c.Out.Error(errWriteFlagWithRO)
			return
		}
		keys := c.Args[3 : 3+nkeys]
		e.RunScript(c, s, keys, c.Args[3+nkeys:], k.readOnly)
	}
}

// numKeys checks the numkeys argument against the arguments that follow.
func numKeys(args [][]byte) (int, string) {
	n, err := strconv.ParseInt(string(args[2]), 10, 64)
	switch {
	case err != nil:
		return 0, errNotInteger
	case n < 0:
		return 0, errNegativeKeys
	case n > int64(len(args)-3):
		return 0, errTooManyKeys
	}
	return int(n), ""
}

// scriptFor returns the compiled script named by the call: its body
// (EVAL) or its SHA-1 (EVALSHA).
func (e *Engine) scriptFor(c *protocol.Ctx, bySHA bool) (*Script, string) {
	if bySHA {
		body, ok := e.lookup(c.Args[1])
		if !ok {
			return nil, errNoScript
		}
		return e.Compile(body)
	}
	body := string(c.Args[1])
	s, errMsg := e.Compile(body)
	if errMsg == "" && c.Writing() {
		e.state.Lock()
		if _, ok := e.state.Scripts.Get(s.SHA); !ok {
			e.state.Scripts.Add(body)
		}
		e.state.Unlock()
	}
	return s, errMsg
}

// lookup returns the cached body whose SHA-1 is sha (any case).
func (e *Engine) lookup(sha []byte) (string, bool) {
	if len(sha) != 40 {
		return "", false
	}
	e.state.RLock()
	defer e.state.RUnlock()
	return e.state.Scripts.Get(string(lowerASCII(sha)))
}

// evalFlags routes one EVAL or EVALSHA call: a script whose shebang says
// no-writes is a read (no log entry); anything else, including a body that
// does not compile or an unknown SHA-1, is a write, answered in the log.
// A write script is also denyoom unless its shebang says allow-oom: the
// node refuses it with Redis's OOM error while memory is above maxmemory
// (server/maxmemory.go), before it enters the log, since replicas cannot
// judge memory inside the state machine. Redis 7.0 refuses such a
// shebang script at start too; a script without a shebang it refuses only
// at its first denyoom write (docs/compatibility.md).
func (e *Engine) evalFlags(bySHA bool) func(args [][]byte) protocol.Flags {
	return func(args [][]byte) protocol.Flags {
		const write = protocol.Write | protocol.DenyOOM
		if len(args) < 3 {
			return write
		}
		body := string(args[1])
		if bySHA {
			b, ok := e.lookup(args[1])
			if !ok {
				return write
			}
			body = b
		}
		if len(body) < 2 || body[0] != '#' {
			return write
		}
		flags, _, errMsg := parseShebang(body)
		switch {
		case errMsg != "":
			return write
		case flags&FlagNoWrites != 0:
			return protocol.Readonly
		case flags&FlagAllowOOM != 0:
			return protocol.Write
		}
		return write
	}
}
