package discovery

import (
	"strings"
	"testing"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// downTopology: no leader known now; n1 was the last one; n3 is a
// follower this node (the leader-to-be n2) has not heard from.
func downTopology() Topology {
	return Topology{Epoch: 7, Voters: 3, DownAfter: 500 * time.Millisecond, FailoverTimeout: 2 * time.Second,
		Nodes: []Node{
			{ID: "n1", Host: "10.0.0.1", Port: 7001, BusPort: 17001, Master: true, Down: true, DownFor: 1200 * time.Millisecond, Contact: -1},
			{ID: "n2", Host: "10.0.0.2", Port: 7001, BusPort: 17001, Self: true, Offset: 42},
			{ID: "n3", Host: "10.0.0.3", Port: 7001, BusPort: 17001, Down: true, DownFor: 900 * time.Millisecond, Contact: 900 * time.Millisecond},
			{ID: "n4", BusPort: 17001, Contact: -1}, // no client address yet
		}}
}

// strs lists the bulk strings of a RESP2 reply.
func strs(b []byte) []string {
	var out []string
	lines := strings.Split(string(b), "\r\n")
	for i := 0; i < len(lines)-1; i++ {
		if strings.HasPrefix(lines[i], "$") {
			out = append(out, lines[i+1])
			i++
		}
	}
	return out
}

func TestRepliesWhileDown(t *testing.T) {
	top := downTopology()
	cases := []struct {
		name  string
		write func(w *protocol.Writer)
		want  string // the reply's bulk strings, joined by spaces
	}{
		{"master", func(w *protocol.Writer) { WriteMaster(w, &top, "geetcache") },
			"name geetcache ip 10.0.0.1 port 7001 runid " + RunID("n1") + " flags s_down,o_down,master link-pending-commands 0 " +
				"link-refcount 1 last-ping-sent 1200 last-ok-ping-reply 1200 last-ping-reply 1200 s-down-time 1200 o-down-time 1200 " +
				"down-after-milliseconds 500 info-refresh 0 role-reported master role-reported-time 0 config-epoch 7 num-slaves 2 " +
				"num-other-sentinels 2 quorum 2 failover-timeout 2000 parallel-syncs 1"},
		{"slots leave the down replica out", func(w *protocol.Writer) { WriteSlots(w, &top) },
			"10.0.0.1 " + RunID("n1") + " 10.0.0.2 " + RunID("n2")},
		{"replica flags", func(w *protocol.Writer) { WriteReplicas(w, &top) }, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := &protocol.Writer{}
			tc.write(w)
			got := strings.Join(strs(w.B), " ")
			if tc.want != "" && got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
			if tc.name == "replica flags" && (!strings.Contains(got, "flags slave ") || !strings.Contains(got, "flags s_down,slave,disconnected ") ||
				!strings.Contains(got, "master-link-status err")) {
				t.Errorf("REPLICAS = %s", got)
			}
		})
	}
	nodes := NodesText(&top, 1_000_000)
	want := RunID("n1") + " 10.0.0.1:7001@17001 master,fail - 0 0 7 disconnected 0-16383\n" +
		RunID("n2") + " 10.0.0.2:7001@17001 myself,slave " + RunID("n1") + " 0 0 7 connected\n" +
		RunID("n3") + " 10.0.0.3:7001@17001 slave,fail " + RunID("n1") + " 0 999100 7 disconnected\n" +
		RunID("n4") + " :0@17001 slave,noaddr " + RunID("n1") + " 0 0 7 connected\n"
	if nodes != want {
		t.Errorf("CLUSTER NODES\n%s\nwant\n%s", nodes, want)
	}
	if info := InfoText(&top); !strings.HasPrefix(info, "cluster_state:fail\r\ncluster_slots_assigned:16384\r\ncluster_slots_ok:0\r\ncluster_slots_pfail:0\r\ncluster_slots_fail:16384\r\ncluster_known_nodes:4\r\n") {
		t.Errorf("CLUSTER INFO %q", info)
	}
	if reply, ok := CKQuorum(&top, 1); ok || reply != "NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master. Not enough available Sentinels to reach the majority and authorize a failover" {
		t.Errorf("CKQUORUM = %q, %v", reply, ok)
	}
}

// TestNoMaster: a node that never knew a leader answers empty slot maps.
func TestNoMaster(t *testing.T) {
	top := Topology{Voters: 1, Nodes: []Node{{ID: "n1", Host: "h", Port: 1, Self: true}}}
	for name, write := range map[string]func(*protocol.Writer){
		"slots":  func(w *protocol.Writer) { WriteSlots(w, &top) },
		"shards": func(w *protocol.Writer) { WriteShards(w, &top) },
	} {
		w := &protocol.Writer{}
		write(w)
		if string(w.B) != "*0\r\n" {
			t.Errorf("%s = %q", name, w.B)
		}
	}
}
