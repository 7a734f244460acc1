package cluster

import (
	"sync"
	"time"
)

// clock is the time by which this node judges expiry outside the state
// machine: the time it stamps on entries it proposes, and the time it
// vouches for when it serves or hands out a linearizable read.
//
// The cluster keeps one time line, the leader's: entries carry the
// leader's time (the FSM never lets it go backwards), and a linearizable
// read is judged at a time the leader vouched for after the read arrived,
// or at the time of the last entry the reader applied if that is later.
// For the observations of all nodes to fit that one time line:
//
//   - the times the clock hands out never go backwards (now keeps the
//     highest it returned), so a write that starts after a read ended is
//     stamped no earlier than the read's time;
//   - a read time is never later than the stamp of an entry proposed but
//     not yet applied (readTime), so no entry the read does not see can
//     be applied at an earlier time than the read's;
//   - the time never runs behind the last entry this node applied: a
//     leader whose clock is behind the previous leader's does not take
//     the cluster back in time; its time runs on from that entry's at the
//     pace of its monotonic clock until its wall clock catches up;
//   - a read time is never more than timeLease past the last entry the
//     leader applied, and a new leader, once it has applied every
//     committed entry (its term's Barrier), starts no earlier than the
//     last one's time plus timeLease (lead): so no read time an earlier
//     leader vouched for lies ahead of the new leader's time, whatever
//     the two clocks say. The leader keeps the last entry's time close to
//     its own while keys have a TTL: an empty expiry entry when the last
//     is timeLease/2 old (needsTick), and, should a read find the last
//     entry older than timeLease (after a restart, or a stall), one the
//     read waits for (Node.freshReadTime), so reads do not lag behind the clock.
//
// Followers' clocks matter only for READONLY reads (docs/consistency.md).
type clock struct {
	offset    time.Duration // test-only skew of this node's wall clock
	entryTime func() int64  // the time of the last entry applied, unix ms

	mu      sync.Mutex
	last    int64            // highest time now returned, unix ms
	floor   int64            // an entry's time found ahead of the clock
	floorAt time.Time        // when floor was found (monotonic)
	stamps  map[uint64]int64 // entries proposed and not yet applied: ticket -> stamp
	ticket  uint64
}

// timeLease is how far a leader's read time may run ahead of the last
// entry it applied, and how far a new leader's time jumps past it.
const timeLease = 500 * time.Millisecond

func newClock(offset time.Duration, entryTime func() int64) *clock {
	return &clock{offset: offset, entryTime: entryTime, stamps: map[uint64]int64{}}
}

// local is this node's wall clock (plus the test offset), unix ms. It is
// what a READONLY read on this node is judged by, never earlier than the
// last entry this node applied.
func (c *clock) local() int64 { return time.Now().Add(c.offset).UnixMilli() }

// now returns the leader's time: the wall clock; or, if later, the time
// of the last entry found ahead of it plus the time since; and never less
// than it returned before.
func (c *clock) now() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked()
}

func (c *clock) nowLocked() int64 {
	t := c.local()
	if !c.floorAt.IsZero() {
		t = max(t, c.floor+time.Since(c.floorAt).Milliseconds())
	}
	if e := c.entryTime(); e > t {
		c.floor, c.floorAt, t = e, time.Now(), e
	}
	c.last = max(c.last, t)
	return c.last
}

// stamp returns the time for an entry about to be proposed and a ticket
// to hand back with done once the entry is applied or has failed.
func (c *clock) stamp() (int64, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.nowLocked()
	c.ticket++
	c.stamps[c.ticket] = t
	return t, c.ticket
}

// done forgets an entry stamped by stamp.
func (c *clock) done(ticket uint64) {
	c.mu.Lock()
	delete(c.stamps, ticket)
	c.mu.Unlock()
}

// readTime is the time this leader vouches for a read: now, but no later
// than the stamp of any entry not yet applied, nor than timeLease past the
// last entry applied. Take it before the commit index the read is served
// at: every entry after that index was then either in flight or not yet
// stamped, and so is stamped no earlier.
func (c *clock) readTime() int64 {
	t, _ := c.readTimeCapped()
	return t
}

// readTimeCapped is readTime, and capped's answer from the same reading.
func (c *clock) readTimeCapped() (t int64, capped bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now, entry := c.nowLocked(), c.entryTime()
	t = min(now, entry+timeLease.Milliseconds())
	for _, s := range c.stamps {
		t = min(t, s)
	}
	return t, now-entry > timeLease.Milliseconds()
}

// lead starts a leader's time no earlier than timeLease past the time of
// the last entry it applied; call it once the leader has applied every
// committed entry, before it stamps an entry or vouches for a read.
func (c *clock) lead() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if start := c.entryTime() + timeLease.Milliseconds(); start > c.nowLocked() {
		c.floor, c.floorAt = start, time.Now()
		c.last = start
	}
}

// capped reports whether the read time is held back by timeLease: the
// last applied entry is older than that on the leader's time.
func (c *clock) capped() bool {
	return c.now()-c.entryTime() > timeLease.Milliseconds()
}

// needsTick reports whether the last applied entry is timeLease/2 old or
// more on the leader's time: time for an entry that carries the time on.
func (c *clock) needsTick() bool {
	return c.now()-c.entryTime() >= timeLease.Milliseconds()/2
}
