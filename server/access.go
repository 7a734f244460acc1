package server

import (
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// Access tracking. Every node keeps LRU/LFU figures for the keys its own
// reads touch (and the writes it applies); OBJECT IDLETIME and FREQ report
// the figures of the node asked. Only the leader evicts, so a follower
// tells it what its reads touched: every accessReportInterval it sends the
// keys and how often each was read (`RAFT TOUCHED key count ...`) over a
// link of its own, outside the log (the figures are not replicated state).
// A key read hot only through a follower is thus hot on the leader too,
// at most one interval late.

// accessReportInterval is how often a follower reports its reads.
const accessReportInterval = 250 * time.Millisecond

// maxReportKeys bounds the distinct keys one report carries; reads of
// other keys in a busier interval are sampled out.
const maxReportKeys = 4096

// accessReports collects a follower's reads between two reports.
type accessReports struct {
	mu     sync.Mutex
	counts map[string]int64
	link   *upstream // the report loop's own, RESP2
}

// access is the read path's Ctx.Access: it touches the entry (this node's
// figures) and, on a follower, notes the key for the leader.
func (s *Server) access(e *datatypes.Entry, now int64) {
	e.Touch(now, s.evict.Eviction().LFU, rand.Float64())
	if !s.router.IsLeader() {
		s.accesses.note(e.Key)
	}
}

// readAccess returns the Access hook for reads, nil without a node.
func (s *Server) readAccess() func(*datatypes.Entry, int64) { return s.accessFn }

func (a *accessReports) note(key string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.counts == nil {
		a.counts = map[string]int64{}
	}
	if _, ok := a.counts[key]; ok || len(a.counts) < maxReportKeys {
		a.counts[key]++
	}
}

// take returns the reads noted since the last call as RAFT TOUCHED's
// arguments, or nil.
func (a *accessReports) take() [][]byte {
	a.mu.Lock()
	counts := a.counts
	a.counts = nil
	a.mu.Unlock()
	if len(counts) == 0 {
		return nil
	}
	args := make([][]byte, 0, 2+2*len(counts))
	args = append(args, []byte("RAFT"), []byte("TOUCHED"))
	for k, n := range counts { // order does not matter: the leader only touches
		args = append(args, []byte(k), strconv.AppendInt(nil, n, 10))
	}
	return args
}

// accessReportLoop sends a follower's reads to the leader until stop.
func (s *Server) accessReportLoop(stop <-chan struct{}) {
	defer s.wg.Done()
	t := time.NewTicker(accessReportInterval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			s.accesses.link.close()
			return
		case <-t.C:
			if args := s.accesses.take(); args != nil && !s.router.IsLeader() {
				s.sendReport(args)
			}
		}
	}
}

// sendReport sends one report; a lost one is dropped (the next interval
// brings fresh reads).
func (s *Server) sendReport(args [][]byte) {
	a := &s.accesses
	addr, ok := s.router.LeaderClientAddr()
	if !ok {
		return
	}
	s.leaderCall(&a.link, addr, forwardDial, time.Now().Add(forwardTimeout), appendCommand(nil, args))
}

// RAFT TOUCHED key count [key count ...]: a follower's reads of each key
// since its last report, counted as accesses here (internal; replies OK).
func (s *Server) raftTouched(c *protocol.Ctx) {
	if len(c.Args)%2 != 0 {
		c.Out.Error(protocol.ErrSyntax)
		return
	}
	keys := make([]string, 0, len(c.Args)/2-1)
	counts := make([]int64, 0, cap(keys))
	for i := 2; i < len(c.Args); i += 2 {
		n, ok := protocol.ParseInt(c.Args[i+1])
		if !ok {
			c.Out.Error(protocol.ErrNotInteger)
			return
		}
		keys = append(keys, string(c.Args[i]))
		counts = append(counts, n)
	}
	if s.evict != nil {
		s.evict.TouchKeys(keys, counts)
	}
	c.Out.OK()
}
