package server

import (
	"runtime"
	"sync"
	"time"
)

// A follower keeps the order of the blocking commands it forwards: each
// goes to the leader over its client's own link, and the leader orders
// the waiters one follower sent by that follower's arrival stamps (RAFT
// ARRIVED, arrival.go), but a command that reaches the leader only after
// a later one was served there comes too late. So a blocking command that
// shares a key with one that arrived here before it and is still on its
// way is sent only once the leader has queued that one: the leader
// answers RAFT ARRIVED as soon as it has queued the command after it
// (confirmQueued), before the command's own reply. The wait is bounded
// (turnWait): a link being dialed or a leader gone does not hold others
// for long.

// turnWait bounds how long a forwarded blocking command waits for the
// earlier ones to be queued at the leader.
const turnWait = 500 * time.Millisecond

// forwardOrder holds the blocking commands this follower is forwarding
// and the leader has not yet queued.
type forwardOrder struct {
	mu    sync.Mutex
	turns []*forwardTurn
}

// forwardTurn is one blocking command on its way to the leader.
type forwardTurn struct {
	keys   []string // queue names (blockKey)
	at     arrival
	queued chan struct{} // closed once the leader queued it, or it ended
	once   sync.Once
}

// enter records a blocking command with keys that arrived at, and
// returns it with the channels of the earlier ones sharing a key.
func (o *forwardOrder) enter(keys []string, at arrival) (*forwardTurn, []chan struct{}) {
	t := &forwardTurn{keys: keys, at: at, queued: make(chan struct{})}
	o.mu.Lock()
	defer o.mu.Unlock()
	var earlier []chan struct{}
	for _, other := range o.turns {
		if other.at.before(at) && other.sharesKey(keys) {
			earlier = append(earlier, other.queued)
		}
	}
	o.turns = append(o.turns, t)
	return t, earlier
}

// leave forgets t, queued or ended.
func (o *forwardOrder) leave(t *forwardTurn) {
	t.markQueued()
	o.mu.Lock()
	defer o.mu.Unlock()
	for i, other := range o.turns {
		if other == t {
			o.turns = append(o.turns[:i:i], o.turns[i+1:]...)
			return
		}
	}
}

// markQueued lets the later commands go: the leader queued t. A nil t
// (a forward that is not ordered) does nothing.
func (t *forwardTurn) markQueued() {
	if t != nil {
		t.once.Do(func() { close(t.queued) })
	}
}

func (t *forwardTurn) sharesKey(keys []string) bool {
	for _, k := range keys {
		for _, mine := range t.keys {
			if k == mine {
				return true
			}
		}
	}
	return false
}

// awaitTurn lets the goroutines ready to run go first (a connection whose
// command arrived just before c's is read by now, most often), then waits
// until the blocking commands with keys that arrived here before c's are
// queued at the leader, at most turnWait. The caller must leave the
// returned turn once its command is queued or ended; nil when c's arrival
// is unknown.
func (s *Server) awaitTurn(c *client, args [][]byte) *forwardTurn {
	at := arrivalOf(c)
	cmd := s.table.Lookup(args[0])
	if at.at == 0 || cmd == nil {
		return nil
	}
	runtime.Gosched()
	keyArgs := keyArgsOf(cmd, args)
	keys := make([]string, len(keyArgs))
	for i, k := range keyArgs {
		keys[i] = blockKey(c.db, k)
	}
	t, earlier := s.blocker.forwarding.enter(keys, at)
	timer := time.NewTimer(turnWait)
	defer timer.Stop()
	for _, ch := range earlier {
		select {
		case <-ch:
		case <-timer.C:
			return t
		}
	}
	return t
}

// confirmQueued answers, on a follower's link, the RAFT ARRIVED sent
// before the blocking command just queued, so that the follower sends the
// blocking commands that arrived there after it (awaitTurn).
func (s *Server) confirmQueued(c *client) {
	if c.forwarded.origin != "" {
		s.flush(c)
	}
}
