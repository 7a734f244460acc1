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
		{"on time", 0, -1000, func(t *testing.T, c *clock, _ int64) {
			if got := c.now(); got < wall || got > time.Now().UnixMilli() {
				t.Fatalf("now = %d, want the wall clock %d..", got, wall)
			}
		}},
		{"offset applies", 5 * time.Second, -1000, func(t *testing.T, c *clock, _ int64) {
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
		{"read time waits for entries in flight", 0, -1000, func(t *testing.T, c *clock, _ int64) {
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
		{"never backwards", 0, -1000, func(t *testing.T, c *clock, _ int64) {
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
