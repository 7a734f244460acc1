package server

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestRaftArrivedWindow: RAFT ARRIVED's optional opened and sent stamps
// open the window of the forwarded blocking XREADGROUP after it at opened,
// moved by the follower clock's estimated offset (stream_gone_forward.go):
// a DEL applied inside it was concurrent with the call (-UNBLOCKED), one
// before it came first (-NOGROUP). The test's clock is the node's.
func TestRaftArrivedWindow(t *testing.T) {
	addr := startServer(t)
	admin, link := dialRaw(t, addr), dialRaw(t, addr)
	ns := func(d time.Duration) string { return strconv.FormatInt(time.Now().Add(d).UnixNano(), 10) }
	stamp := ns(0)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"RAFT", "ARRIVED", "n9", stamp}, "+OK\r\n"},
		{[]string{"RAFT", "ARRIVED", "n9", stamp, stamp, ns(0)}, "+OK\r\n"},
		{[]string{"RAFT", "ARRIVED", "n9", stamp, stamp}, "-ERR syntax error\r\n"},
		{[]string{"RAFT", "ARRIVED", "n9", stamp, stamp, "0"}, "-ERR syntax error\r\n"},
		{[]string{"RAFT", "ARRIVED", "n9", stamp, "-1", stamp}, "-ERR syntax error\r\n"},
		{[]string{"RAFT", "ARRIVED", "n9", stamp, "soon", stamp}, "-ERR syntax error\r\n"},
		{[]string{"RAFT", "ARRIVED", "n9", stamp, stamp, stamp, stamp}, "-ERR syntax error\r\n"},
		{[]string{"RAFT", "ARRIVED", "", stamp}, "-ERR syntax error\r\n"},
		{[]string{"RAFT", "ARRIVED", "n9"}, "-ERR wrong number of arguments for 'raft|arrived' command\r\n"},
	} {
		if got := link.do(tc.args...); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.args, got, tc.want)
		}
	}
	read := []string{"XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"}
	for _, tc := range []struct {
		opened time.Duration // before now
		want   string
	}{
		{time.Minute, "-UNBLOCKED the stream key no longer exists"}, // the DEL within the last minute
		{0, "-NOGROUP No such key 's'"},
	} {
		admin.do("XADD", "s", "1-1", "f", "v")
		admin.do("XGROUP", "CREATE", "s", "g", "$")
		admin.do("DEL", "s")
		link.sendAll([][]string{{"RAFT", "ARRIVED", "n9", stamp, ns(-tc.opened), ns(0)}, read})
		if got := link.reply(); got != "+OK\r\n" {
			t.Fatalf("RAFT ARRIVED, window opened %v ago: %q", tc.opened, got)
		}
		if got := link.reply(); !strings.HasPrefix(got, tc.want) {
			t.Errorf("XREADGROUP after a DEL, window opened %v ago: %q, want %q...", tc.opened, got, tc.want)
		}
	}
}

// TestClockOffsetsLeastRecentSample: a follower clock's offset is the least
// sample of the current span and the one before; older samples, and the
// samples of a node whose span went backwards, are dropped.
func TestClockOffsetsLeastRecentSample(t *testing.T) {
	span := int64(offsetSpan)
	var o clockOffsets
	for _, step := range []struct {
		sample, now, want int64
	}{
		{50, 1, 50},
		{20, 2, 20},
		{90, 3, 20},
		{70, 1 + span, 20},   // a new span: the last one's 20 still counts
		{60, 2 + span, 20},   //
		{80, 1 + 2*span, 60}, // the span with 20 dropped
		{40, 1 + 4*span, 40}, // two spans without a sample: all dropped
		{99, 0, 99},          // this node's clock went back: start again
	} {
		if got := o.observe("n2", step.sample, step.now); got != step.want {
			t.Errorf("observe(%d at %d) = %d, want %d", step.sample, step.now, got, step.want)
		}
	}
	if got := o.observe("n3", 7, 0); got != 7 {
		t.Errorf("another node's first sample: %d, want 7", got)
	}
}

// TestClockOffsetsBounded: RAFT ARRIVED names its node, and a client
// without tls-cluster may send it: names without end keep at most
// offsetNodes entries.
func TestClockOffsetsBounded(t *testing.T) {
	var o clockOffsets
	for i := range 100_000 {
		o.observe("node"+strconv.Itoa(i), 1, 1)
		if len(o.by) > offsetNodes {
			t.Fatalf("%d names: %d entries kept, want at most %d", i+1, len(o.by), offsetNodes)
		}
	}
}
