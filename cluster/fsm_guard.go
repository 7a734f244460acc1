package cluster

import (
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/geetcache/geetcache/protocol"
)

// upgradeHint ends the error of an entry written by a newer geetcache.
const upgradeHint = "this node stopped before applying it and applies nothing more; " +
	"upgrade this node's geetcache binary and start it again (see \"Rolling upgrades\" in docs/operations.md)"

// damageHint ends the error of an entry that does not verify.
const damageHint = "this node stopped before applying it and applies nothing more; " + snapshotRecoverHint

// SetHaltHandler registers fn, called once (from raft's FSM goroutine) with
// a one-line error when the FSM meets an entry it must not apply and stops
// for good. The process should then exit: the FSM never returns from that
// Apply, so that raft never counts the entry as applied. Call it before the
// FSM starts.
func (f *FSM) SetHaltHandler(fn func(error)) { f.onHalt = fn }

// SetLogger sets where the FSM logs handler panics. Call it before the FSM
// starts.
func (f *FSM) SetLogger(l *slog.Logger) { f.log = l }

func (f *FSM) logger() *slog.Logger {
	if f.log == nil {
		return slog.Default()
	}
	return f.log
}

// halt stops applying for good: entry index cannot be applied by this binary
// (err wraps protocol.ErrEntryTooNew) or is damaged. Skipping it would let
// this replica diverge without a word; returning would let raft count it as
// applied (and a snapshot claim it). So halt tells the halt handler and
// blocks forever, holding the FSM's lock: nothing more is applied or read.
func (f *FSM) halt(index uint64, err error) {
	hint := damageHint
	if errors.Is(err, protocol.ErrEntryTooNew) {
		hint = upgradeHint
	}
	err = fmt.Errorf("cannot apply log entry %d: %w; %s", index, err, hint)
	if f.onHalt != nil {
		f.onHalt(err)
	} else {
		f.logger().Error(err.Error())
	}
	select {}
}

// serve runs cmd's handler and reports whether it returned. A handler that
// panics does so on every replica at the same entry (the state and the
// entry are the same); serve turns that into the same error reply on every
// one of them, in place of whatever partial reply the handler wrote, and
// logs the panic. Whatever the handler changed before it panicked stays,
// identically on every replica.
func (f *FSM) serve(cmd *protocol.Command, c *protocol.Ctx) (ok bool) {
	start := len(c.Out.B)
	defer func() {
		if ok {
			return
		}
		r := recover()
		c.Out.B = c.Out.B[:start]
		c.Out.Error(protocol.ErrReplyInternal)
		f.logger().Error("command panicked inside the state machine; replied with an error (every replica does the same at this entry)",
			"index", f.index, "command", cmd.Name, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
	}()
	cmd.Handler.ServeRESP(c)
	return true
}
