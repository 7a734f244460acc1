package cluster

import (
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/raft"
)

// Hand-over: a leader about to stop gives its leadership to another voter
// first, so that no write it took is left with an unknown outcome.
//
// A Raft leader that steps down answers every entry still in flight with
// ErrLeadershipLost (UNCERTAIN), even one the new leader then commits. So
// HandOver first stops proposing (IsLeader reports false: the server
// routes new commands as a follower does, waiting for the next leader, and
// a unit that reaches the log anyway is refused unapplied and resent
// there), waits until every entry it proposed has been answered, and only
// then asks Raft to transfer leadership.

// errHandingOver refuses a proposal while this node hands its leadership
// over: nothing was applied, the command may be sent again to the next
// leader (CLUSTERDOWN, like raft.ErrLeadershipTransferInProgress).
var errHandingOver = fmt.Errorf("cluster: handing leadership over: %w", raft.ErrLeadershipTransferInProgress)

// ErrHandOverTimeout is HandOver's error when no other voter took the
// leadership in time; this node may still lead.
var ErrHandOverTimeout = errors.New("cluster: no other voter took the leadership in time")

// handOverRetry is how long HandOver waits before it asks Raft for a
// transfer again.
const handOverRetry = 50 * time.Millisecond

// HandOver, on a leader with other voters, hands its leadership to the
// most up-to-date of them and returns once this node knows another leader
// (a no-op elsewhere). Proposals this node made before are answered first
// (applied), and none is made while it runs. It gives up after timeout
// (ErrHandOverTimeout) or when abort is closed, and this node then takes
// proposals again (it may still lead). Safe to call concurrently with
// everything but Close; concurrent calls run one after the other (a
// second one, e.g. SIGTERM's after RAFT HANDOVER's, then finds a follower
// and returns at once).
func (n *Node) HandOver(timeout time.Duration, abort <-chan struct{}) error {
	return n.HandOverTo(HandOverPlan{Timeout: timeout, Abort: abort})
}

// HandOverPlan is what HandOverTo does: HandOver's hand-over, to Target
// if set.
type HandOverPlan struct {
	Target  string // the voter to lead next (Raft ID); "" for the most up-to-date
	Timeout time.Duration
	Abort   <-chan struct{}
	// Transferring, if set, is called once every proposal is answered,
	// before the first transfer is asked of Raft.
	Transferring func()
}

// HandOverTo is HandOver to p.Target. It returns errNoSuchMember when
// the target is not a member, ErrHandOverTimeout as HandOver does; it
// returns nil once another node leads, the target or not (an election
// may have chosen another).
func (n *Node) HandOverTo(p HandOverPlan) error {
	n.handOverMu.Lock()
	defer n.handOverMu.Unlock()
	if n.raft.State() != raft.Leader || n.soleVoter() {
		return nil
	}
	n.handingOver.Store(true)
	defer n.handingOver.Store(false)
	deadline := time.Now().Add(p.Timeout)
	if !n.waitUntil(deadline, p.Abort, n.proposalsDone) {
		return ErrHandOverTimeout
	}
	if p.Transferring != nil {
		p.Transferring()
	}
	for time.Now().Before(deadline) {
		err := n.TransferLeadership(p.Target)
		if errors.Is(err, errNoSuchMember) {
			return err
		}
		if err == nil && n.waitUntil(deadline, p.Abort, n.otherLeads) {
			n.cfg.Logger.Info("handed leadership over", "leader", n.leaderID())
			return nil
		}
		if n.raft.State() != raft.Leader {
			return n.waitOtherLeader(deadline, p.Abort)
		}
		if n.aborted(p.Abort) {
			return ErrHandOverTimeout
		}
		n.cfg.Logger.Info("leadership transfer failed; trying again", "err", err)
		// Raft refuses a transfer while one is in progress: wait a little
		// instead of asking again at once.
		n.waitUntil(earliest(deadline, time.Now().Add(handOverRetry)), p.Abort, n.otherLeads)
	}
	return ErrHandOverTimeout
}

// waitOtherLeader waits for a leader other than this node to be known.
func (n *Node) waitOtherLeader(deadline time.Time, abort <-chan struct{}) error {
	if n.waitUntil(deadline, abort, n.otherLeads) {
		n.cfg.Logger.Info("handed leadership over", "leader", n.leaderID())
		return nil
	}
	return ErrHandOverTimeout
}

// proposalsDone reports whether no unit and no entry of this node's is in
// flight.
func (n *Node) proposalsDone() bool {
	return len(n.slots) == 0 && len(n.submit) == 0 && n.leading.Load() == 0
}

// otherLeads reports whether this node knows a leader other than itself.
func (n *Node) otherLeads() bool {
	id := n.leaderID()
	return id != "" && id != n.cfg.NodeID
}

func (n *Node) leaderID() string {
	_, id := n.raft.LeaderWithID()
	return string(id)
}

// waitUntil polls cond until it holds (true), the deadline passes or abort
// is closed (false).
func (n *Node) waitUntil(deadline time.Time, abort <-chan struct{}, cond func() bool) bool {
	for !cond() {
		if !time.Now().Before(deadline) || n.aborted(abort) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
	return true
}

func (n *Node) aborted(abort <-chan struct{}) bool {
	select {
	case <-abort:
		return true
	default:
		return false
	}
}

// enterLeading counts a call that needs this node to lead until it ends
// (a proposal, a read confirmation), or refuses it while HandOver runs;
// leaveLeading ends it. HandOver waits for the calls counted.
func (n *Node) enterLeading() error {
	n.leading.Add(1)
	if n.handingOver.Load() {
		n.leading.Add(-1)
		return errHandingOver
	}
	return nil
}

func (n *Node) leaveLeading() { n.leading.Add(-1) }

// earliest returns the earlier of a and b.
func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
