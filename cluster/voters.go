package cluster

import (
	"time"

	"github.com/hashicorp/raft"
)

// votersRefresh is how often the node re-reads the Raft configuration.
const votersRefresh = 250 * time.Millisecond

// refreshVoters records how many voters the latest configuration has.
func (n *Node) refreshVoters() {
	f := n.raft.GetConfiguration()
	if f.Error() != nil {
		return
	}
	var voters int32
	for _, s := range f.Configuration().Servers {
		if s.Suffrage == raft.Voter {
			voters++
		}
	}
	n.voters.Store(voters)
}

// votersLoop keeps the voter count fresh and, on the leader, announces
// its client address. A sole voter needs no quorum to
// confirm its leadership: no other node can be elected without its vote,
// and it steps down before it grants one.
func (n *Node) votersLoop() {
	defer n.done.Done()
	tick := time.NewTicker(votersRefresh)
	defer tick.Stop()
	for {
		n.refreshVoters()
		n.announce()
		select {
		case <-n.stop:
			return
		case <-tick.C:
		}
	}
}
