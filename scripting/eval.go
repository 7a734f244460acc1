package scripting

import (
	"regexp"
	"strconv"
	"strings"

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
		if (!k.bySHA && e.probeNeedsCache(c, s)) || e.probeKnownWriter(c, false, s.SHA) { // busy: probe.go
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
//
// A write is also denyoom (refused with Redis's OOM error by the node that
// receives it, while memory is above maxmemory: server/maxmemory.go) as
// Redis 7.0 decides at start: a shebang script unless it says allow-oom; a
// script without a shebang only if it may call a denyoom command (see
// oomSafe). Outside a transaction the server does not refuse the latter at
// start: it is tried as a read, and its first denyoom write is refused
// there, as Redis refuses it (ProbeDenier, server/script_oom.go); in a
// transaction it runs in the log, where no replica could judge, so the
// flag refuses it when queued.
func (e *Engine) evalFlags(bySHA bool) func(args [][]byte) protocol.Flags {
	return func(args [][]byte) protocol.Flags {
		const write = protocol.Write | protocol.DenyOOM
		if len(args) < 3 {
			return write
		}
		var s *Script
		var errMsg string
		if bySHA {
			body, ok := e.lookup(args[1])
			if !ok {
				return write
			}
			s, errMsg = e.Compile(body)
		} else {
			s, errMsg = e.compileBytes(args[1])
		}
		switch {
		case errMsg != "":
			return write
		case s.Flags&FlagNoWrites != 0:
			return protocol.Readonly
		case s.Flags&FlagAllowOOM != 0, s.Flags&FlagEvalCompat != 0 && s.oomSafe:
			return protocol.Write
		}
		return write
	}
}

// callSite is a redis.call or redis.pcall whose command name is a string
// literal.
var callSite = regexp.MustCompile(`redis\s*\.\s*p?call\s*\(\s*(?:'([^'\\]*)'|"([^"\\]*)")`)

// Uses of the redis table, and of redis.call/pcall, in a script's text.
var (
	redisWord   = regexp.MustCompile(`\bredis\b`)
	redisField  = regexp.MustCompile(`\bredis\s*\.`)
	redisCaller = regexp.MustCompile(`\bredis\s*\.\s*p?call\b`)
)

// oomSafe reports whether every call a script may make is a command that
// is not denyoom: each redis.call/pcall in the body has a literal name the
// table knows without the denyoom flag, and the redis table is only used
// as redis.<field>. Anything it cannot tell (a name in a variable, an
// alias of redis or of redis.call, redis['call']) counts as unsafe.
func (e *Engine) oomSafe(body string) bool {
	sites := callSite.FindAllStringSubmatch(body, -1)
	if len(sites) != len(redisCaller.FindAllStringIndex(body, -1)) ||
		len(redisWord.FindAllStringIndex(body, -1)) != len(redisField.FindAllStringIndex(body, -1)) {
		return false
	}
	for _, m := range sites {
		name := m[1] + m[2]
		cmd := e.table.Lookup([]byte(name))
		if cmd == nil {
			if _, local := scriptLocal[strings.ToLower(name)]; local {
				continue
			}
			return false
		}
		if cmd.Flags&protocol.DenyOOM != 0 {
			return false
		}
	}
	return true
}

// KnownWriter reports whether a call of EVAL, EVALSHA or FCALL names a
// script or function whose last probe on this node reached a write: the
// server then proposes it at once, in its pipeline's group commit, instead
// of settling the pipeline for a probe that would stop at the write
// (server/probe.go). It changes where a run happens, never its result.
func (e *Engine) KnownWriter(args [][]byte) bool {
	if e.busy == nil || len(args) < 2 {
		return false
	}
	switch {
	case protocol.EqualFold(args[0], "eval"):
		return e.busy.writers.has(false, e.bodySHA(args[1]))
	case protocol.EqualFold(args[0], "evalsha"):
		return e.busy.writers.has(false, string(lowerASCII(args[1])))
	case protocol.EqualFold(args[0], "fcall") && e.state.Functions != nil:
		e.state.RLock()
		f := e.functions().Function(args[1])
		e.state.RUnlock()
		return f != nil && e.busy.writers.has(true, f.Lib.sum+":"+f.Name) // as callFunction remembers it
	}
	return false
}

// bodySHA is body's SHA-1 hex, from the compiled cache when the body was
// compiled before (a map lookup instead of a SHA-1).
func (e *Engine) bodySHA(body []byte) string {
	if s, ok := e.bodies.Load(string(body)); ok {
		return s.(*Script).SHA
	}
	return SHA1Hex(body)
}
