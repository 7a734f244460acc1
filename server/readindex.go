package server

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/protocol"
)

// FollowerReads is how a follower serves a linearizable read: a keyspace
// read on a READWRITE connection (docs/consistency.md).
type FollowerReads uint8

const (
	// ForwardReads sends the read to the leader, which runs it after its
	// read barrier, and relays the leader's reply.
	ForwardReads FollowerReads = iota
	// ReadIndexReads asks the leader for a read index (RAFT READINDEX),
	// waits until this node has applied the log that far, and runs the
	// read here.
	ReadIndexReads
)

var followerReadsNames = [...]string{ForwardReads: "forward", ReadIndexReads: "readindex"}

func (m FollowerReads) String() string { return followerReadsNames[m] }

// MarshalText and UnmarshalText make a mode a flag (flag.TextVar).
func (m FollowerReads) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

func (m *FollowerReads) UnmarshalText(b []byte) error {
	v, err := ParseFollowerReads(string(b))
	if err == nil {
		*m = v
	}
	return err
}

// ParseFollowerReads parses a mode name: forward or readindex.
func ParseFollowerReads(s string) (FollowerReads, error) {
	for m, name := range followerReadsNames {
		if s == name {
			return FollowerReads(m), nil
		}
	}
	return 0, errors.New("must be forward or readindex")
}

// readIndexRequest is RAFT READINDEX TIME as a follower sends it to the
// leader.
var readIndexRequest = appendCommand(nil, [][]byte{[]byte("RAFT"), []byte("READINDEX"), []byte("TIME")})

// RAFT READINDEX [TIME]: the leader's read index, once its read barrier is
// passed; with TIME, an array of the index and the leader's time (unix ms)
// that a read served at that index judges expiry by.
func (s *Server) raftReadIndex(c *protocol.Ctx) {
	withTime := len(c.Args) == 3 && strings.EqualFold(string(c.Args[2]), "time")
	if len(c.Args) > 2 && !withTime {
		c.Out.Error(protocol.ErrSyntax)
		return
	}
	index, t, err := s.linear.ReadIndex()
	switch {
	case err != nil:
		c.Out.Error(s.router.ErrorReply(err))
	case withTime:
		c.Out.Array(2)
		c.Out.Int(int64(index))
		c.Out.Int(t)
	default:
		c.Out.Int(int64(index))
	}
}

// readIndexGrace is how long a follower waits to apply the leader's read
// index before it sends the reads to the leader instead. A follower learns
// that an entry committed only with the leader's next append, up to two
// commit timeouts (10 ms) later when writes pause; forwarding costs one
// round trip.
const readIndexGrace = time.Millisecond

// readIndexHoldoff is how long a follower that found itself behind sends
// reads straight to the leader, without asking for a read index first:
// while writes trickle in, it stays behind by up to two commit timeouts.
const readIndexHoldoff = 20 * time.Millisecond

// linearizeGroup readies this node's state for a group of linearizable
// reads that arrived before the call, once per pipeline and again after a
// command of the pipeline went to the leader (never on a READONLY
// connection). It returns false if it answered the group itself: with an
// error, or, on a follower behind the leader's read index, by forwarding
// the group to the leader.
func (s *Server) linearizeGroup(c *client, b *batch, cmds []call) bool {
	if c.readonly {
		return s.readonlyReady(c, cmds)
	}
	errMsg, behind := s.passBarrier(c, b)
	switch {
	case behind: // reads are safe to send again: no answer is CLUSTERDOWN
		for _, cl := range cmds { // tracked here before the leader reads them
			s.rememberRead(c, cl.cmd, cl.args)
		}
		s.relayPipeline(c, cmds, time.Now().Add(s.cfg.ElectionWait), protocol.ErrReplyNoLeader)
		return false
	case errMsg != "":
		s.relayErrors(c, cmds, time.Now(), errMsg)
		return false
	}
	return true
}

// passedBarrier reports whether b's reads passed a read barrier that still
// holds for c: none of c's calls went to the leader since.
func (b *batch) passedBarrier(c *client) bool { return b.reads && b.readsAt == c.forwards }

// passBarrier passes the read barrier for b's reads, once per pipeline
// (until c sends a call to the leader), and records the time they read at
// (b.readTime); else it returns linearizeWithin's error or that this
// node is behind.
func (s *Server) passBarrier(c *client, b *batch) (errMsg string, behind bool) {
	if b.passedBarrier(c) {
		return "", false
	}
	t, errMsg, behind := s.linearizeWithin(s.readGrace(c))
	if errMsg == "" && !behind {
		b.reads, b.readsAt, b.readTime = true, c.forwards, t
	}
	return errMsg, behind
}

// linearize makes this node's state fit for a linearizable read that
// arrived before the call and returns the leader's time the read judges
// expiry by, or returns the error reply, or reports that this node, a
// follower, is behind the leader's read index. In forward
// mode only the leader serves such reads, after its read barrier. In
// readindex mode every node does, once it has applied the leader's read
// index; the leader too, since a follower may have served a committed
// write before the leader's own state machine applied it.
func (s *Server) linearize() (t int64, errMsg string, behind bool) {
	return s.linearizeWithin(readIndexGrace)
}

// linearizeWithin is linearize where a follower waits up to grace to
// apply the leader's read index (followerReadIndex).
func (s *Server) linearizeWithin(grace time.Duration) (t int64, errMsg string, behind bool) {
	switch {
	case s.cfg.FollowerReads != ReadIndexReads:
		t, err := s.linear.ReadBarrier()
		return t, s.errorReply(err), false
	case s.router.IsLeader():
		index, t, err := s.linear.ReadIndex()
		if err != nil {
			return 0, s.router.ErrorReply(err), false
		}
		return t, s.errorReply(s.linear.WaitApplied(index, s.cfg.ElectionWait)), false
	}
	return s.followerReadIndex(grace)
}

// followerReadIndex gets the leader's read index and time and waits up to
// grace until this follower has applied the index; it reports behind if it
// has not, or, for the usual brief grace, if it was lately
// (readIndexHoldoff). A longer grace is a caller that would rather wait
// than send its reads on: it always asks.
func (s *Server) followerReadIndex(grace time.Duration) (t int64, errMsg string, behind bool) {
	if grace <= readIndexGrace && time.Now().UnixNano() < s.indexer.behindUntil.Load() {
		return 0, "", true
	}
	ri, errMsg := s.fetchReadIndex(time.Now().Add(s.cfg.ElectionWait))
	if errMsg != "" {
		return 0, errMsg, false
	}
	if s.linear.WaitApplied(ri.index, grace) != nil {
		s.indexer.behindUntil.Store(time.Now().Add(readIndexHoldoff).UnixNano())
		return 0, "", true
	}
	return ri.time, "", false
}

// errorReply is err's error reply, "" for nil.
func (s *Server) errorReply(err error) string {
	if err == nil {
		return ""
	}
	return s.router.ErrorReply(err)
}

// readIndex is the leader's answer to RAFT READINDEX TIME.
type readIndex struct {
	index uint64 // the log index to apply before the read
	time  int64  // the leader's time to judge expiry by, unix ms
}

// fetchReadIndex gets a read index, asking again (whoever leads by then)
// while the answer is CLUSTERDOWN, until deadline. Asking changes nothing,
// so asking again is always safe.
func (s *Server) fetchReadIndex(deadline time.Time) (readIndex, string) {
	for {
		ri, errMsg := s.indexer.join(deadline)
		if !protocol.IsClusterDown(errMsg) || !time.Now().Before(deadline) {
			return ri, errMsg
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// readIndexer shares RAFT READINDEX requests among a follower's
// connections, as the leader shares VerifyLeader rounds: a read joins the
// next request that has not been sent yet, so the index it gets was taken
// after the read arrived, and one request serves every read that joined
// it. Requests go one at a time over the indexer's own link to the leader.
type readIndexer struct {
	s       *Server
	mu      sync.Mutex
	next    *indexRound
	running bool
	link    *upstream // the running goroutine's, RESP2
	// behindUntil (unix ns): until then reads skip the read index and go
	// to the leader (readIndexHoldoff).
	behindUntil atomic.Int64
}

type indexRound struct {
	done   chan struct{}
	ri     readIndex
	errMsg string
}

// join waits for the next request's answer, or until deadline.
func (ri *readIndexer) join(deadline time.Time) (readIndex, string) {
	ri.mu.Lock()
	if ri.next == nil {
		ri.next = &indexRound{done: make(chan struct{})}
	}
	r := ri.next
	if !ri.running {
		ri.running = true
		go ri.run()
	}
	ri.mu.Unlock()
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case <-r.done:
		return r.ri, r.errMsg
	case <-timer.C:
		return readIndex{}, protocol.ErrReplyNoLeader
	}
}

// run sends requests while reads wait for one.
func (ri *readIndexer) run() {
	for {
		ri.mu.Lock()
		r := ri.next
		ri.next = nil
		if r == nil {
			ri.running = false
			ri.mu.Unlock()
			return
		}
		ri.mu.Unlock()
		r.ri, r.errMsg = ri.ask()
		close(r.done)
	}
}

// ask sends RAFT READINDEX TIME to the leader and reads its answer, within
// one election wait (a paused leader never answers).
func (ri *readIndexer) ask() (readIndex, string) {
	deadline := time.Now().Add(ri.s.cfg.ElectionWait)
	addr, ok := ri.s.waitLeader()
	if !ok {
		return readIndex{}, ri.s.router.ErrorReply(cluster.ErrNoLeader)
	}
	reply, msg := ri.s.leaderCall(&ri.link, addr, max(time.Until(deadline), time.Millisecond), deadline, readIndexRequest)
	if msg != "" {
		return readIndex{}, msg
	}
	return parseReadIndex(reply)
}

// parseReadIndex reads the answer to RAFT READINDEX TIME: an array of two
// integers, the index and the time, or an error reply whose text it
// returns.
func parseReadIndex(reply []byte) (readIndex, string) {
	if len(reply) > 0 && reply[0] == '-' {
		return readIndex{}, string(reply[1 : len(reply)-2])
	}
	elems := splitArray(reply, 2)
	if elems == nil {
		return readIndex{}, protocol.ErrReplyBadReadIndex
	}
	index, ok1 := parseIntReply(elems[0])
	t, ok2 := parseIntReply(elems[1])
	if !ok1 || !ok2 || index < 0 {
		return readIndex{}, protocol.ErrReplyBadReadIndex
	}
	return readIndex{index: uint64(index), time: t}, ""
}

// parseIntReply reads an integer reply.
func parseIntReply(reply []byte) (int64, bool) {
	if len(reply) < 4 || reply[0] != ':' {
		return 0, false
	}
	v, err := strconv.ParseInt(string(reply[1:len(reply)-2]), 10, 64)
	return v, err == nil
}
