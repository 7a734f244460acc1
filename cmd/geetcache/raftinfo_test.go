package main

import (
	"fmt"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// raftMember is one raft_memberN line of INFO raft.
type raftMember struct {
	id, raftAddr, clientAddr, role string
	lastContact                    int64
}

// raftInfo reads INFO raft: its plain fields and its member lines in order.
func raftInfo(n *node) (map[string]string, []raftMember, error) {
	text, err := n.Client(noRetries).Info(ctx, "raft").Result()
	if err != nil {
		return nil, nil, err
	}
	fields := map[string]string{}
	var members []raftMember
	for _, line := range strings.Split(text, "\r\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		if idx, isMember := strings.CutPrefix(k, "raft_member"); isMember && idx != "s" {
			m, err := parseRaftMember(v)
			if err != nil || idx != strconv.Itoa(len(members)) {
				return nil, nil, fmt.Errorf("bad member line %q: %v", line, err)
			}
			members = append(members, m)
			continue
		}
		fields[k] = v
	}
	if fields["raft_members"] != strconv.Itoa(len(members)) {
		return nil, nil, fmt.Errorf("raft_members:%s but %d member lines", fields["raft_members"], len(members))
	}
	return fields, members, nil
}

// parseRaftMember parses "id=n1,raft_addr=...,client_addr=...,role=...,last_contact_ms=N".
func parseRaftMember(v string) (raftMember, error) {
	var m raftMember
	var keys []string
	for _, kv := range strings.Split(v, ",") {
		k, val, _ := strings.Cut(kv, "=")
		keys = append(keys, k)
		switch k {
		case "id":
			m.id = val
		case "raft_addr":
			m.raftAddr = val
		case "client_addr":
			m.clientAddr = val
		case "role":
			m.role = val
		case "last_contact_ms":
			n, err := strconv.ParseInt(val, 10, 64)
			if err != nil {
				return m, err
			}
			m.lastContact = n
		}
	}
	if got := strings.Join(keys, ","); got != "id,raft_addr,client_addr,role,last_contact_ms" {
		return m, fmt.Errorf("fields %s", got)
	}
	return m, nil
}

// memberContact returns id's last_contact_ms in n's INFO raft and in its
// RAFT MEMBERS reply.
func memberContact(n *node, id string) (info, members int64, err error) {
	_, ms, err := raftInfo(n)
	if err != nil {
		return 0, 0, err
	}
	info = -2
	for _, m := range ms {
		if m.id == id {
			info = m.lastContact
		}
	}
	reply, err := n.Client(noRetries).Do(ctx, "RAFT", "MEMBERS").Slice()
	if err != nil {
		return 0, 0, err
	}
	members = -2
	for _, r := range reply {
		if m, ok := r.(map[any]any); ok && m["id"] == id {
			members, _ = m["last_contact_ms"].(int64)
		}
	}
	if info == -2 || members == -2 {
		return 0, 0, fmt.Errorf("%s is missing from INFO raft or RAFT MEMBERS", id)
	}
	return info, members, nil
}

// checkMemberView checks one node's INFO raft member lines: n1..n3 in
// configuration order, the one leader every node names, and contact
// figures as documented (the leader's own 0; a follower knows only its own
// and the leader's; the leader knows all once they answered).
func checkMemberView(n *node, leaderID string) error {
	fields, ms, err := raftInfo(n)
	if err != nil {
		return err
	}
	self, leading := fields["raft_node_id"], fields["raft_state"] == "Leader"
	if len(ms) != 3 {
		return fmt.Errorf("%s lists %d members", self, len(ms))
	}
	for i, m := range ms {
		if err := checkMember(m, i, self, leaderID, leading); err != nil {
			return fmt.Errorf("%s: %v in %+v", self, err, ms)
		}
	}
	return nil
}

func checkMember(m raftMember, i int, self, leaderID string, leading bool) error {
	wantRole := map[bool]string{true: "leader", false: "follower"}[m.id == leaderID]
	known := m.lastContact >= 0
	switch {
	case m.id != fmt.Sprintf("n%d", i+1):
		return fmt.Errorf("member %d is %s", i, m.id)
	case m.role != wantRole:
		return fmt.Errorf("%s has role %s, want %s", m.id, m.role, wantRole)
	case m.clientAddr == "" || m.raftAddr == "":
		return fmt.Errorf("%s has no address yet", m.id)
	case leading && m.id == self && m.lastContact != 0:
		return fmt.Errorf("the leader's own contact is %d", m.lastContact)
	case (leading || m.id == self || m.id == leaderID) != known:
		return fmt.Errorf("%s has last_contact_ms %d", m.id, m.lastContact)
	}
	return nil
}

// TestRaftInfoMembers: INFO raft lists the three members on every node;
// the leader sees a frozen follower's last contact grow, and shrink again
// once it resumes.
func TestRaftInfoMembers(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	fields, _, err := raftInfo(leader)
	if err != nil {
		t.Fatal(err)
	}
	leaderID := fields["raft_node_id"]
	waitFor(t, 15*time.Second, func() error {
		for _, n := range nodes {
			if err := checkMemberView(n, leaderID); err != nil {
				return err
			}
		}
		return nil
	})
	for _, n := range nodes {
		_, ms, _ := raftInfo(n)
		t.Logf("INFO raft on n%d: %+v", indexOf(nodes, n)+1, ms)
	}

	fs := others(nodes, leader)
	frozen, healthy := fs[0], fs[1]
	frozenID, healthyID := fmt.Sprintf("n%d", indexOf(nodes, frozen)+1), fmt.Sprintf("n%d", indexOf(nodes, healthy)+1)
	if err := syscall.Kill(frozen.pid(), syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Kill(frozen.pid(), syscall.SIGCONT) })
	waitFor(t, 20*time.Second, func() error {
		info, members, err := memberContact(leader, frozenID)
		if err != nil {
			return err
		}
		other, _, err := memberContact(leader, healthyID)
		if err != nil {
			return err
		}
		if info <= 1000 || members <= 1000 || other < 0 || other >= 1000 {
			return fmt.Errorf("frozen %s: INFO %dms, RAFT MEMBERS %dms; healthy %s: %dms", frozenID, info, members, healthyID, other)
		}
		t.Logf("frozen %s: INFO %dms, RAFT MEMBERS %dms; healthy %s: %dms", frozenID, info, members, healthyID, other)
		return nil
	})

	if err := syscall.Kill(frozen.pid(), syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 20*time.Second, func() error {
		lead := waitForLeader(t, nodes, 10*time.Second)
		info, members, err := memberContact(lead, frozenID)
		if err != nil {
			return err
		}
		if info < 0 || info >= 500 || members < 0 || members >= 500 {
			return fmt.Errorf("resumed %s: INFO %dms, RAFT MEMBERS %dms", frozenID, info, members)
		}
		t.Logf("resumed %s: INFO %dms, RAFT MEMBERS %dms", frozenID, info, members)
		return nil
	})
}

func indexOf(nodes []*node, n *node) int {
	for i, m := range nodes {
		if m == n {
			return i
		}
	}
	return -1
}
