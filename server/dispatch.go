package server

import (
	"time"

	"github.com/tidwall/redcon"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// dispatch routes one command. Unknown commands and wrong arity are
// answered here, once, for every command.
func (s *Server) dispatch(c *client, b *batch, args [][]byte) {
	s.stats.commands.Add(1)
	cmd := s.table.Lookup(args[0])
	if c.multi != nil {
		s.dispatchInMulti(c, b, cmd, args)
		return
	}
	switch {
	case cmd == nil:
		s.reject(c, b, protocol.ErrUnknownCommand(args))
	case !cmd.ArityOK(len(args)):
		s.reject(c, b, protocol.ErrWrongArity(cmd.Name))
	case s.mustForward(c, cmd):
		c.cmdName = cmd.Name
		s.settle(c, b)
		s.forward(c, args, cmd.Flags&protocol.Blocking != 0)
	case cmd.Flags&protocol.Blocking != 0:
		c.cmdName = cmd.Name
		s.settle(c, b)
		s.block(c, cmd, args)
	case cmd.Flags&protocol.Write != 0:
		c.cmdName = cmd.Name
		u := protocol.Unit{Proto: uint8(c.out.Proto), Cmds: [][][]byte{args}}
		b.pending = append(b.pending, s.proposer.Submit(u))
	case cmd.Flags&protocol.Readonly != 0:
		c.cmdName = cmd.Name
		s.settle(c, b)
		s.read(c, b, cmd, args)
	default:
		c.cmdName = cmd.Name
		s.settle(c, b)
		cmd.Handler.ServeRESP(&protocol.Ctx{Args: args, Now: time.Now().UnixMilli(), Out: &c.out, Conn: c})
	}
}

func (s *Server) reject(c *client, b *batch, msg string) {
	s.stats.rejected.Add(1)
	s.settle(c, b)
	c.out.Error(msg)
}

// read runs one read-only command on the local state.
func (s *Server) read(c *client, b *batch, cmd *protocol.Command, args [][]byte) {
	c.reads = append(c.reads[:0], cmd)
	s.readGroup(c, b, c.reads, []redcon.Command{{Args: args}})
}

// leadingReads returns the commands of the well-formed read-only commands
// at the start of cmds (reusing c's scratch slice).
func (s *Server) leadingReads(c *client, cmds []redcon.Command) []*protocol.Command {
	c.reads = c.reads[:0]
	for _, rc := range cmds {
		cmd := s.table.Lookup(rc.Args[0])
		if cmd == nil || !cmd.ArityOK(len(rc.Args)) || cmd.Flags&(protocol.Readonly|protocol.Write|protocol.Blocking) != protocol.Readonly ||
			s.mustForward(c, cmd) {
			break
		}
		c.reads = append(c.reads, cmd)
	}
	return c.reads
}

// readGroup runs consecutive read-only commands on the local state: after
// the pipeline's earlier writes, behind one read barrier or read index per
// pipeline (linearizeGroup), and under one read lock per replyChunk of
// replies: past that, the replies are written (never under the lock) and
// the rest run under the lock again. The state may have moved on by then;
// each read still sees a state from after it arrived. Expiry is judged by
// the time the leader vouched for with the barrier or index (on a READONLY
// connection, this node's clock), or the last applied entry's if later.
func (s *Server) readGroup(c *client, b *batch, specs []*protocol.Command, cmds []redcon.Command) {
	s.settle(c, b)
	if !s.linearizeGroup(c, b, cmds) {
		return
	}
	t := b.readTime
	if c.readonly {
		t = s.view.LocalTime()
	}
	for done := 0; done < len(specs) && s.writeAsYouGo(c); {
		done += s.readSome(c, t, specs[done:], cmds[done:])
	}
	c.cmdName = specs[len(specs)-1].Name
}

// readSome runs reads under one read lock, at time t (see ViewAt), until
// they are done or their replies want writing, and returns how many it ran
// (at least one).
func (s *Server) readSome(c *client, t int64, specs []*protocol.Command, cmds []redcon.Command) int {
	n := 0
	s.view.ViewAt(t, func(ks *datatypes.Keyspace, now int64) {
		ctx := &c.ctx
		*ctx = protocol.Ctx{DB: ks, Now: now, Out: &c.out, Conn: c}
		for n < len(specs) && (n == 0 || !c.wantWrite()) {
			ctx.Args = cmds[n].Args
			specs[n].Handler.ServeRESP(ctx)
			n++
		}
	})
	return n
}
