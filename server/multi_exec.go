package server

import (
	"bufio"
	"bytes"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// exec runs a transaction. Its keyspace commands form one log unit, applied
// on every node as one step with one array reply; the leader takes it like
// any write (in the pipeline's group commit), a follower sends the whole
// block to the leader at once. Other queued commands run here afterwards and
// their replies are put in their places in the array.
func (s *Server) exec(c *client, b *batch, m *multiState) {
	watch := c.watch
	c.watch = nil // EXEC unwatches every key, whatever it answers
	if m.dirty {
		s.settle(c, b)
		c.replyMark = len(c.out.B)
		c.out.Error(protocol.ErrExecAbort)
		return
	}
	s.recheckQueued(c, m)
	data := make([][][]byte, 0, len(m.items))
	for _, it := range m.items {
		if it.denied == "" && c.inUnit(it) {
			data = append(data, it.args)
		}
	}
	u := protocol.Unit{Proto: uint8(c.out.Proto), Multi: true, Cmds: data, Watch: watch, Origin: s.trackingOrigin(c), DB: c.db, User: s.unitUser(c, data)}
	after := s.rememberBlock(c, m.items)
	to := selectedIn(m.items, c.limit()) // -1: no SELECT runs in the unit
	if len(data) > 0 && len(data) == len(m.items) && s.router.IsLeader() && !(to >= 0 && watch != nil) {
		s.makeRoom(c, b, true)
		s.submit(c, b, u, m.items) // counted in settle
		b.notes[len(b.notes)-1].remember = after
		c.replyMark = -1
		c.SelectDB(to) // it runs: no watch can stop it
		return
	}
	s.settle(c, b)
	c.replyMark = len(c.out.B)
	defer s.rememberAfter(c, after)
	if s.sleepsAtLeader(c, m) { // multi_sleep.go
		s.execAtLeader(c, m, u, to)
		return
	}
	if len(data) == len(m.items) && len(data) > 0 {
		reply := s.execUnit(c, u)
		c.out.Raw(reply)
		if reply[0] == '*' && !isNullArray(reply) {
			c.SelectDB(to)
		}
		return
	}
	var elems [][]byte
	if len(data) > 0 || watch != nil { // a watch is checked in the log
		reply := s.execUnit(c, u)
		if elems = splitArray(reply, len(data)); elems == nil || isNullArray(reply) {
			c.out.Raw(reply) // an error, or null: the transaction did not run
			return
		}
		c.SelectDB(to)
	}
	s.execMixed(c, m, elems)
}

// sleeps reports whether a transaction calls DEBUG SLEEP: Redis's
// whole server stops then, its clock moving on, and the blocked clients
// the transaction's writes wake are served after EXEC, when a key it gave
// a short TTL may have expired.
func sleeps(items []queued) bool {
	for _, it := range items {
		if isDebugSleep(it.args) {
			return true
		}
	}
	return false
}

// execMixed writes the transaction's array: the log unit's replies in
// order, and each connection or server command run now, in its place.
func (s *Server) execMixed(c *client, m *multiState, elems [][]byte) {
	c.execing = true // a SUBSCRIBE's confirmation goes in the array (pubsub_cmd.go)
	defer func() { c.execing = false }()
	c.out.Array(len(m.items))
	for _, it := range m.items {
		if it.denied != "" {
			c.out.Error(it.denied)
			continue
		}
		if c.inUnit(it) {
			c.out.Raw(elems[0])
			elems = elems[1:]
			continue
		}
		c.cmdName = it.cmd.Name
		it.cmd.Handler.ServeRESP(&protocol.Ctx{Args: it.args, Now: time.Now().UnixMilli(), Out: &c.out, Conn: c})
	}
}

// execUnit applies a transaction's log unit and returns its reply: through
// this node's log while it leads, else (or when it stopped leading before
// the unit was applied) through the leader.
func (s *Server) execUnit(c *client, u protocol.Unit) []byte {
	if s.router.IsLeader() {
		reply := s.proposer.Submit(u).Reply()
		if notApplied(reply) {
			return s.resend(c, &u, reply)
		}
		return reply
	}
	start := time.Now()
	reply := s.forwardBlock(c, &u)
	s.settleForwarded(u.Cmds, time.Since(start)) // tracking_forward.go
	return reply
}

// isNullArray reports whether reply is EXEC's null: a watched key changed.
func isNullArray(reply []byte) bool {
	return string(reply) == "*-1\r\n" || string(reply) == "_\r\n"
}

// splitArray returns the n elements of an array reply, or nil if reply is
// not an array of n elements (an error such as CLUSTERDOWN or EXECABORT).
func splitArray(reply []byte, n int) [][]byte {
	if len(reply) == 0 || reply[0] != '*' {
		return nil
	}
	br := bytes.NewReader(reply)
	rd := bufio.NewReader(br)
	if _, err := rd.ReadBytes('\n'); err != nil {
		return nil
	}
	elems := make([][]byte, 0, n)
	for range n {
		e, err := readReply(rd, nil)
		if err != nil {
			return nil
		}
		elems = append(elems, e)
	}
	if rd.Buffered() != 0 || br.Len() != 0 {
		return nil
	}
	return elems
}
