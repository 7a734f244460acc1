package cluster

import (
	"fmt"
	"time"

	"github.com/hashicorp/raft"
)

// Membership changes are refused when they would leave the latest
// configuration without a majority of voters that answer, as etcd's
// strict reconfiguration check does: a new voter must answer a Raft RPC
// before it is added, and the voters that would remain must include a
// majority that answered the leader lately. Such a change would stop every
// write (and after a restart, every election) until an operator recovers
// the cluster by hand (docs/operations.md).

const (
	// reachableWithin: a follower that answered one of the leader's RPCs
	// (heartbeats included, every 50-100 ms) this recently counts as
	// reachable.
	reachableWithin = time.Second
	// voterProbeWait bounds the RPC a new voter must answer.
	voterProbeWait = 2 * time.Second
)

// RefusedError is a membership change refused because of what it would do
// to the cluster; its text says why.
type RefusedError struct{ msg string }

func (e *RefusedError) Error() string { return e.msg }

func refused(format string, args ...any) error {
	return &RefusedError{msg: fmt.Sprintf(format, args...)}
}

// probeVoter sends the server at addr a pre-vote request for term 0, which
// changes nothing on it (see askTerm), and returns an error unless it
// answers within voterProbeWait.
func (n *Node) probeVoter(id, addr string) error {
	req := &raft.RequestPreVoteRequest{RPCHeader: raft.RPCHeader{
		ProtocolVersion: raft.ProtocolVersionMax,
		ID:              []byte(n.cfg.NodeID),
		Addr:            n.trans.EncodePeer(raft.ServerID(n.cfg.NodeID), n.trans.LocalAddr()),
	}}
	done := make(chan error, 1)
	go func() {
		var resp raft.RequestPreVoteResponse
		done <- n.trans.RequestPreVote(raft.ServerID(id), raft.ServerAddress(addr), req, &resp)
	}()
	timer := time.NewTimer(voterProbeWait)
	defer timer.Stop()
	select {
	case err := <-done:
		return err
	case <-timer.C:
		return fmt.Errorf("no answer within %v", voterProbeWait)
	}
}

// reachable reports whether voter id answered this leader lately (the
// leader itself always counts).
func (n *Node) reachable(id raft.ServerID) bool {
	if id == raft.ServerID(n.cfg.NodeID) {
		return true
	}
	age := n.contacts.age(id)
	return age >= 0 && age <= reachableWithin
}

// checkQuorum returns a RefusedError unless the voters of servers, with
// extra counted as reachable, hold a reachable majority. change names the
// change for the message.
func (n *Node) checkQuorum(change string, servers []raft.Server, extra raft.ServerID) error {
	voters, up := 0, 0
	for _, s := range servers {
		if s.Suffrage != raft.Voter {
			continue
		}
		voters++
		if s.ID == extra || n.reachable(s.ID) {
			up++
		}
	}
	if need := voters/2 + 1; up < need {
		return refused("refused to %s: only %d of the %d voters it would leave answered the leader in the last %v, "+
			"short of a majority (%d); the cluster would lose its quorum", change, up, voters, reachableWithin, need)
	}
	return nil
}

// latestServers is the latest configuration's servers (see soleVoter).
func (n *Node) latestServers() []raft.Server {
	return n.raft.GetConfiguration().Configuration().Servers
}

// checkAddVoter refuses to add voter id at addr unless it answers and the
// resulting configuration keeps a reachable majority. Re-adding a voter
// with the address it already has changes nothing and is never refused.
func (n *Node) checkAddVoter(id, addr string) (unchanged bool, err error) {
	var next []raft.Server
	for _, s := range n.latestServers() {
		if s.ID == raft.ServerID(id) {
			if s.Suffrage == raft.Voter && s.Address == raft.ServerAddress(addr) {
				return true, nil
			}
			continue
		}
		next = append(next, s)
	}
	if err := n.probeVoter(id, addr); err != nil {
		return false, refused("refused to add voter %s: its Raft address %s did not answer (%v); "+
			"start it first: a voter that cannot be reached counts against the cluster's majority", id, addr, err)
	}
	next = append(next, raft.Server{ID: raft.ServerID(id), Address: raft.ServerAddress(addr), Suffrage: raft.Voter})
	return false, n.checkQuorum("add voter "+id, next, raft.ServerID(id))
}

// checkRemove refuses to remove id if the voters left would not hold a
// reachable majority.
func (n *Node) checkRemove(id string) error {
	var next []raft.Server
	for _, s := range n.latestServers() {
		if s.ID != raft.ServerID(id) {
			next = append(next, s)
		}
	}
	return n.checkQuorum("remove "+id, next, "")
}
