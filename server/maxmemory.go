package server

import (
	"strconv"

	"github.com/geetcache/geetcache/protocol"
)

// maxmemory with Redis's default policy, noeviction: while the memory in
// use (INFO's used_memory: the Go heap's live objects) is above maxmemory,
// commands flagged denyoom for the call (SET, FUNCTION LOAD, an FCALL of a
// function without allow-oom or no-writes...) are refused with Redis's OOM
// error; everything else runs. Nothing is ever evicted. The leader judges
// each command by its own memory before it enters the log (followers
// forward writes, and transactions, to it), so replicas never disagree
// about a command in the log. 0, the default, turns it off.

// getMaxMemory is CONFIG GET maxmemory, in bytes.
func getMaxMemory(st *settings) string { return strconv.FormatInt(st.maxMemory.Load(), 10) }

// setMaxMemory is CONFIG SET maxmemory: bytes, or a Redis memory value
// ("100mb", "1gb").
func setMaxMemory(st *settings, v []byte) (func(), string) {
	n, ok := memToUint64(string(v))
	if !ok {
		return nil, "argument must be a memory value"
	}
	return func() { st.maxMemory.Store(int64(min(n, 1<<63-1))) }, ""
}

// oomReply returns Redis's OOM error for a call of cmd with args while
// memory is above maxmemory, or "".
func (s *Server) oomReply(cmd *protocol.Command, args [][]byte) string {
	limit := s.settings.maxMemory.Load()
	if limit == 0 || cmd.FlagsFor(args)&protocol.DenyOOM == 0 || heapBytes() <= uint64(limit) {
		return ""
	}
	return protocol.ErrOOM
}

// roomFor answers OOM to a well-formed call that memory has no room for,
// in a transaction too (EXEC then answers EXECABORT, as Redis's does), and
// returns false; true when the call may go on. Only the leader judges: a
// follower forwards writes (and a transaction's block) to it.
func (s *Server) roomFor(c *client, b *batch, cl *call) bool {
	if !cl.ok || s.settings.maxMemory.Load() == 0 || !s.router.IsLeader() {
		return true
	}
	msg := s.oomReply(cl.cmd, cl.args)
	if msg == "" {
		return true
	}
	if c.multi != nil {
		c.multi.dirty = true
	}
	s.reject(c, b, msg)
	return false
}
