package main

import (
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/hashicorp/raft"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/server"
)

// handOverDrain is how long a node that handed its leadership over keeps
// serving, as a follower, before it stops reading: the other nodes learn
// the new leader from its first heartbeat (tens of ms) and send their
// commands there from then on; what they sent here meanwhile is relayed.
const handOverDrain = 500 * time.Millisecond

// errAborted is Stop's error after SHUTDOWN ABORT.
var errAborted = errors.New("shutdown manually aborted")

// stopper prepares the process's graceful stop, for SHUTDOWN and for
// SIGTERM/SIGINT: a leader hands its leadership over and keeps serving a
// moment as a follower; SAVE takes a snapshot. Then exit is closed, and
// run closes the server (every command it read is answered) and the node.
type stopper struct {
	node    *cluster.Node
	log     *slog.Logger
	timeout func() time.Duration // shutdown-timeout: the most the hand-over takes
	// abortFailover aborts a FAILOVER running (the stop hands over on its
	// own terms); nil in tests without a server.
	abortFailover func(why string)

	mu     sync.Mutex
	abort  chan struct{} // not nil while a stop is being prepared
	insist bool          // a second signal: stop without waiting
	exit   chan struct{} // closed once the process is to exit
	once   sync.Once
}

var _ server.Stopper = (*stopper)(nil)

func newStopper(node *cluster.Node, log *slog.Logger) *stopper {
	return &stopper{node: node, log: log, timeout: func() time.Duration { return 10 * time.Second }, exit: make(chan struct{})}
}

// Stop prepares the stop req asks for and returns nil once the process
// is to exit. A Stop while another is prepared joins it when req has NOW
// (the hand-over is cut short), else fails.
func (s *stopper) Stop(req server.ShutdownRequest) error {
	abort, err := s.begin(req)
	if err != nil {
		return err
	}
	defer s.end()
	if !req.Now {
		s.handOver(abort)
	}
	if s.aborted(abort) {
		return errAborted
	}
	if req.Save {
		if err := s.save(req.Force); err != nil {
			return err
		}
	}
	s.once.Do(func() { close(s.exit) })
	return nil
}

// begin marks a stop as being prepared and returns its abort channel.
func (s *stopper) begin(req server.ShutdownRequest) (chan struct{}, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.abort != nil {
		if req.Now {
			s.insistLocked()
			return make(chan struct{}), nil
		}
		return nil, errors.New("a shutdown is already in progress")
	}
	s.abort, s.insist = make(chan struct{}), false
	return s.abort, nil
}

func (s *stopper) end() {
	s.mu.Lock()
	s.abort = nil
	s.mu.Unlock()
}

// handOver hands a leader's leadership over, then keeps serving for
// handOverDrain (a follower has nothing to hand over and stops at once).
func (s *stopper) handOver(abort chan struct{}) {
	if s.abortFailover != nil {
		s.abortFailover("the node is stopping")
	}
	if !s.node.IsLeader() {
		return
	}
	if err := s.node.HandOver(s.timeout(), abort); err != nil {
		if !s.aborted(abort) {
			s.log.Warn("could not hand leadership over before stopping; stopping anyway", "err", err)
		}
		return
	}
	if s.node.IsLeader() {
		return // the only voter: nobody to hand over to, nobody to drain
	}
	select {
	case <-time.After(handOverDrain):
	case <-abort:
	}
}

// save takes the snapshot SAVE asks for; force logs a failure and goes on.
func (s *stopper) save(force bool) error {
	err := s.node.Snapshot()
	if err == nil || errors.Is(err, raft.ErrNothingNewToSnapshot) {
		return nil
	}
	if force {
		s.log.Warn("snapshot before shutdown failed; stopping anyway (FORCE)", "err", err)
		return nil
	}
	s.log.Error("snapshot before shutdown failed; not stopping", "err", err)
	return err
}

// aborted reports whether the stop was aborted (SHUTDOWN ABORT), not
// cut short by a second signal.
func (s *stopper) aborted(abort chan struct{}) bool {
	select {
	case <-abort:
		s.mu.Lock()
		defer s.mu.Unlock()
		return !s.insist
	default:
		return false
	}
}

// Abort cancels the stop being prepared: SHUTDOWN ABORT.
func (s *stopper) Abort() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.abort == nil || s.insist {
		return false
	}
	select {
	case <-s.abort:
		return false // already aborted
	default:
	}
	close(s.abort)
	s.log.Warn("shutdown manually aborted")
	return true
}

// Insist cuts a stop being prepared short (a second signal): it exits
// without waiting for the hand-over. It reports whether one was.
func (s *stopper) Insist() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.abort == nil {
		return false
	}
	s.insistLocked()
	return true
}

func (s *stopper) insistLocked() {
	s.insist = true
	select {
	case <-s.abort:
	default:
		close(s.abort)
	}
}

// Exit is closed once the process is to exit.
func (s *stopper) Exit() <-chan struct{} { return s.exit }
