package server

import (
	"time"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// dispatch routes one command. Unknown commands and wrong arity are
// answered here, once, for every command.
func (s *Server) dispatch(c *client, b *batch, args [][]byte) {
	s.stats.commands.Add(1)
	cmd := s.table.Lookup(args[0])
	switch {
	case cmd == nil:
		s.reject(c, b, protocol.ErrUnknownCommand(args))
	case !cmd.ArityOK(len(args)):
		s.reject(c, b, protocol.ErrWrongArity(cmd.Name))
	case cmd.Flags&protocol.Blocking != 0:
		c.touch(cmd.Name)
		s.settle(c, b)
		s.block(c, cmd, args)
	case cmd.Flags&protocol.Write != 0:
		c.touch(cmd.Name)
		u := protocol.Unit{Proto: uint8(c.out.Proto), Cmds: [][][]byte{args}}
		b.pending = append(b.pending, s.backend.Submit(u))
	case cmd.Flags&protocol.Readonly != 0:
		c.touch(cmd.Name)
		s.settle(c, b)
		s.read(c, b, cmd, args)
	default:
		c.touch(cmd.Name)
		s.settle(c, b)
		cmd.Handler.ServeRESP(&protocol.Ctx{Args: args, Now: time.Now().UnixMilli(), Out: &c.out, Conn: c})
	}
}

func (s *Server) reject(c *client, b *batch, msg string) {
	s.stats.rejected.Add(1)
	s.settle(c, b)
	c.out.Error(msg)
}

// read runs a read-only command on the local state once the batch has
// passed the read barrier.
func (s *Server) read(c *client, b *batch, cmd *protocol.Command, args [][]byte) {
	if !b.reads {
		if err := s.backend.ReadBarrier(); err != nil {
			c.out.Error(cluster.ErrorReply(err))
			return
		}
		b.reads = true
	}
	s.backend.View(func(ks *datatypes.Keyspace) {
		cmd.Handler.ServeRESP(&protocol.Ctx{Args: args, DB: ks, Now: time.Now().UnixMilli(), Out: &c.out, Conn: c})
	})
}
