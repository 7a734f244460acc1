package scripting

import (
	"strconv"
	"sync/atomic"
	"time"
)

// DefaultStepBudget is how many steps a script that may write gets: Lua VM
// instructions, plus CallSteps for each redis.call or redis.pcall. It is a
// constant of the binary, the same on every node, so that a write script
// that runs out stops at the same instruction on every replica. gopher-lua
// runs about 50 million counted steps a second on the machines geetcache is
// tested on, so this is about 4 s of a script that only computes
// (docs/consistency.md, "Long scripts").
const DefaultStepBudget = 200_000_000

// CallSteps is what one redis.call or redis.pcall costs in steps, on top of
// the instructions that make it: a loop of calls runs out of budget in
// about the time a loop of instructions does.
const CallSteps = 50

// KilledMessage is the error Redis gives a script stopped by SCRIPT KILL
// or FUNCTION KILL (both use this text).
const KilledMessage = "Script killed by user with SCRIPT KILL..."

// BudgetMessage is the error of a script that used up its step budget.
func BudgetMessage(limit int64) string {
	return "Script stopped: a script that may write runs at most " + strconv.FormatInt(limit, 10) +
		" steps (Lua instructions and redis.call), on every node alike; the commands it ran stay applied."
}

// Budget is the context.Context a script runs under (LState.SetContext).
// gopher-lua calls Done once before each VM instruction, in the script's
// goroutine: Done counts the calls and, once the count passes the limit,
// returns a closed channel, so the VM raises an error at the same
// instruction on every node. A Budget can also be killed from another
// goroutine (Kill); that is not deterministic and is only for scripts that
// run outside the state machine.
//
// While the script may go on, Done returns nil: context.WithCancel on a
// Budget (gopher-lua's NewThread, for coroutines) then treats it as never
// cancelled and starts no goroutine that would call Done at a time of its
// own. A coroutine's thread must be given the Budget itself
// (BudgetCoroutines), or its instructions would not be counted.
//
// Done, Charge and Steps are for the script's goroutine only; Kill,
// Killed and Err may be called from any goroutine. A fired Budget stays
// fired: every later instruction raises again, so pcall cannot catch the
// stop for long (the first instruction after it raises).
type Budget struct {
	limit  int64 // 0: no limit
	used   int64
	killed atomic.Bool
	fired  atomic.Pointer[string] // the stop message, once stopped
}

// NewBudget returns a budget of limit steps (0: unlimited, for scripts
// that only Kill may stop).
func NewBudget(limit int64) *Budget { return &Budget{limit: limit} }

// closedChan is returned by Done once the budget has fired.
var closedChan = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// Done counts one step and says whether the script must stop. While the
// script may go on it returns nil (a select on it takes its default).
func (b *Budget) Done() <-chan struct{} {
	b.used++
	if b.fired.Load() != nil {
		return closedChan
	}
	switch {
	case b.limit > 0 && b.used > b.limit:
		b.fire(BudgetMessage(b.limit))
	case b.killed.Load():
		b.fire(KilledMessage)
	default:
		return nil
	}
	return closedChan
}

// Charge adds n steps (a redis.call's cost). It is counted, and may fire
// the budget, at the next instruction.
func (b *Budget) Charge(n int64) { b.used += n }

// Steps is how many steps the script has used so far.
func (b *Budget) Steps() int64 { return b.used }

// Abort stops the script at its next instruction with msg; for the
// script's own goroutine (a probe reaching a write).
func (b *Budget) Abort(msg string) { b.fire(msg) }

// Kill asks the script to stop before its next instruction.
func (b *Budget) Kill() { b.killed.Store(true) }

// Stopped returns why the budget stopped the script, if it did.
func (b *Budget) Stopped() (string, bool) {
	if m := b.fired.Load(); m != nil {
		return *m, true
	}
	return "", false
}

func (b *Budget) fire(msg string) { b.fired.CompareAndSwap(nil, &msg) }

// budgetError is what Err returns once the budget fired; the VM raises its
// text as a Lua error.
type budgetError struct{ msg string }

func (e budgetError) Error() string { return e.msg }

// Err returns the stop reason once the budget fired, else nil.
func (b *Budget) Err() error {
	if m := b.fired.Load(); m != nil {
		return budgetError{*m}
	}
	return nil
}

// Deadline reports no deadline: a budget counts steps, not time.
func (b *Budget) Deadline() (time.Time, bool) { return time.Time{}, false }

// Value carries nothing.
func (b *Budget) Value(any) any { return nil }
