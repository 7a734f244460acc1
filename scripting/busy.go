package scripting

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// Kind is the family of the command that started a run.
type Kind uint8

const (
	KindEval     Kind = iota // EVAL, EVALSHA, EVAL_RO, EVALSHA_RO
	KindFunction             // FCALL, FCALL_RO
)

// Redis's replies to other clients while a script runs too long.
const (
	ErrBusyEval     = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
	ErrBusyFunction = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."
)

// busyText is the BUSY reply while a run of kind k lasts too long.
func busyText(k Kind) string {
	if k == KindFunction {
		return ErrBusyFunction
	}
	return ErrBusyEval
}

// DefaultBusyThreshold is busy-reply-threshold's default, in milliseconds
// (Redis's lua-time-limit).
const DefaultBusyThreshold = 5000

// RunInfo describes a script run.
type RunInfo struct {
	Kind Kind
	// Name is the function's name (FUNCTION STATS reports it) or the
	// script's SHA-1.
	Name string
	// Args is the command that started the run, as FUNCTION STATS shows
	// it. It must stay unchanged while the run lasts.
	Args [][]byte
	// InFSM is set for a run inside the state machine (a script that may
	// write): it runs on every node, so it cannot be killed on one, and it
	// has the deterministic step budget.
	InFSM bool
}

// Running is one script running on this node, from Monitor.Begin to End.
type Running struct {
	info   RunInfo
	start  time.Time
	budget *Budget
	wrote  atomic.Bool
}

// Budget is the context the run's Lua state must run under
// (LState.SetContext).
func (r *Running) Budget() *Budget { return r.budget }

// NoteWrite records that the script ran a write command (SCRIPT KILL then
// answers UNKILLABLE, as Redis does).
func (r *Running) NoteWrite() { r.wrote.Store(true) }

// Charge counts a redis.call or redis.pcall against the budget; call it
// once per call, from the script's goroutine.
func (r *Running) Charge() { r.budget.Charge(CallSteps) }

// Stopped returns the message of a run stopped by SCRIPT KILL, FUNCTION
// KILL or its step budget (see Budget.Stopped).
func (r *Running) Stopped() (string, bool) { return r.budget.Stopped() }

// Info describes the run.
func (r *Running) Info() RunInfo { return r.info }

// Elapsed is how long the run has lasted.
func (r *Running) Elapsed() time.Duration { return time.Since(r.start) }

// Monitor knows the scripts running on this node: it makes other clients
// get BUSY while one has run longer than the threshold, and kills them
// (SCRIPT KILL, FUNCTION KILL). It is per node and reads the clock; it
// never decides anything inside the state machine, where only the step
// budget (deterministic) stops a script. Safe for concurrent use.
type Monitor struct {
	threshold atomic.Int64 // busy-reply-threshold, ms
	active    atomic.Int32 // len(runs), read without the lock
	mu        sync.Mutex
	runs      []*Running // in start order
	// budget is the step budget of runs in the state machine.
	budget int64
	// forward answers a kill that found nothing here (SetKillForward).
	forward func(c *protocol.Ctx) bool
	// writers are the scripts whose probe reached a write (probe.go).
	writers writerSet
}

// NewMonitor returns a Monitor with Redis's default threshold and the
// binary's step budget.
func NewMonitor() *Monitor {
	m := &Monitor{budget: DefaultStepBudget}
	m.threshold.Store(DefaultBusyThreshold)
	return m
}

// SetThreshold sets busy-reply-threshold in milliseconds.
func (m *Monitor) SetThreshold(ms int64) { m.threshold.Store(ms) }

// Threshold returns busy-reply-threshold in milliseconds.
func (m *Monitor) Threshold() int64 { return m.threshold.Load() }

// Begin records a run starting now and returns it. A run in the state
// machine gets the step budget; another run none (only Kill stops it).
// Every Begin must be followed by End.
func (m *Monitor) Begin(info RunInfo) *Running {
	var limit int64
	if info.InFSM {
		limit = m.budget
	}
	r := &Running{info: info, start: time.Now(), budget: NewBudget(limit)}
	m.mu.Lock()
	m.runs = append(m.runs, r)
	m.active.Store(int32(len(m.runs)))
	m.mu.Unlock()
	return r
}

// End records that r finished.
func (m *Monitor) End(r *Running) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, x := range m.runs {
		if x == r {
			m.runs = append(m.runs[:i], m.runs[i+1:]...)
			break
		}
	}
	m.active.Store(int32(len(m.runs)))
}

// Busy returns the BUSY reply other commands get now, or "" when no run
// has lasted longer than the threshold. A threshold of 0 never answers
// BUSY (Redis then serves nobody until the script ends; geetcache's other
// commands wait for it). It is cheap when nothing runs.
func (m *Monitor) Busy() string {
	if m.active.Load() == 0 {
		return ""
	}
	limit := m.Threshold()
	if limit == 0 {
		return ""
	}
	if r := m.longest(); r != nil && r.Elapsed() >= time.Duration(limit)*time.Millisecond {
		return busyText(r.info.Kind)
	}
	return ""
}

// longest returns the run that started first, or nil.
func (m *Monitor) longest() *Running {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.runs) == 0 {
		return nil
	}
	return m.runs[0]
}

// Current returns the run that started first, if a script runs.
func (m *Monitor) Current() (*Running, bool) {
	r := m.longest()
	return r, r != nil
}
