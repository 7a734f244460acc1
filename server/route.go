package server

import (
	"github.com/tidwall/redcon"

	"github.com/geetcache/geetcache/protocol"
)

// The route of a command, in three steps (docs/architecture.md, "The route
// of a command"):
//
//  1. table: resolve looks each command of a pipeline up in the command
//     table and checks its arity, once; the resulting call carries the
//     *protocol.Command everywhere after, and nothing looks it up again.
//  2. route: routeOf says where a resolved call goes on this node, for
//     this connection, now (runBatch groups consecutive forwards and
//     reads; dispatch takes the rest one by one).
//  3. handler: the command's Handler runs: in the state machine for a
//     write (through the log), under the read lock for a read, on the
//     leader for a forward, or here for a connection or server command.

// A call is one command of a pipeline resolved against the table.
type call struct {
	args [][]byte
	cmd  *protocol.Command // nil when the name is not in the table
	ok   bool              // cmd is known and its arity fits len(args)
}

// rejection is the error reply to a call that is not ok.
func (cl *call) rejection() string {
	if cl.cmd == nil {
		return protocol.ErrUnknownCommand(cl.args)
	}
	return protocol.ErrWrongArity(cl.cmd.Name)
}

// resolve looks up every command of cmds, into c's scratch slice, which
// stays valid until the next resolve (as cmds stays until the next read).
func (s *Server) resolve(c *client, cmds []redcon.Command) []call {
	c.calls = c.calls[:0]
	c.monitorFed = nil // its calls are reused
	var cmd *protocol.Command
	for _, rc := range cmds {
		cmd = s.table.LookupAfter(cmd, rc.Args[0])
		c.calls = append(c.calls, call{args: rc.Args, cmd: cmd, ok: cmd != nil && cmd.ArityOK(len(rc.Args))})
	}
	return c.calls
}

// forgetCalls drops the calls' references to the batch's arguments, which
// the reader may free, and a scratch slice grown by a long pipeline (c.cur
// points into it).
func (c *client) forgetCalls() {
	c.cur = nil
	if cap(c.calls) > 4096 {
		c.calls = nil
		return
	}
	clear(c.calls)
	c.calls = c.calls[:0]
}

// route is where a call goes.
type route uint8

const (
	routeReject  route = iota // unknown command or wrong arity: answered here
	routeForward              // to the leader (this node is a follower)
	routeBlock                // a blocking command (blocking.go)
	routeWrite                // into the log, with the pipeline's other writes
	routeRead                 // on the local state, after the read barrier
	routeLocal                // a connection or server command, run here
	routeBusy                 // refused: a script is busy (busy.go)
)

// routeOf says where cl goes on this node, for c, now. A transaction's
// commands (c.multi) are not routed but queued (dispatchInMulti).
func (s *Server) routeOf(c *client, cl *call) route {
	if !cl.ok {
		return routeReject
	}
	if s.busyReply(cl.cmd, cl.args) != "" {
		return routeBusy
	}
	switch flags := cl.cmd.RouteFlags(cl.args); {
	case s.mustForward(c, flags) || s.leaderMustJudge(c, cl):
		return routeForward
	case flags&protocol.Blocking != 0:
		return routeBlock
	case flags&protocol.Write != 0:
		return routeWrite
	case flags&protocol.Readonly != 0:
		return routeRead
	default:
		return routeLocal
	}
}
