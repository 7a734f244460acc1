package server

import "github.com/geetcache/geetcache/protocol"

// maxmemory and a script without a shebang, as Redis 7.0: it is not
// refused at start (EVAL and EVALSHA are not denyoom); when memory was
// above maxmemory as it started, its first write fails with the OOM error
// if that write is a denyoom command (scriptVerifyOOM), and a first write
// that is not lets the rest run. Such a script is tried as a read first
// (probe.go), where the leader judges its first write before anything
// enters the log: a refused write is an error inside the script (a
// redis.pcall gets the error table), the script goes on as a read, and no
// log entry is made. Inside a transaction the script runs in the log,
// where no replica could judge, so it is judged at queueing as before
// (evalFlags' denyoom, from the script's text).

// denyOOMCall stands for any denyoom command in oomReply.
var denyOOMCall = &protocol.Command{Name: "denyoom", Flags: protocol.DenyOOM}

// oomAtFirstWrite reports whether cl is an EVAL or EVALSHA outside a
// transaction of a script without a shebang: dispatch leaves its OOM
// judgement to the probe.
func (s *Server) oomAtFirstWrite(c *client, cl *call) bool {
	return c.multi == nil && s.scriptWithoutShebang(cl)
}

// scriptWithoutShebang reports whether cl is an EVAL or EVALSHA of a
// script without a shebang.
func (s *Server) scriptWithoutShebang(cl *call) bool {
	if !cl.ok || (cl.cmd.Name != "eval" && cl.cmd.Name != "evalsha") || s.cfg.Scripts == nil {
		return false
	}
	return !s.cfg.Scripts.DeclaresWrite(cl.args)
}

// scriptOOM says, as a probe of cl starts, whether its first denyoom
// write must fail: memory is above maxmemory on the leader, which judges
// (and evicts first); on a follower when the leader could not evict
// either (followerOOM), so that the follower's try fails the write, counts
// it and answers, as the leader's would, instead of sending the script to
// the leader.
func (s *Server) scriptOOM(c *client, cl *call) bool {
	if !s.oomAtFirstWrite(c, cl) {
		return false
	}
	if s.router.IsLeader() {
		return s.oomReply(c, denyOOMCall, nil) != ""
	}
	return s.followerOOM()
}
