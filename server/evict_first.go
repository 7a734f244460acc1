package server

import "github.com/geetcache/geetcache/cluster"

// evictFirst, on the leader, evicts by the policy before a command runs
// while memory is above maxmemory, reads included, as Redis's
// processCommand calls performEvictions before every command (whether the
// command may run then is roomFor's judgement, for denyoom ones). As in
// Redis, nothing is evicted while a script is busy. The pipeline's pending
// writes are answered first; the invalidations the evictions send this
// connection (client-side caching) then go out before the command's
// reply, as Redis's do.
func (s *Server) evictFirst(c *client, b *batch) {
	if s.evict == nil || !s.overMaxMemory() || s.eviction().Policy == cluster.NoEviction ||
		!s.router.IsLeader() || s.scripts.Busy() != "" {
		return
	}
	s.settle(c, b)
	s.evict.MakeRoom()
	if c.reply == replyOn { // else they wait in the mailbox for the next reply sent
		c.out.Raw(c.takeMail())
	}
}
