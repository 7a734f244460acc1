package cluster

import (
	"testing"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// TestFreshReadTime: a read that finds the last entry older than the
// time lease puts the leader's time in the log first when some key has a
// TTL, and reads at the clock; with no such key it proposes nothing.
func TestFreshReadTime(t *testing.T) {
	n := openTestNodeWith(t, func(cfg *Config) { cfg.ExpiryInterval = time.Hour }) // no expiry cycle ticks meanwhile
	set := func(args ...string) {
		argv := make([][]byte, len(args))
		for i, a := range args {
			argv[i] = []byte(a)
		}
		if reply := n.Submit(protocol.Unit{Proto: 2, Cmds: [][][]byte{argv}}).Reply(); string(reply) != "+OK\r\n" {
			t.Fatalf("%v: %q", args, reply)
		}
	}
	for _, tc := range []struct {
		name     string
		args     []string
		wantTick bool
	}{
		{"no key with a TTL", []string{"SET", "k", "v"}, false},
		{"a key with a TTL", []string{"SET", "k", "v", "PX", "600000"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set(tc.args...)
			waitFor(t, 5*time.Second, n.clock.capped)
			last := n.raft.LastIndex()
			rt, err := n.ReadBarrier()
			if err != nil {
				t.Fatal(err)
			}
			ticked := n.raft.LastIndex() > last
			if ticked != tc.wantTick {
				t.Fatalf("a time entry proposed: %v, want %v", ticked, tc.wantTick)
			}
			if lag := time.Now().UnixMilli() - rt; tc.wantTick && lag > 100 {
				t.Fatalf("read time %d ms behind the clock after the time entry", lag)
			}
		})
	}
}
