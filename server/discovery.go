package server

import (
	"net"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/discovery"
	"github.com/geetcache/geetcache/protocol"
)

// DefaultMasterName is the master name the Sentinel commands answer for
// when Config.MasterName is empty.
const DefaultMasterName = "geetcache"

// leaderPoll is how often a node looks at who leads, to remember the last
// leader and publish +switch-master.
const leaderPoll = 20 * time.Millisecond

// switchMasterChannel is Sentinel's channel for master changes.
const switchMasterChannel = "+switch-master"

// leaderTrack remembers the last leader this node knew of (by client
// address): the Sentinel and Cluster replies name it, flagged down, while
// an election runs, and +switch-master names it as the old master.
type leaderTrack struct {
	mu     sync.Mutex
	addr   string    // "" until a leader with a client address is known
	since  time.Time // when this node learned addr leads
	lostAt time.Time // when this node stopped knowing a leader; zero while one is known
}

// lastLeader is a snapshot of a leaderTrack.
type lastLeader struct {
	addr          string
	since, lostAt time.Time
}

func (l *leaderTrack) get() lastLeader {
	l.mu.Lock()
	defer l.mu.Unlock()
	return lastLeader{l.addr, l.since, l.lostAt}
}

// observe records who leads now (addr, when known) and returns the
// previous leader's address when the leader changed to another known one.
func (l *leaderTrack) observe(addr string, known bool, now time.Time) (old string, switched bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case !known:
		if l.lostAt.IsZero() {
			l.lostAt = now
		}
		return "", false
	case addr == l.addr:
		l.lostAt = time.Time{}
		return "", false
	}
	old, l.addr, l.since, l.lostAt = l.addr, addr, now, time.Time{}
	return old, old != ""
}

// watchLeader follows leadership until stop closes: each change from one
// known leader to another is published to this node's subscribers of
// +switch-master, as "<master-name> <old-ip> <old-port> <new-ip>
// <new-port>" (each node tells its own subscribers, when it learns of the
// new leader; nothing goes through the log).
func (s *Server) watchLeader(stop <-chan struct{}) {
	defer s.wg.Done()
	t := time.NewTicker(leaderPoll)
	defer t.Stop()
	for {
		s.observeLeader()
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}

func (s *Server) observeLeader() {
	addr, known := s.router.LeaderClientAddr()
	old, switched := s.leaders.observe(addr, known, time.Now())
	if !switched {
		return
	}
	oh, op, err1 := net.SplitHostPort(old)
	nh, np, err2 := net.SplitHostPort(addr)
	if err1 != nil || err2 != nil {
		return
	}
	msg := s.masterName() + " " + oh + " " + op + " " + nh + " " + np
	s.log.Info("leader changed", "old", old, "new", addr)
	s.broker.Publish([]byte(switchMasterChannel), []byte(msg), false)
}

func (s *Server) masterName() string {
	if s.cfg.MasterName == "" {
		return DefaultMasterName
	}
	return s.cfg.MasterName
}

// awaitMaster waits, at most ElectionWait, until this node trusts a leader
// (masterTrusted), so a client asking during an election learns the new
// master rather than the old one.
func (s *Server) awaitMaster() {
	deadline := time.Now().Add(s.cfg.ElectionWait)
	for !s.masterTrusted() && time.Now().Before(deadline) {
		time.Sleep(leaderPoll)
	}
}

// masterTrusted reports whether this node leads, or knows a leader it
// heard from within half the heartbeat timeout (the leader sends
// heartbeats ten times per timeout, so silence that long means it is
// probably gone).
func (s *Server) masterTrusted() bool {
	if s.router.IsLeader() {
		return true
	}
	if _, ok := s.router.LeaderClientAddr(); !ok {
		return false
	}
	c := s.ownContact()
	return c >= 0 && c < s.cfg.DownAfter/2
}

// ownContact is how long ago this node heard from the leader, -1 if never.
func (s *Server) ownContact() time.Duration {
	if m, ok := s.selfMember(); ok {
		return m.LastContact
	}
	return -1
}

// selfMember is this node's line of the configuration; false when it is
// not a member (yet).
func (s *Server) selfMember() (cluster.Member, bool) {
	ms, _ := s.admin.Members()
	for _, m := range ms {
		if m.ID == s.admin.NodeID() {
			return m, true
		}
	}
	return cluster.Member{}, false
}

// topology describes the cluster as this node sees it now; c is the
// connection asking (its local address names this node when it has not
// announced a client address).
func (s *Server) topology(c *protocol.Ctx) discovery.Topology {
	ms, _ := s.admin.Members()
	now := time.Now()
	last := s.leaders.get()
	known := slices.ContainsFunc(ms, func(m cluster.Member) bool { return m.Leader })
	t := discovery.Topology{Epoch: s.admin.Term(), DownAfter: s.cfg.DownAfter, FailoverTimeout: s.cfg.ElectionWait}
	var master []discovery.Node
	for _, m := range ms {
		n := s.memberNode(c, m)
		if m.Voter {
			t.Voters++
		}
		switch {
		case known && m.Leader && n.HasAddr():
			n.Master = true
		case !known && last.addr != "" && m.ClientAddr == last.addr:
			n.Master, n.Down, n.DownFor = true, true, now.Sub(last.lostAt)
		}
		if !n.Master && !n.Self && s.router.IsLeader() && (n.Contact < 0 || n.Contact > s.cfg.DownAfter) {
			n.Down, n.DownFor = true, max(n.Contact, 0) // the leader has not heard from this follower
		}
		if n.Master {
			master = append(master, n)
			t.MasterSince = sinceOr0(now, last.since)
		} else {
			t.Nodes = append(t.Nodes, n)
		}
	}
	t.Nodes = append(master, t.Nodes...)
	return t
}

// memberNode is m as a discovery.Node.
func (s *Server) memberNode(c *protocol.Ctx, m cluster.Member) discovery.Node {
	n := discovery.Node{ID: m.ID, Self: m.ID == s.admin.NodeID(), Contact: m.LastContact}
	addr := m.ClientAddr
	if addr == "" && n.Self {
		addr = localAddr(c)
	}
	if h, p, err := net.SplitHostPort(addr); err == nil {
		n.Host, n.Port = h, atoiOr0(p)
	}
	if _, p, err := net.SplitHostPort(m.RaftAddr); err == nil {
		n.BusPort = atoiOr0(p)
	}
	if n.Self {
		n.Offset, n.Loading, n.Contact = int64(s.linear.AppliedIndex()), s.linear.Loading(), 0
	}
	return n
}

// localAddr is the address c's connection reached this node at, "" if
// unknown.
func localAddr(c *protocol.Ctx) string {
	if cl, ok := c.Conn.(*client); ok && cl.nc != nil {
		return cl.nc.LocalAddr().String()
	}
	return ""
}

func atoiOr0(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}

// sinceOr0 is now-t, 0 when t is unset.
func sinceOr0(now, t time.Time) time.Duration {
	if t.IsZero() {
		return 0
	}
	return now.Sub(t)
}
