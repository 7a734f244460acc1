package server

import (
	"time"

	"github.com/geetcache/geetcache/protocol"
	"github.com/geetcache/geetcache/scripting"
)

// A script that may write is tried as a read first, on the node that
// receives it (scripting/probe.go; a follower before forwarding it): if it ends without a write, its
// reply is a linearizable read's and no log entry is made; it could be
// killed meanwhile, as a read-only script can. Only when it reaches a write
// does the command go into the log, where every replica runs it from the
// start (docs/consistency.md, "Long scripts").

// probeable names the commands tried as a read first.
var probeable = map[string]bool{"eval": true, "evalsha": true, "fcall": true}

// Probing and ProbeStopped make a client a scripting.ProbeConn.
func (c *client) Probing() bool                         { return c.probing }
func (c *client) ProbeStopped(need scripting.ProbeNeed) { c.probeNeed = need }

// ProbeChecksACL makes a client a scripting.ProbeACL: its user's
// restrictions must be checked against the script's calls.
func (c *client) ProbeChecksACL() bool { return c.probeACL }

// ProbeWriteDenied makes a client a scripting.ProbeDenier: the error a
// probe's first write gets while the leader lacks good replicas
// (min_replicas.go), or, for a denyoom one, while memory was above
// maxmemory when the probe started (script_oom.go); else "".
func (c *client) ProbeWriteDenied(denyOOM bool) string {
	switch {
	case c.probeDeny != "":
		return c.probeDeny
	case denyOOM && c.probeOOM:
		return protocol.ErrOOM
	}
	return ""
}

// maxProbes bounds the probes of one call: one, and one more after its
// body was cached.
const maxProbes = 2

// probe runs one[0] (a script that may write, outside a transaction) as a
// read and says whether that answered it; false means propose it.
//
// The first try runs on the local state without the read barrier: most
// scripts that may write reach a write at once, and that try costs only
// the run up to it. A try that ends without a write is run again behind
// the barrier (its reply is then a linearizable read's), unless it was
// killed: that reply is final.
func (s *Server) probe(c *client, b *batch, one []call) bool {
	c.probeDeny = s.writeRefusal()       // replicaof.go, min_replicas.go: its first write fails instead
	c.probeOOM = s.scriptOOM(c, &one[0]) // script_oom.go: its first denyoom write fails
	c.probeACL = !s.aclFree(c)           // its calls are checked up to its first write
	defer func() { c.probeDeny, c.probeOOM, c.probeACL = "", false, false }()
	// A stale replica's script is judged call by call (replica_stale.go).
	if c.probeDeny == "" && !c.probeOOM && !c.probeACL && !s.staleReplica() && s.cfg.Scripts != nil && s.cfg.Scripts.KnownWriter(one[0].args) {
		return false // luacore: straight into the pipeline's group commit
	}
	s.settle(c, b)
	c.replyMark = len(c.out.B) // where the reply counted by dispatch begins
	// After caching the body, only the barrier makes it seen; so on a
	// follower after this connection sent anything to the leader (a
	// FUNCTION LOAD or SCRIPT LOAD of the code it calls): the local state
	// may not hold it yet, and a try of the old code could run for ever.
	optimistic := s.router.IsLeader() || c.forwards == c.probeSeen
	for range maxProbes {
		if optimistic {
			mark := len(c.out.B)
			switch s.tryProbe(c, func() { s.readSome(c, s.view.LocalTime(), one) }) {
			case scripting.NeedWrite:
				return false
			case scripting.NeedCache:
				if !s.cacheScript(c, one[0].args[1]) {
					return false
				}
				optimistic = false
				continue
			case scripting.ProbeKilled:
				return c.probeAnswered()
			}
			c.out.B = c.out.B[:mark] // the optimistic reply: run it again, linearizably
		}
		seen := c.forwards // what this node has applied once the barrier is passed
		need := s.tryProbe(c, func() { s.probeLinearized(c, b, one) })
		c.probeSeen = seen
		switch need {
		case scripting.NeedNothing, scripting.ProbeKilled:
			return c.probeAnswered()
		case scripting.NeedCache:
			if !s.cacheScript(c, one[0].args[1]) {
				return false
			}
			optimistic = false
		default:
			return false
		}
	}
	return false
}

// tryProbe runs a probe with run and returns what it reported. Its read
// lookups are counted apart (probeStats): only a try that answers the
// call counts (probeAnswered), as the script's one run in Redis does.
func (s *Server) tryProbe(c *client, run func()) scripting.ProbeNeed {
	c.probing, c.probeNeed = true, scripting.NeedNothing
	c.probeStats.Hits.Store(0)
	c.probeStats.Misses.Store(0)
	forgetTryCalls(c) // INFO commandstats counts only the last try's calls
	run()
	c.probing = false
	return c.probeNeed
}

// probeAnswered counts the read lookups of the try that answered the
// call, and returns true.
func (c *client) probeAnswered() bool {
	c.keyStats.Add(&c.probeStats)
	return true
}

// cacheScript puts body in the replicated script cache (a SCRIPT LOAD
// entry) and says whether that worked; the reply is not the client's.
func (s *Server) cacheScript(c *client, body []byte) bool {
	load := [][]byte{[]byte("SCRIPT"), []byte("LOAD"), body}
	var reply []byte
	if s.router.IsLeader() {
		reply = s.proposer.Submit(protocol.Unit{Proto: uint8(c.out.Proto), Cmds: [][][]byte{load}}).Reply()
	} else {
		reply = s.forwardReply(c, load, false)
	}
	return len(reply) > 0 && reply[0] == '$'
}

// forwardKill sends a SCRIPT KILL or FUNCTION KILL that found nothing to
// stop on this follower to the leader, where a script sent through this
// node is tried as a read (and can be killed), and relays the leader's
// reply; on the leader it returns false (NOTBUSY stands).
func (s *Server) forwardKill(c *protocol.Ctx) bool {
	cl, ok := c.Conn.(*client)
	if !ok || s.router == nil || s.router.IsLeader() {
		return false
	}
	s.forward(cl, c.Args, false)
	return true
}

// probeLinearized runs a try behind the read barrier, as readGroup does
// (a follower in forward read mode sends the call to the leader, which
// tries it: the barrier is the leader's), except that a follower that lags its read index waits for it (up to the
// election wait) instead of sending the try to the leader as its other
// reads do: the script then runs here, where its client sent it, so this
// node answers BUSY and SCRIPT KILL or FUNCTION KILL sent here stops it.
func (s *Server) probeLinearized(c *client, b *batch, one []call) {
	switch {
	case c.readonly || s.router.IsLeader():
		s.readGroup(c, b, one)
		return
	case s.cfg.FollowerReads != ReadIndexReads: // only the leader serves such reads: it tries the call
		s.settle(c, b)
		s.forward(c, one[0].args, false)
		c.cmdName = one[0].cmd.Name
		return
	}
	ri, errMsg := s.fetchReadIndex(time.Now().Add(s.cfg.ElectionWait))
	if errMsg != "" || s.linear.WaitApplied(ri.index, s.cfg.ElectionWait) != nil {
		s.readGroup(c, b, one) // as any read: its error, or the leader
		return
	}
	s.readSome(c, ri.time, one)
	c.cmdName = one[0].cmd.Name
}
