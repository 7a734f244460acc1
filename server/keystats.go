package server

import "github.com/geetcache/geetcache/protocol"

// INFO's keyspace_hits and keyspace_misses count what read lookups found
// (protocol.KeyStats): each connection counts its own reads, the state
// machine the lookups of the entries it applies (every node applies
// them). The figure is the sum of the connections listed, what the
// server took from those it stopped listing, and the state machine's,
// less the counts at the last CONFIG RESETSTAT; it never goes down
// between resets.

// keyStatsState is the server's part of the count. Under the server's mu.
type keyStatsState struct {
	goneHits, goneMisses int64 // of connections no longer listed
	baseHits, baseMisses int64 // the counts at the last CONFIG RESETSTAT
}

// forgetClient stops listing cl, taking its counts so far. A connection
// stopped from elsewhere (CLIENT KILL, a deleted user, an idle timeout)
// may count a few more lookups before its goroutine ends; that one
// forgets it again (removeClient), taking those. Call with s.mu held.
func (s *Server) forgetClient(cl *client) {
	hits, misses := cl.keyStats.Hits.Load(), cl.keyStats.Misses.Load()
	s.keyStats.goneHits += hits - cl.foldedHits
	s.keyStats.goneMisses += misses - cl.foldedMisses
	cl.foldedHits, cl.foldedMisses = hits, misses
	delete(s.clients, cl.id)
}

// keyspaceHits returns keyspace_hits and keyspace_misses since the last
// CONFIG RESETSTAT, or since the start.
func (s *Server) keyspaceHits() (hits, misses int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keyStatsNow()
}

// keyStatsNow is keyspaceHits with s.mu held.
func (s *Server) keyStatsNow() (hits, misses int64) {
	hits, misses = s.keyStats.goneHits-s.keyStats.baseHits, s.keyStats.goneMisses-s.keyStats.baseMisses
	for _, cl := range s.clients {
		hits += cl.keyStats.Hits.Load() - cl.foldedHits
		misses += cl.keyStats.Misses.Load() - cl.foldedMisses
	}
	if s.evict != nil {
		st := s.evict.KeyStats()
		hits, misses = hits+st.Hits.Load(), misses+st.Misses.Load()
	}
	return hits, misses
}

// resetKeyStats makes keyspace_hits and keyspace_misses count from now
// (CONFIG RESETSTAT).
func (s *Server) resetKeyStats() {
	s.mu.Lock()
	defer s.mu.Unlock()
	hits, misses := s.keyStatsNow()
	s.keyStats.baseHits += hits
	s.keyStats.baseMisses += misses
}

// lookupStats is where c's read lookups count now: apart while a script
// is tried as a read (probe.go), else c's own count.
func (c *client) lookupStats() *protocol.KeyStats {
	if c.probing {
		return &c.probeStats
	}
	return &c.keyStats
}
