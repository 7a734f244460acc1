package server

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/geetcache/geetcache/cluster"
)

func TestMemberInfo(t *testing.T) {
	cases := []struct {
		name string
		m    cluster.Member
		want string
	}{
		{"leader", cluster.Member{ID: "n1", RaftAddr: "127.0.0.1:7001", ClientAddr: "127.0.0.1:6001", Voter: true, Leader: true},
			"id=n1,raft_addr=127.0.0.1:7001,client_addr=127.0.0.1:6001,role=leader,last_contact_ms=0"},
		{"follower", cluster.Member{ID: "n2", RaftAddr: "10.0.0.2:7002", ClientAddr: "10.0.0.2:6002", Voter: true, LastContact: 1500 * time.Millisecond},
			"id=n2,raft_addr=10.0.0.2:7002,client_addr=10.0.0.2:6002,role=follower,last_contact_ms=1500"},
		{"sub-millisecond contact", cluster.Member{ID: "n2", RaftAddr: "h:1", Voter: true, LastContact: 999 * time.Microsecond},
			"id=n2,raft_addr=h:1,client_addr=,role=follower,last_contact_ms=0"},
		{"unknown contact, no client address", cluster.Member{ID: "n3", RaftAddr: "[::1]:7003", Voter: true, LastContact: -1},
			"id=n3,raft_addr=[::1]:7003,client_addr=,role=follower,last_contact_ms=-1"},
		{"nonvoter", cluster.Member{ID: "n4", RaftAddr: "h:4", LastContact: 20 * time.Millisecond},
			"id=n4,raft_addr=h:4,client_addr=,role=nonvoter,last_contact_ms=20"},
		{"an ID that would break the line", cluster.Member{ID: "a,b=c\r\nd", RaftAddr: "h:5", Voter: true},
			"id=a_b_c__d,raft_addr=h:5,client_addr=,role=follower,last_contact_ms=0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := memberInfo(tc.m); got != tc.want {
				t.Errorf("memberInfo = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestInfoRaft: the node's facts in a fixed order, then its one member.
func TestInfoRaft(t *testing.T) {
	ts := startTestServer(t)
	r := dialRaw(t, ts.addr)
	body := infoBody(t, r.do("INFO", "raft"))
	var keys []string
	for _, line := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n")[1:] {
		k, _, _ := strings.Cut(line, ":")
		keys = append(keys, k)
	}
	want := "raft_state raft_node_id raft_term raft_leader_id raft_leader_addr raft_commit_index raft_applied_index " +
		"raft_last_log_index raft_last_contact raft_node_membership raft_log_write_status raft_members raft_member0"
	if got := strings.Join(keys, " "); got != want {
		t.Errorf("INFO raft fields:\n got %s\nwant %s", got, want)
	}
	member := regexp.MustCompile(`\r\nraft_members:1\r\nraft_member0:id=node1,raft_addr=127\.0\.0\.1:\d+,client_addr=,role=leader,last_contact_ms=0\r\n$`)
	if !member.MatchString(body) {
		t.Errorf("INFO raft member lines:\n%s", body)
	}
}

func TestRaftMembersSingleNode(t *testing.T) {
	r := dialRaw(t, startServer(t))
	want := regexp.MustCompile(`^\*1\r\n\*10\r\n\$2\r\nid\r\n\$5\r\nnode1\r\n\$9\r\nraft_addr\r\n\$\d+\r\n127\.0\.0\.1:\d+\r\n` +
		`\$11\r\nclient_addr\r\n\$0\r\n\r\n\$4\r\nrole\r\n\$6\r\nleader\r\n\$15\r\nlast_contact_ms\r\n:0\r\n$`)
	if got := r.do("RAFT", "MEMBERS"); !want.MatchString(got) {
		t.Errorf("RAFT MEMBERS = %q", got)
	}
}
