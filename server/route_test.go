package server

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/tidwall/redcon"
)

// leaderOnly is a Router that only knows whether this node leads: routing
// needs nothing else from the node.
type leaderOnly bool

func (l leaderOnly) IsLeader() bool                 { return bool(l) }
func (leaderOnly) LeaderClientAddr() (string, bool) { return "", false }
func (leaderOnly) ErrorReply(err error) string      { return err.Error() }
func (r route) String() string                      { return routeNames[r] }

var routeNames = [...]string{"reject", "forward", "block", "write", "read", "local"}

// TestRouteOf: each command resolves once to a call, and routeOf sends it
// where dispatch always sent it, on a leader and on a follower in both
// follower-read modes, with the rejection text Redis gives.
func TestRouteOf(t *testing.T) {
	cases := []struct {
		cmd                    string
		leader, readindex, fwd route
		rejection              string
	}{
		{"GET k", routeRead, routeRead, routeForward, ""},
		{"get K", routeRead, routeRead, routeForward, ""},
		{"SET k v", routeWrite, routeForward, routeForward, ""},
		{"BLPOP k 0", routeBlock, routeForward, routeForward, ""},
		{"PFCOUNT k", routeWrite, routeForward, routeForward, ""}, // it may store its count (Command.Caches)
		{"PFCOUNT k j", routeRead, routeRead, routeForward, ""},
		{"PING", routeLocal, routeLocal, routeLocal, ""},
		{"CLIENT ID", routeLocal, routeLocal, routeLocal, ""},
		{"get", routeReject, routeReject, routeReject, "ERR wrong number of arguments for 'get' command"},
		{"nosuch a", routeReject, routeReject, routeReject, "ERR unknown command 'nosuch', with args beginning with: 'a' "},
	}
	for _, tc := range cases {
		for _, node := range []struct {
			name   string
			leader bool
			mode   FollowerReads
			want   route
		}{
			{"leader", true, ReadIndexReads, tc.leader},
			{"follower readindex", false, ReadIndexReads, tc.readindex},
			{"follower forward", false, ForwardReads, tc.fwd},
		} {
			s := New(Config{Logger: slog.New(slog.DiscardHandler), FollowerReads: node.mode}, nil)
			s.router = leaderOnly(node.leader)
			c := &client{}
			calls := s.resolve(c, []redcon.Command{{Args: byteArgs(strings.Fields(tc.cmd))}})
			if got := s.routeOf(c, &calls[0]); got != node.want {
				t.Errorf("%s on a %s: route %v, want %v", tc.cmd, node.name, got, node.want)
			}
			if tc.rejection != "" {
				if got := calls[0].rejection(); got != tc.rejection {
					t.Errorf("%s: rejection %q, want %q", tc.cmd, got, tc.rejection)
				}
			}
		}
	}
}

func byteArgs(ss []string) [][]byte {
	b := make([][]byte, len(ss))
	for i, s := range ss {
		b[i] = []byte(s)
	}
	return b
}
