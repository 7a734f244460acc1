package server

import (
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// CLIENT PAUSE timeout [WRITE|ALL] and CLIENT UNPAUSE, as Redis 7.0: for
// timeout milliseconds, or until CLIENT UNPAUSE, this node holds its
// clients' commands: every one (ALL, the default), or those Redis may
// replicate (WRITE; pause_hold.go says which). A held command waits,
// counted in INFO's blocked_clients and flagged b in CLIENT LIST, and once
// the pause ends it is judged again from the start and runs, as Redis
// reprocesses a postponed client. A pause sent while one is on keeps the
// stricter mode and the later end. While its clients are paused the node
// proposes no deletion of expired keys (cluster.Node.HoldExpiry) and
// evicts nothing, as Redis keeps its data set unchanged.
//
// The pause is this node's, as a Redis server's is its own: clients of
// other nodes go on. Every write a follower takes goes to the leader on a
// link of the leader's, so a pause on the leader holds the whole cluster's
// writes (and, ALL, the reads followers forward); the RAFT commands nodes
// send each other, and replicas attached with SYNC/PSYNC, are never held,
// as Redis never pauses its replicas.

// pauseMode is what a pause holds.
type pauseMode uint8

const (
	pauseOff   pauseMode = iota
	pauseWrite           // the commands Redis may replicate
	pauseAll             // every command
)

// maxPauseTimer bounds one wait of the pause's timer (time.Duration
// cannot hold every end a client may ask for); it re-arms until the end.
const maxPauseTimer = time.Hour

// clientPause is the node's CLIENT PAUSE state.
type clientPause struct {
	mu     sync.Mutex
	mode   pauseMode
	end    int64         // unix ms; the pause holds while the clock is not past it
	lifted chan struct{} // closed when the pause ends
	timer  *time.Timer
	on     atomic.Bool  // mode != pauseOff, read without the lock
	held   atomic.Int64 // commands waiting for the end (blocked_clients)
	// hold stops (true) and resumes the node's expiry (HoldExpiry); nil
	// without a node.
	hold func(on bool)
}

// expiryHolder is the node's switch for expiry while paused.
type expiryHolder interface{ HoldExpiry(on bool) }

// start pauses in mode until end (unix ms; now is the clock), or makes a
// pause on stricter or longer. An end already past starts nothing.
func (p *clientPause) start(mode pauseMode, end, now int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.mode == pauseOff {
		if end < now {
			return
		}
		p.lifted, p.end = make(chan struct{}), end
		p.on.Store(true)
		if p.hold != nil {
			p.hold(true)
		}
	}
	p.mode, p.end = max(p.mode, mode), max(p.end, end)
	p.arm(now)
}

// arm sets the timer for the end. p.mu is held.
func (p *clientPause) arm(now int64) {
	if p.timer != nil {
		p.timer.Stop()
	}
	wait := time.Duration(min(p.end-now+1, maxPauseTimer.Milliseconds())) * time.Millisecond
	p.timer = time.AfterFunc(wait, p.expire)
}

// expire ends the pause if its end has passed, else waits again.
func (p *clientPause) expire() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.mode == pauseOff {
		return
	}
	if now := time.Now().UnixMilli(); now <= p.end {
		p.arm(now)
		return
	}
	p.lift()
}

// stop ends the pause now (CLIENT UNPAUSE, the server closing).
func (p *clientPause) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.mode != pauseOff {
		p.lift()
	}
}

// lift ends the pause and lets the held commands go. p.mu is held.
func (p *clientPause) lift() {
	p.mode = pauseOff
	p.on.Store(false)
	p.timer.Stop()
	close(p.lifted)
	if p.hold != nil {
		p.hold(false)
	}
}

// holds reports whether a pause in mode m holds a call: any under ALL;
// under WRITE, one mayReplicate (asked only then) says Redis may
// replicate.
func (m pauseMode) holds(mayReplicate func() bool) bool {
	return m == pauseAll || m == pauseWrite && mayReplicate()
}

// current returns the pause's mode and what a held command waits on.
func (p *clientPause) current() (pauseMode, <-chan struct{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.mode, p.lifted
}

// CLIENT PAUSE timeout [WRITE|ALL]
//
// As Redis: the mode is checked before the timeout, which is whole
// milliseconds from now; 0, or one whose end overflows Redis's clock (it
// wraps there into the past), pauses nothing new.
func (s *Server) clientPause(c *protocol.Ctx) {
	if len(c.Args) > 4 {
		c.Out.Error(protocol.ErrSubcommandSyntax(c.Args[1], string(c.Args[0])))
		return
	}
	mode := pauseAll
	if len(c.Args) == 4 {
		switch {
		case protocol.EqualFold(c.Args[3], "write"):
			mode = pauseWrite
		case !protocol.EqualFold(c.Args[3], "all"):
			c.Out.Error("ERR CLIENT PAUSE mode must be WRITE or ALL")
			return
		}
	}
	ms, ok := protocol.ParseInt(c.Args[2])
	switch {
	case !ok:
		c.Out.Error("ERR timeout is not an integer or out of range")
		return
	case ms < 0:
		c.Out.Error(protocol.ErrTimeoutNegative)
		return
	}
	now := time.Now().UnixMilli()
	end := int64(0) // Redis's end for 0 and for an overflowing timeout: past
	if ms > 0 && ms <= math.MaxInt64-now {
		end = now + ms
	}
	s.pause.start(mode, end, now)
	c.Out.OK()
}

// CLIENT UNPAUSE
func (s *Server) clientUnpause(c *protocol.Ctx) {
	s.pause.stop()
	c.Out.OK()
}
