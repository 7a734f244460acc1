package cluster

import (
	"testing"

	"github.com/hashicorp/go-hclog"
)

// TestRaftMessagesLowered: Raft's messages about normal events (an
// election at start, a vote refused to a candidate that is behind, a
// leader stepping down, a stop) are logged below warning; others keep
// their level.
func TestRaftMessagesLowered(t *testing.T) {
	for _, tc := range []struct {
		msg  string
		args []any
		want hclog.Level
	}{
		{"heartbeat timeout reached, starting election", []any{"last-leader-id", ""}, hclog.Info},
		{"heartbeat timeout reached, starting election", []any{"last-leader-id", "n1"}, hclog.Warn},
		{"rejecting vote request since we have a leader", nil, hclog.Info},
		{"rejecting vote request since our last term is greater", []any{"last-term", 2}, hclog.Info},
		{"rejecting vote request since our last index is greater", []any{"last-index", 9}, hclog.Info},
		{"peer has newer term, stopping replication", nil, hclog.Info},
		{"failed to decode incoming command", []any{"error", "transport shutdown"}, hclog.Debug},
		{"failed to appendEntries to", nil, hclog.Warn},
	} {
		if got := lowered(hclog.Warn, tc.msg, tc.args); got != tc.want {
			t.Errorf("%q %v: %v, want %v", tc.msg, tc.args, got, tc.want)
		}
	}
}
