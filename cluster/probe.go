package cluster

import (
	"time"

	"github.com/hashicorp/raft"
)

// probeWait bounds how long a node with an empty data directory asks its
// peers whether a cluster already exists before it bootstraps one.
const probeWait = time.Second

// peerTerm is one peer's answer to the probe.
type peerTerm struct {
	id   string
	term uint64
}

// existingCluster asks every other peer, at once, for its current Raft term
// with a pre-vote request for term 0: a pre-vote changes nothing on the
// peer, and every answer carries the peer's term. Bootstrapping sets term 1
// and the first election term 2, so a term above 1 means the peer belongs to
// a cluster that has elected a leader: this node lost its state (its
// directory was wiped) and must not bootstrap a second one. Peers that do
// not answer within probeWait count as fresh.
func (n *Node) existingCluster() (peerTerm, bool) {
	answers := make(chan peerTerm, len(n.cfg.Peers))
	asked := 0
	for _, p := range n.cfg.Peers {
		if p.ID == n.cfg.NodeID {
			continue
		}
		asked++
		go func() { answers <- n.askTerm(p.ID, p.RaftAddr) }()
	}
	timeout := time.NewTimer(probeWait)
	defer timeout.Stop()
	for range asked {
		select {
		case a := <-answers:
			if a.term > 1 {
				return a, true
			}
		case <-timeout.C:
			return peerTerm{}, false
		}
	}
	return peerTerm{}, false
}

// askTerm returns the peer's current term, or 0 if it cannot be asked.
func (n *Node) askTerm(id, addr string) peerTerm {
	local := n.trans.LocalAddr()
	req := &raft.RequestPreVoteRequest{RPCHeader: raft.RPCHeader{
		ProtocolVersion: raft.ProtocolVersionMax,
		ID:              []byte(n.cfg.NodeID),
		Addr:            n.trans.EncodePeer(raft.ServerID(n.cfg.NodeID), local),
	}}
	var resp raft.RequestPreVoteResponse
	if err := n.trans.RequestPreVote(raft.ServerID(id), raft.ServerAddress(addr), req, &resp); err != nil {
		return peerTerm{id: id}
	}
	return peerTerm{id: id, term: resp.Term}
}
