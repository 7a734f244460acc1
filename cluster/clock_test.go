package cluster

import (
	"testing"
	"time"
)

// TestClock: the leader's time never goes back, never runs behind the
// last applied entry, and a read time is never later than an entry in
// flight.
func TestClock(t *testing.T) {
	wall := time.Now().UnixMilli()
	cases := []struct {
		name   string
		offset time.Duration
		entry  int64 // the last applied entry's time, relative to wall
		check  func(t *testing.T, c *clock, entry int64)
	}{
		{"on time", 0, 0, func(t *testing.T, c *clock, _ int64) {
			if got := c.now(); got < wall || got > time.Now().UnixMilli() {
				t.Fatalf("now = %d, want the wall clock %d..", got, wall)
			}
		}},
		{"offset applies", 5 * time.Second, 0, func(t *testing.T, c *clock, _ int64) {
			if got := c.now(); got < wall+5000 {
				t.Fatalf("now = %d, want at least %d", got, wall+5000)
			}
		}},
		{"behind the last entry runs on from it", -10 * time.Second, 3000, func(t *testing.T, c *clock, entry int64) {
			first := c.now()
			if first < entry {
				t.Fatalf("now = %d, behind the last entry's %d", first, entry)
			}
			time.Sleep(20 * time.Millisecond)
			if got := c.now(); got < first+15 {
				t.Fatalf("now = %d 20 ms later than %d: the time stood still", got, first)
			}
		}},
		{"read time waits for entries in flight", 0, 0, func(t *testing.T, c *clock, _ int64) {
			stamp, ticket := c.stamp()
			time.Sleep(20 * time.Millisecond)
			if got := c.readTime(); got != stamp {
				t.Fatalf("readTime = %d with an entry stamped %d in flight", got, stamp)
			}
			c.done(ticket)
			if got := c.readTime(); got < stamp+15 {
				t.Fatalf("readTime = %d after the entry stamped %d applied, 20 ms later", got, stamp)
			}
		}},
		{"read time at most timeLease past the last entry", 0, -5000, func(t *testing.T, c *clock, entry int64) {
			if got := c.readTime(); got != entry+timeLease.Milliseconds() {
				t.Fatalf("readTime = %d, want the last entry's %d + %v", got, entry, timeLease)
			}
			if !c.needsTick() {
				t.Fatal("needsTick = false with the last entry 5 s old")
			}
		}},
		{"a new leader starts timeLease past the last entry", -10 * time.Second, 2000, func(t *testing.T, c *clock, entry int64) {
			c.lead()
			if got := c.now(); got < entry+timeLease.Milliseconds() {
				t.Fatalf("now = %d after lead, want at least %d", got, entry+timeLease.Milliseconds())
			}
		}},
		{"lead never goes back", 10 * time.Second, 0, func(t *testing.T, c *clock, _ int64) {
			before := c.now()
			c.lead()
			if got := c.now(); got < before {
				t.Fatalf("now = %d after lead, was %d", got, before)
			}
		}},
		{"never backwards", 0, 0, func(t *testing.T, c *clock, _ int64) {
			prev := c.now()
			for range 1000 {
				s, ticket := c.stamp()
				r := c.readTime()
				c.done(ticket)
				if s < prev || r < prev {
					t.Fatalf("stamp %d, read time %d after %d", s, r, prev)
				}
				prev = s
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			entry := wall + tc.entry
			tc.check(t, newClock(tc.offset, func() int64 { return entry }), entry)
		})
	}
}
