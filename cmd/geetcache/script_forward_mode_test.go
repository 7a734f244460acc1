package main

import (
	"testing"
	"time"
)

// TestWriteScriptThroughForwardModeFollower: with --follower-reads
// forward, a script that may write sent to a follower runs (on the
// leader: only the leader serves linearizable reads in that mode, and the
// follower tries such a script as a read first). Before, the follower ran
// the try behind its own read barrier, which only a leader has, and every
// such EVAL of a new body, or after the connection sent anything to the
// leader, answered CLUSTERDOWN.
func TestWriteScriptThroughForwardModeFollower(t *testing.T) {
	nodes := startClusterWith(t, func(_ int, n *node) { n.args = append(n.args, "--follower-reads", "forward") })
	f := others(nodes, waitForLeader(t, nodes, 10*time.Second))[0]
	waitAddressesRecorded(t, f)
	c := f.Client(noRetries)
	steps := []struct {
		args []any
		want any
	}{
		{[]any{"EVAL", "return redis.call('set',KEYS[1],'1')", "1", "k"}, "OK"},
		{[]any{"SET", "a", "2"}, "OK"},
		{[]any{"EVAL", "return redis.call('incr',KEYS[1])", "1", "k"}, int64(2)},
		{[]any{"EVAL", "return redis.call('get',KEYS[1])", "1", "a"}, "2"},
	}
	for _, st := range steps {
		got, err := c.Do(ctx, st.args...).Result()
		if err != nil || got != st.want {
			t.Fatalf("%v: %v, %v; want %v", st.args[:2], got, err, st.want)
		}
	}
}
