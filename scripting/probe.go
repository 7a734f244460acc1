package scripting

import (
	"sync"

	lua "github.com/yuin/gopher-lua"

	"github.com/geetcache/geetcache/protocol"
)

// A script that may write (EVAL, EVALSHA, FCALL without no-writes) is run
// first as a probe: a read on the node that would propose it, after the
// read barrier, under the read lock, outside the state machine. A probe
// that ends without trying a write is the answer: a linearizable read, no
// log entry, and, like any read-only run, it can be killed (SCRIPT KILL,
// FUNCTION KILL). A probe that tries a write stops before it (nothing was
// written) and the command goes into the log as usual, where it runs
// again from the start (docs/consistency.md, "Long scripts").

// ProbeNeed says why a probe stopped.
type ProbeNeed uint8

const (
	NeedNothing ProbeNeed = iota // the probe answered
	NeedWrite                    // it tried a write: propose the command
	NeedCache                    // EVAL of a body not in the replicated cache: cache it first
	ProbeKilled                  // SCRIPT KILL or FUNCTION KILL stopped it: its error reply is final
)

// ProbeConn is implemented by a connection (protocol.Ctx.Conn) that runs
// the handler of a script that may write as a probe: Probing says so, and
// the handler reports with ProbeStopped when the probe cannot answer, in
// which case it writes no reply.
type ProbeConn interface {
	Probing() bool
	ProbeStopped(ProbeNeed)
}

// ProbeDenier is implemented by a ProbeConn whose node refuses some
// writes for now: all of them while the leader lacks good replicas
// (min-replicas-to-write, server/min_replicas.go), denyoom ones while
// memory is above maxmemory (server/script_oom.go). ProbeWriteDenied
// returns "" or the error text a probe's first write command (denyOOM:
// one flagged denyoom) gets, as a redis.call error, instead of stopping
// the probe: the script goes on, or fails, as Redis's does at its first
// write (scriptVerifyWriteCommandAllow, scriptVerifyOOM), and since
// nothing was written no log entry is made. A first write it lets through
// stops the probe as usual: what the script does after it runs in the
// log, as in Redis, where only the first write is judged.
type ProbeDenier interface {
	ProbeWriteDenied(denyOOM bool) string
}

// writeDenied is the error text r's first write, of argv, gets in place
// of a probe stop, or "".
func (e *Engine) writeDenied(r *Run, argv [][]byte) string {
	d, ok := r.Probe.(ProbeDenier)
	if !ok {
		return ""
	}
	cmd := e.table.Lookup(argv[0])
	return d.ProbeWriteDenied(cmd != nil && cmd.FlagsFor(argv)&protocol.DenyOOM != 0)
}

// ReadNoter is implemented by a connection (protocol.Ctx.Conn) that wants
// to know when a script it runs calls a read-only command: client-side
// caching then tracks the script's declared keys, as Redis does.
type ReadNoter interface {
	ScriptRead()
}

// probeOf returns c's connection when this run is a probe, else nil.
func probeOf(c *protocol.Ctx) ProbeConn {
	if c.Writing() {
		return nil
	}
	if pc, ok := c.Conn.(ProbeConn); ok && pc.Probing() {
		return pc
	}
	return nil
}

// errProbeWrite is raised in a probe that tries a write; the run ends and
// the caller is told NeedWrite instead of getting a reply.
const errProbeWrite = "the probe of a script that may write reached a write command"

// stopProbe ends a probe at its first write (and remembers that the script
// writes, see probeKnownWriter): the run's Budget fires (so
// pcall cannot keep the script going) and the run is marked, so that Call
// reports NeedWrite and writes nothing.
func (e *Engine) stopProbe(L *lua.LState, r *Run) int {
	r.probeStopped = true
	if e.busy != nil {
		e.busy.writers.note(r.Function, r.writerName())
	}
	if b, ok := L.Context().(*Budget); ok {
		b.Abort(errProbeWrite)
	}
	L.RaiseError(errProbeWrite)
	return 0
}

// writerName is the name r's script is remembered by as a writer: its
// SHA-1, or for a function its library's code and its name (a function of
// the same name in a library loaded since is another function).
func (r *Run) writerName() string {
	if r.writer != "" {
		return r.writer
	}
	return r.Name
}

// probeAnswered reports how a probe that raised an error ended, and says
// whether it stopped at a write (then nothing must be written).
func probeAnswered(L *lua.LState, r *Run) bool {
	switch {
	case r.Probe == nil:
		return false
	case r.probeStopped:
		r.Probe.ProbeStopped(NeedWrite)
		return true
	}
	if b, ok := L.Context().(*Budget); ok {
		if msg, stopped := b.Stopped(); stopped && msg == KilledMessage {
			r.Probe.ProbeStopped(ProbeKilled)
		}
	}
	return false
}

// probeNeedsCache reports NeedCache for a probe of EVAL whose body is not
// in the replicated cache (EVAL caches its body, and a read cannot), and
// says whether it did.
func (e *Engine) probeNeedsCache(c *protocol.Ctx, s *Script) bool {
	pc := probeOf(c)
	if pc == nil {
		return false
	}
	e.state.RLock()
	_, cached := e.state.Scripts.Get(s.SHA)
	e.state.RUnlock()
	if cached {
		return false
	}
	pc.ProbeStopped(NeedCache)
	return true
}

// probeKnownWriter reports NeedWrite at once for a probe of a script (or
// function) whose last probe on this node reached a write, and says
// whether it did: such a script goes straight to the log, as it would
// after its probe, without running twice. It changes only where a run
// happens, never its result.
func (e *Engine) probeKnownWriter(c *protocol.Ctx, function bool, name string) bool {
	pc := probeOf(c)
	if pc == nil || e.busy == nil || !e.busy.writers.has(function, name) {
		return false
	}
	if d, ok := pc.(ProbeDenier); ok && d.ProbeWriteDenied(true) != "" {
		return false // it must run, to meet the refusal at its first write
	}
	if a, ok := pc.(ProbeACL); ok && a.ProbeChecksACL() {
		return false // it must run, for its calls' ACL checks up to its first write
	}
	pc.ProbeStopped(NeedWrite)
	return true
}

// ProbeACL is implemented by a probing connection whose user has
// restrictions: a known writer's probe still runs, so that its calls up to
// its first write are checked against that user (aclDenied), as they are
// for a script not known yet.
type ProbeACL interface {
	ProbeChecksACL() bool
}

// maxWriters bounds the scripts a node remembers as writers; past it, it
// forgets them all and learns again.
const maxWriters = 4096

// writerSet is the scripts (by SHA-1) and functions (by name) whose last
// probe on this node reached a write. Node-local; safe for concurrent use.
type writerSet struct {
	mu sync.Mutex
	m  map[string]struct{}
}

func writerKey(function bool, name string) string {
	if function {
		return "f:" + name
	}
	return "s:" + name
}

func (w *writerSet) note(function bool, name string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.m == nil || len(w.m) >= maxWriters {
		w.m = map[string]struct{}{}
	}
	w.m[writerKey(function, name)] = struct{}{}
}

func (w *writerSet) has(function bool, name string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	_, ok := w.m[writerKey(function, name)]
	return ok
}
