package server

import (
	"github.com/geetcache/geetcache/protocol"
)

// multiState is a connection's open transaction: the commands queued since
// MULTI. Keyspace commands run at EXEC as one log unit, so no other client's
// command runs between them on any node; connection and server commands
// (PING, CLIENT, INFO...) run on this node after it, their replies put back
// in place.
type multiState struct {
	items []queued
	// dirty is set by a command refused while queueing (unknown, wrong
	// arity, not allowed in a transaction, over the size limit): EXEC then
	// discards the transaction, as Redis does.
	dirty bool
	size  int64 // bytes queued, arguments plus a fixed overhead each
}

type queued struct {
	cmd  *protocol.Command
	args [][]byte
	// denied is the error EXEC answers in the command's place when the
	// user lost its permission since it was queued (recheckQueued).
	denied string
}

// queuedAny reports whether f holds for any command m queued.
func (m *multiState) queuedAny(f func(cmd *protocol.Command, args [][]byte) bool) bool {
	for _, it := range m.items {
		if f(it.cmd, it.args) {
			return true
		}
	}
	return false
}

// queuedOverhead is what each queued command and argument is charged on
// top of its bytes, so that many tiny commands are bounded too.
const (
	queuedCmdOverhead = 64
	queuedArgOverhead = 24
)

// isData reports whether a call with these flags goes through the log (reads and writes of the
// keyspace) rather than running on the connection's node.
func isData(flags protocol.Flags) bool {
	return flags&(protocol.Write|protocol.Readonly|protocol.Blocking) != 0
}

// transactionCommands are MULTI, EXEC and DISCARD. Inside a transaction the
// dispatcher runs EXEC and DISCARD itself; these handlers answer outside one.
func transactionCommands() []*protocol.Command {
	const flags = protocol.NoScript | protocol.Loading | protocol.Stale
	return []*protocol.Command{
		{Name: "multi", Arity: 1, Flags: flags | protocol.Fast | protocol.AllowBusy, Group: "transactions", Since: "1.2.0",
			Summary: "Mark the start of a transaction block", Handler: protocol.HandlerFunc(multi)},
		{Name: "exec", Arity: 1, Flags: flags | protocol.SkipSlowlog, Group: "transactions", Since: "1.2.0",
			Summary: "Execute all commands issued after MULTI", Handler: protocol.HandlerFunc(execWithoutMulti)},
		{Name: "discard", Arity: 1, Flags: flags | protocol.Fast | protocol.AllowBusy, Group: "transactions", Since: "2.0.0",
			Summary: "Discard all commands issued after MULTI", Handler: protocol.HandlerFunc(discardWithoutMulti)},
	}
}

// MULTI
func multi(c *protocol.Ctx) {
	conn(c).multi = &multiState{}
	c.Out.OK()
}

// EXEC, outside a transaction.
func execWithoutMulti(c *protocol.Ctx) { c.Out.Error(protocol.ErrExecWithoutMulti) }

// DISCARD, outside a transaction.
func discardWithoutMulti(c *protocol.Ctx) { c.Out.Error(protocol.ErrDiscardWithoutMulti) }

// dispatchInMulti handles a known, well-formed command (dispatch rejects
// the others) sent between MULTI and EXEC: it is checked as Redis checks it
// and queued, unless it ends or cannot be part of the transaction.
func (s *Server) dispatchInMulti(c *client, b *batch, cmd *protocol.Command, args [][]byte) {
	m := c.multi
	switch {
	case cmd.Name == "exec":
		c.cmdName = cmd.Name
		c.multi = nil
		s.countedExec(c, b, m)
	case cmd.Name == "discard":
		c.cmdName = cmd.Name
		c.multi, c.watch = nil, nil
		s.settle(c, b)
		c.out.OK()
		s.countReply(c.stat, 0, nil)
		s.noteCur(c, 0)
	case cmd.Name == "multi": // runs and fails in Redis, not refused
		s.fail(c, b, protocol.ErrMultiNested)
	case cmd.Name == "watch":
		s.fail(c, b, protocol.ErrWatchInMulti)
	case cmd.Name == "quit" || cmd.Name == "reset":
		s.settle(c, b)
		cmd.Handler.ServeRESP(&protocol.Ctx{Args: args, Out: &c.out, Conn: c})
	case cmd.Flags&protocol.NoMulti != 0:
		m.dirty = true
		s.reject(c, b, protocol.ErrNotInMulti)
	default:
		s.queue(c, b, m, cmd, args)
	}
}

// queue copies a command into the transaction (the reader reuses its
// buffer) and answers QUEUED. A transaction may hold as many bytes as one
// command may (client-query-buffer-limit); past that it is discarded.
func (s *Server) queue(c *client, b *batch, m *multiState, cmd *protocol.Command, args [][]byte) {
	size := int64(queuedCmdOverhead)
	for _, a := range args {
		size += int64(len(a)) + queuedArgOverhead
	}
	if limit := s.settings.maxQuery.Load(); m.size+size > limit {
		m.items, m.size, m.dirty = nil, 0, true
		s.reject(c, b, protocol.ErrMultiTooBig(limit))
		return
	}
	cp := make([][]byte, len(args))
	for i, a := range args {
		cp[i] = append([]byte(nil), a...)
	}
	m.items = append(m.items, queued{cmd: cmd, args: cp})
	m.size += size
	s.settle(c, b)
	c.out.Simple("QUEUED")
}
