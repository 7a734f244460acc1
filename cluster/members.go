package cluster

import (
	"errors"
	"time"

	"github.com/hashicorp/raft"

	"github.com/geetcache/geetcache/protocol"
)

// Member describes one server of the Raft configuration.
type Member struct {
	ID         string
	RaftAddr   string
	Voter      bool   // false for a nonvoter or staging server
	ClientAddr string // "" when the node has not announced one yet
	Leader     bool
	// LastContact is how long ago the member and the leader last talked,
	// as far as this node knows; -1 when it does not know (or they never
	// did). On the leader: 0 for itself and, for each follower, the age of
	// its last answer to an AppendEntries (heartbeat) or InstallSnapshot
	// RPC. On any other node: its own line and the leader's line both give
	// how long ago this node last heard from a leader (raft_last_contact);
	// the other members' contact is unknown (-1).
	LastContact time.Duration
}

// errNoSuchMember is returned when removing or transferring to an ID that
// is not in the configuration.
var errNoSuchMember = errors.New("no such member")

// ErrNoSuchMember reports whether err says the member is unknown.
func ErrNoSuchMember(err error) bool { return errors.Is(err, errNoSuchMember) }

// Members lists the latest Raft configuration in its own order.
func (n *Node) Members() ([]Member, error) {
	f := n.raft.GetConfiguration()
	if err := f.Error(); err != nil {
		return nil, err
	}
	servers := f.Configuration().Servers
	n.contacts.retain(servers)
	_, leader := n.raft.LeaderWithID()
	view := n.contactView(leader)
	out := make([]Member, 0, len(servers))
	for _, s := range servers {
		addr, _ := n.fsm.ClientAddr(string(s.ID))
		out = append(out, Member{ID: string(s.ID), RaftAddr: string(s.Address), Voter: s.Suffrage == raft.Voter,
			ClientAddr: addr, Leader: s.ID == leader, LastContact: view.of(s.ID)})
	}
	return out, nil
}

// contactView is what this node knows, at one moment, of the members'
// contact with the leader (see Member.LastContact).
type contactView struct {
	self, leader raft.ServerID
	leading      bool
	own          time.Duration // this follower's contact with the leader
	book         *contactBook
	now          time.Duration // book's clock when the view was taken
}

func (n *Node) contactView(leader raft.ServerID) contactView {
	v := contactView{self: raft.ServerID(n.cfg.NodeID), leader: leader, book: n.contacts, now: n.contacts.elapsed()}
	v.leading = n.raft.State() == raft.Leader
	if !v.leading {
		v.own = n.contactAge()
	}
	return v
}

// of is member id's last contact with the leader.
func (v contactView) of(id raft.ServerID) time.Duration {
	switch {
	case v.leading && id == v.self:
		return 0
	case v.leading:
		return v.book.ageAt(id, v.now)
	case id == v.self || id == v.leader:
		return v.own
	}
	return -1
}

// contactAge is how long ago this follower heard from a leader, -1 if never.
func (n *Node) contactAge() time.Duration {
	t := n.raft.LastContact()
	if t.IsZero() {
		return -1
	}
	return time.Since(t)
}

// LeaderClientAddr returns the client address of the current leader, when
// a leader is known and has announced its address.
func (n *Node) LeaderClientAddr() (string, bool) {
	_, id := n.raft.LeaderWithID()
	if id == "" || (n.handingOver.Load() && string(id) == n.cfg.NodeID) {
		return "", false // no leader to send commands to, yet
	}
	return n.fsm.ClientAddr(string(id))
}

// IsLeader reports whether this node is the Raft leader.
//
// While the node hands its leadership over (HandOver) it reports false:
// commands then take a follower's route and wait for the next leader.
func (n *Node) IsLeader() bool { return n.raft.State() == raft.Leader && !n.handingOver.Load() }

// NodeID returns this node's ID.
func (n *Node) NodeID() string { return n.cfg.NodeID }

// AppliedIndex returns the index of the last log entry applied locally.
func (n *Node) AppliedIndex() uint64 { return n.fsm.AppliedIndex() }

// AddVoter adds a voter; it must run on the leader. It is refused (a
// *RefusedError) if the new voter does not answer a Raft RPC or the new
// configuration would lack a reachable majority; adding a voter that is
// already there with the same address changes nothing.
func (n *Node) AddVoter(id, raftAddr string) error {
	if n.raft.State() != raft.Leader {
		return raft.ErrNotLeader
	}
	unchanged, err := n.checkAddVoter(id, raftAddr)
	if unchanged || err != nil {
		return err
	}
	return n.changeVoters(func() error {
		return n.raft.AddVoter(raft.ServerID(id), raft.ServerAddress(raftAddr), 0, n.cfg.ApplyTimeout).Error()
	})
}

// RemoveServer removes a member; it must run on the leader. It is refused
// (a *RefusedError) if the voters left would lack a reachable majority.
func (n *Node) RemoveServer(id string) error {
	if n.raft.State() != raft.Leader {
		return raft.ErrNotLeader
	}
	if !n.isMember(id) {
		return errNoSuchMember
	}
	if err := n.checkRemove(id); err != nil {
		return err
	}
	return n.changeVoters(func() error {
		return n.raft.RemoveServer(raft.ServerID(id), 0, n.cfg.ApplyTimeout).Error()
	})
}

// TransferLeadership hands leadership to id, or to the most up-to-date
// follower when id is empty; it must run on the leader.
func (n *Node) TransferLeadership(id string) error {
	if id == "" {
		return n.raft.LeadershipTransfer().Error()
	}
	ms, err := n.Members()
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.ID == id {
			return n.raft.LeadershipTransferToServer(raft.ServerID(id), raft.ServerAddress(m.RaftAddr)).Error()
		}
	}
	return errNoSuchMember
}

func (n *Node) isMember(id string) bool {
	ms, err := n.Members()
	if err != nil {
		return false
	}
	for _, m := range ms {
		if m.ID == id {
			return true
		}
	}
	return false
}

// announce makes sure the replicated state holds this node's client
// address: the leader records its own; a follower asks the leader to record
// it (RAFT ADVERTISE), at most once per advertiseRetry.
func (n *Node) announce() {
	self := n.AdvertisedAddr()
	if self == "" {
		return
	}
	if addr, ok := n.fsm.ClientAddr(n.cfg.NodeID); ok && addr == self {
		return
	}
	if n.IsLeader() { // not while handing leadership over: the next leader records it
		if err := n.Advertise(n.cfg.NodeID, self); err != nil {
			n.cfg.Logger.Warn("failed to record client address", "err", err)
		}
		return
	}
	leader, ok := n.LeaderClientAddr()
	if !ok || time.Since(n.lastAdvertise) < advertiseRetry || !n.advertising.CompareAndSwap(false, true) {
		return
	}
	n.lastAdvertise = time.Now()
	// Asynchronously: a frozen leader must not stall this loop, which also
	// announces this node's address the moment it wins an election.
	go func() {
		defer n.advertising.Store(false)
		if reply, err := adminCall(n.cfg.DialClient, leader, n.cfg.Password, "RAFT", "ADVERTISE", n.cfg.NodeID, self); err != nil || reply != "+OK" {
			n.cfg.Logger.Warn("the leader did not record this node's client address yet", "reply", reply, "err", err)
		}
	}()
}

// AdvertisedAddr is the client address this node announces.
func (n *Node) AdvertisedAddr() string { return *n.advertised.Load() }

// SetAdvertisedAddr changes the client address this node announces; the
// announce loop records it (CONFIG SET port).
func (n *Node) SetAdvertisedAddr(addr string) {
	n.advertised.Store(&addr)
}

// advertiseRetry spaces a follower's requests to record its address.
const advertiseRetry = time.Second

// Advertise records a member's client address in the replicated state. It
// runs on the leader only.
func (n *Node) Advertise(id, clientAddr string) error {
	if n.raft.State() != raft.Leader {
		return raft.ErrNotLeader
	}
	if !n.isMember(id) {
		return errNoSuchMember
	}
	if err := n.leaderBarrier(); err != nil {
		return err
	}
	argv := [][]byte{[]byte(id), []byte(clientAddr)}
	e := &protocol.Entry{Kind: protocol.EntryNodeMeta, Units: []protocol.Unit{{Proto: 2, Cmds: [][][]byte{argv}}}}
	return n.propose(e)
}
