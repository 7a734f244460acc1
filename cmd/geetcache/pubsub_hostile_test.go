package main

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestPubSubSlowSubscriberClosed: a subscriber that never reads is closed
// at its pubsub class's output buffer limit (hard, or soft for longer than
// its seconds), with Redis's warning, while a subscriber that reads keeps
// receiving every message and publishing goes on.
func TestPubSubSlowSubscriberClosed(t *testing.T) {
	cases := []struct{ name, limit string }{
		{"hard", "pubsub 2mb 0 0"},
		{"soft", "pubsub 0 1mb 1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := startNode(t)
			rc := n.Client(noRetries)
			if err := rc.ConfigSet(ctx, "client-output-buffer-limit", tc.limit).Err(); err != nil {
				t.Fatalf("CONFIG SET client-output-buffer-limit %q: %v", tc.limit, err)
			}
			hostile := n.Dial()
			if _, err := hostile.Write([]byte("SUBSCRIBE feed\r\n")); err != nil {
				t.Fatal(err)
			}
			good := subscribe(t, n, "feed")
			waitFor(t, 5*time.Second, func() error { return wantPubSubClients(t, n, 2) })
			payload := strings.Repeat("x", 64<<10)
			start := time.Now()
			sent := 0
			closed := func() bool { return n.logged("scheduled to be closed ASAP for overcoming of output buffer limits.") }
			// Bounded by time, not count: the soft limit needs its seconds to
			// pass, however fast the node takes PUBLISH.
			for ; time.Since(start) < 10*time.Second && !closed(); sent++ {
				if err := rc.Publish(ctx, "feed", fmt.Sprintf("%d:%s", sent, payload)).Err(); err != nil {
					t.Fatalf("PUBLISH %d: %v", sent, err)
				}
			}
			t.Logf("non-reading subscriber closed after %d messages of 64 KB (%.1f s)", sent, time.Since(start).Seconds())
			if !closed() {
				t.Fatalf("the non-reading subscriber was not closed after %d MB", sent/16)
			}
			waitFor(t, 10*time.Second, func() error { return wantPubSubClients(t, n, 1) })
			if got, err := readUntilClosed(hostile, 10*time.Second); err != nil {
				t.Fatalf("the closed subscriber's socket did not reach EOF: %v (read %d bytes)", err, len(got))
			}
			if got := rc.Publish(ctx, "feed", "last").Val(); got != 1 {
				t.Errorf("PUBLISH after the close reached %d subscribers, want 1", got)
			}
			waitForMessage(t, []*subscriber{good}, "last")
			if got := len(good.messages()); got != sent+1 {
				t.Errorf("the reading subscriber received %d messages, want %d", got, sent+1)
			}
		})
	}
}

// wantPubSubClients checks CLIENT LIST TYPE pubsub's length.
func wantPubSubClients(t *testing.T, n *node, want int) error {
	list, err := n.Client().ClientList(ctx).Result()
	if err != nil {
		return err
	}
	got := strings.Count(list, "flags=P")
	if got != want {
		return fmt.Errorf("%d subscribed clients, want %d", got, want)
	}
	return nil
}
