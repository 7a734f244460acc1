package discovery

import (
	"crypto/sha1"
	"encoding/hex"
	"net"
	"strconv"
	"time"
)

// Node is one member of the cluster as a client sees it.
type Node struct {
	ID      string // the Raft server ID
	Host    string // of its client address
	Port    int    // of its client address; 0 when it has announced none
	BusPort int    // the port of its Raft address (Redis Cluster's bus port), 0 if unknown
	Master  bool   // the leader, or the last leader this node knew of when Down
	Self    bool   // the node answering
	// Down is set on the master when no leader is known now (it is the
	// last leader this node knew of), and on a follower the leader answering
	// has not heard from within DownAfter; DownFor says for how long.
	Down    bool
	DownFor time.Duration
	// Contact is how long ago this node last heard of that member (its own
	// line: 0), -1 when it does not know.
	Contact time.Duration
	Offset  int64 // applied log index, known for Self only (0 for others)
	Loading bool  // Self only: still replaying its log after a restart
}

// HasAddr reports whether n announced a client address.
func (n *Node) HasAddr() bool { return n.Port != 0 }

// Addr is n's client address as host:port.
func (n *Node) Addr() string { return net.JoinHostPort(n.Host, strconv.Itoa(n.Port)) }

// RunID is n's 40-character hex ID: the same on every node for one Raft
// ID (see RunID).
func (n *Node) RunID() string { return RunID(n.ID) }

// RunID derives the 40-character hex node ID Redis clients expect (Redis
// Cluster's node ID, Sentinel's run ID) from a Raft server ID: the SHA-1
// of "geetcache:" and the ID, so every node names every member alike.
func RunID(raftID string) string {
	sum := sha1.Sum([]byte("geetcache:" + raftID))
	return hex.EncodeToString(sum[:])
}

// Topology is what one node knows of the cluster at one moment.
type Topology struct {
	// Nodes lists the members, the master first when one is known (or
	// remembered); then the others in configuration order.
	Nodes []Node
	// Epoch is the Raft term: it grows with every election, as Redis's
	// config epochs grow with every failover.
	Epoch uint64
	// Voters is how many members vote; Quorum is their majority.
	Voters int
	// MasterSince is how long the master has been known as master by this
	// node (Sentinel's role-reported-time).
	MasterSince time.Duration
	// DownAfter is how long a follower waits for the leader before it
	// starts an election (Sentinel's down-after-milliseconds).
	DownAfter time.Duration
	// FailoverTimeout is how long a command waits for a leader during an
	// election (Sentinel's failover-timeout).
	FailoverTimeout time.Duration
}

// Master returns the master, or nil when this node never knew a leader.
func (t *Topology) Master() *Node {
	if len(t.Nodes) > 0 && t.Nodes[0].Master {
		return &t.Nodes[0]
	}
	return nil
}

// Replicas returns the members other than the master that have a client
// address.
func (t *Topology) Replicas() []Node {
	var out []Node
	for _, n := range t.Nodes {
		if !n.Master && n.HasAddr() {
			out = append(out, n)
		}
	}
	return out
}

// Self returns the answering node, or nil if it is not a member.
func (t *Topology) Self() *Node {
	for i := range t.Nodes {
		if t.Nodes[i].Self {
			return &t.Nodes[i]
		}
	}
	return nil
}

// liveReplicas returns the replicas not known to be down.
func (t *Topology) liveReplicas() []Node {
	var out []Node
	for _, n := range t.Replicas() {
		if !n.Down {
			out = append(out, n)
		}
	}
	return out
}

// Others returns the members other than the answering node that have a
// client address: Sentinel's other sentinels.
func (t *Topology) Others() []Node {
	var out []Node
	for _, n := range t.Nodes {
		if !n.Self && n.HasAddr() {
			out = append(out, n)
		}
	}
	return out
}

// Quorum is the majority of the voters.
func (t *Topology) Quorum() int { return t.Voters/2 + 1 }

// ms is d in whole milliseconds, 0 when unknown (negative).
func ms(d time.Duration) int64 { return max(d.Milliseconds(), 0) }
