package server

import (
	"time"

	"github.com/tidwall/redcon"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/protocol"
)

// WAIT numreplicas timeout, under Raft (docs/consistency.md, "WAIT"): by
// the time WAIT runs, every write this connection was answered for is
// committed, so a majority of the voters holds it in its log. WAIT answers
// how many nodes other than the leader are known to hold it: half the
// voters, rounded down (0 for a single node, 1 of 3, 2 of 5).
// hashicorp/raft does not expose how far each follower has replicated, so
// no larger count is ever known: when numreplicas asks for more, WAIT
// waits out the timeout as Redis does when replicas do not acknowledge,
// then answers the known count; with timeout 0 (Redis: wait forever) it
// answers at once, since waiting could never change the answer.
func (s *Server) waitCommands() []*protocol.Command {
	return []*protocol.Command{
		{Name: "wait", Arity: 3, Flags: protocol.NoScript, Group: "generic", Since: "3.0.0",
			Summary: "Wait for the synchronous replication of all the write commands sent in the context of the current connection",
			Handler: protocol.HandlerFunc(s.wait)},
	}
}

// queueWait answers a WAIT that follows writes of its pipeline still in
// the log, when its answer needs no waiting, by queueing its reply behind
// theirs instead of first waiting for them (settle): the writes after it
// then join the same entries, so a pipeline of SET and WAIT pairs takes
// one commit, not one per pair. Its answer is the same: each of those
// writes is answered only once committed, that is once on a majority.
// A write that fails is not one WAIT counts, as in Redis.
func (s *Server) queueWait(c *client, b *batch, cl *call) bool {
	if cl.cmd.Name != "wait" || !cl.ok || len(b.pending) == 0 {
		return false
	}
	known, timeout, errMsg := s.waitArgs(cl.args)
	if errMsg != "" || timeout > 0 {
		return false // an error, or one that waits out its timeout: after the writes
	}
	b.pending = append(b.pending, cluster.Answered(redcon.AppendInt(nil, known)))
	b.notes = append(b.notes, pendingNote{stat: c.stat, cmd: cl.cmd, args: cl.args, answered: true})
	return true
}

func (s *Server) wait(c *protocol.Ctx) {
	known, timeout, errMsg := s.waitArgs(c.Args)
	if errMsg != "" {
		c.Out.Error(errMsg)
		return
	}
	cl, _ := c.Conn.(*client)
	inExec := cl != nil && cl.execing // Redis answers at once in MULTI
	if timeout > 0 && !inExec {
		t := time.NewTimer(timeout)
		select {
		case <-t.C:
		case <-s.stopIdle: // the server is closing
			t.Stop()
		}
		known = s.followersHolding() // membership may have changed
	}
	c.Out.Int(known)
}

// waitArgs parses WAIT numreplicas timeout and returns the count known
// now and how long WAIT must wait before answering: its timeout when it
// asks for more than known, else 0. errMsg is Redis's error for a bad
// argument.
func (s *Server) waitArgs(args [][]byte) (known int64, wait time.Duration, errMsg string) {
	want, ok := protocol.ParseInt(args[1])
	if !ok {
		return 0, 0, protocol.ErrNotInteger
	}
	timeout, errMsg := waitTimeout(args[2])
	if errMsg != "" {
		return 0, 0, errMsg
	}
	known = s.followersHolding()
	if want > known {
		wait = timeout
	}
	return known, wait, ""
}

// waitTimeout parses WAIT's timeout in milliseconds as Redis does
// (string2ll: no '+', no leading zero), with Redis's errors.
func waitTimeout(arg []byte) (time.Duration, string) {
	ms, ok := protocol.ParseInt(arg)
	switch {
	case !ok:
		return 0, "ERR timeout is not an integer or out of range"
	case ms < 0:
		return 0, "ERR timeout is negative"
	}
	return time.Duration(min(ms, 1<<40)) * time.Millisecond, ""
}

// followersHolding is how many voters besides the leader a committed
// entry is known to be on: a majority of the voters holds it.
func (s *Server) followersHolding() int64 {
	ms, _ := s.admin.Members()
	voters := 0
	for _, m := range ms {
		if m.Voter {
			voters++
		}
	}
	return int64(voters / 2)
}
