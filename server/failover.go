package server

import (
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/protocol"
)

// FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms]: Redis 6.2's
// coordinated failover from a master to one of its replicas, here the
// leader's hand-over (cluster.Node.HandOverTo) to a voter: the leader
// stops taking writes (they wait for the next leader, as during any
// hand-over), waits until every write it took is applied, then has Raft
// transfer the leadership, and serves on as a follower. Replies and
// refusals are Redis's; the hand-over runs after the +OK, as Redis's
// failover does. A replica is a voter the leader heard from within
// failoverOnline; SYNC replicas and nonvoters cannot lead.

// failoverOnline is how recently a voter must have answered the leader to
// be an online replica a failover may choose: two heartbeat timeouts
// (the leader sends heartbeats ten times as often).
const failoverOnline = 2 * cluster.HeartbeatTimeout

// failoverForever stands for "no timeout": the failover goes on until it
// succeeds or FAILOVER ABORT.
const failoverForever = 100 * 365 * 24 * time.Hour

const (
	failoverWaiting    = "waiting-for-sync"     // answering the writes taken
	failoverInProgress = "failover-in-progress" // Raft is transferring
)

// failoverState is the node's failover, if one runs.
type failoverState struct {
	mu    sync.Mutex
	state string        // "" when none runs
	abort chan struct{} // closed to abort the one running
	done  chan struct{} // closed once its hand-over returned
}

// current is master_failover_state's value.
func (f *failoverState) current() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.state == "" {
		return "no-failover"
	}
	return f.state
}

// begin starts a failover's state; false if one runs. The caller closes
// done once the failover's hand-over returned.
func (f *failoverState) begin() (abort, done chan struct{}, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.state != "" {
		return nil, nil, false
	}
	f.state, f.abort, f.done = failoverWaiting, make(chan struct{}), make(chan struct{})
	return f.abort, f.done, true
}

// running reports whether a failover runs.
func (f *failoverState) running() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.state != ""
}

// set moves the failover whose abort channel is abort to state; false
// when it was aborted meanwhile (another may run), which is left alone.
func (f *failoverState) set(abort chan struct{}, state string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.abort != abort {
		return false
	}
	f.state = state
	if state == "" {
		f.abort, f.done = nil, nil
	}
	return true
}

// stop aborts the running failover and returns the channel closed once
// its hand-over returned; nil if none runs.
func (f *failoverState) stop() (done chan struct{}) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.state == "" {
		return nil
	}
	close(f.abort)
	done = f.done
	f.state, f.abort, f.done = "", nil, nil
	return done
}

// failoverRequest is FAILOVER's arguments.
type failoverRequest struct {
	host    string
	port    int64
	force   bool
	timeout time.Duration // 0: none
}

func (s *Server) failoverCommands() []*protocol.Command {
	return []*protocol.Command{
		{Name: "failover", Arity: -1, Flags: protocol.Admin | protocol.NoScript | protocol.Stale, Group: "server",
			Since: "6.2.0", Summary: "Start a coordinated failover between this server and one of its replicas.",
			Handler: protocol.HandlerFunc(s.failover)},
	}
}

// FAILOVER
func (s *Server) failover(c *protocol.Ctx) {
	if len(c.Args) == 2 && protocol.EqualFold(c.Args[1], "abort") {
		if s.failovers.stop() == nil {
			c.Out.Error("ERR No failover in progress.")
			return
		}
		s.log.Info("FAILOVER aborted: Failover manually aborted")
		c.Out.OK()
		return
	}
	req, errMsg := parseFailover(c.Args[1:])
	if errMsg == "" {
		errMsg = s.failoverRefusal(req)
	}
	var target string
	if errMsg == "" && req.host != "" {
		target, errMsg = s.failoverTarget(req.host, req.port)
	}
	if errMsg != "" {
		c.Out.Error(errMsg)
		return
	}
	abort, done, ok := s.failovers.begin()
	if !ok { // another FAILOVER began since failoverRefusal
		c.Out.Error("ERR FAILOVER already in progress.")
		return
	}
	if target != "" {
		s.log.Info("FAILOVER requested to " + net.JoinHostPort(req.host, strconv.FormatInt(req.port, 10)) + ".")
	} else {
		s.log.Info("FAILOVER requested to any replica.")
	}
	go s.runFailover(req, target, abort, done)
	c.Out.OK()
}

// parseFailover reads FAILOVER's arguments as Redis 7.0 does; errMsg is
// its reply to bad ones.
func parseFailover(args [][]byte) (req failoverRequest, errMsg string) {
	for j := 0; j < len(args); j++ {
		switch a := args[j]; {
		case protocol.EqualFold(a, "timeout") && j+1 < len(args) && req.timeout == 0:
			ms, ok := protocol.ParseInt(args[j+1])
			if !ok {
				return req, protocol.ErrNotInteger
			}
			if ms <= 0 {
				return req, "ERR FAILOVER timeout must be greater than 0"
			}
			req.timeout = time.Duration(min(ms, int64(failoverForever/time.Millisecond))) * time.Millisecond
			j++
		case protocol.EqualFold(a, "to") && j+2 < len(args) && req.host == "":
			port, ok := protocol.ParseInt(args[j+2])
			if !ok {
				return req, protocol.ErrNotInteger
			}
			req.host, req.port = string(args[j+1]), port
			j += 2
		case protocol.EqualFold(a, "force") && !req.force:
			req.force = true
		default:
			return req, protocol.ErrSyntax
		}
	}
	return req, ""
}

// failoverRefusal is Redis's refusal of a failover this node cannot start
// now, in Redis's order, or "".
func (s *Server) failoverRefusal(req failoverRequest) string {
	switch {
	case s.failovers.running():
		return "ERR FAILOVER already in progress."
	case s.admin == nil || !(s.router.IsLeader() || s.alone()) || s.master.Load() != nil:
		return "ERR FAILOVER is not valid when server is a replica."
	case len(s.onlineVoters()) == 0:
		return "ERR FAILOVER requires connected replicas."
	case req.force && (req.timeout == 0 || req.host == ""):
		return "ERR FAILOVER with force option requires both a timeout and target HOST and IP."
	}
	return ""
}

// failoverTarget finds the voter whose client address is host:port:
// its Raft ID, or Redis's refusal.
func (s *Server) failoverTarget(host string, port int64) (id, errMsg string) {
	want := net.JoinHostPort(host, strconv.FormatInt(port, 10))
	for _, m := range s.followerMembers() {
		if !m.Voter || m.ClientAddr != want {
			continue
		}
		if !voterOnline(m) {
			return "", "ERR FAILOVER target replica is not online."
		}
		return m.ID, ""
	}
	return "", "ERR FAILOVER target HOST and PORT is not a replica."
}

// onlineVoters lists the other voters the leader heard from lately.
func (s *Server) onlineVoters() []cluster.Member {
	if s.admin == nil {
		return nil
	}
	var out []cluster.Member
	for _, m := range s.followerMembers() {
		if m.Voter && voterOnline(m) {
			out = append(out, m)
		}
	}
	return out
}

func voterOnline(m cluster.Member) bool {
	return m.LastContact >= 0 && m.LastContact <= failoverOnline
}

// runFailover hands the leadership over as req asks. Without FORCE it
// gives up at the timeout; with FORCE it goes on past it (Raft never lets
// a voter missing entries lead, so the target always catches up first:
// there is nothing to skip) until the target leads or FAILOVER ABORT.
func (s *Server) runFailover(req failoverRequest, target string, abort, done chan struct{}) {
	defer close(done)
	timeout := req.timeout
	if timeout == 0 || req.force {
		timeout = failoverForever
	}
	err := s.admin.HandOverTo(cluster.HandOverPlan{Target: target, Timeout: timeout, Abort: abort,
		Transferring: func() {
			s.failovers.set(abort, failoverInProgress)
			s.log.Info("Failover target is synced, failing over.", "target", ifElse(target == "", "any replica", target))
		}})
	ours := s.failovers.set(abort, "") // false: aborted, and logged by the abort
	switch {
	case err == nil:
		leader, _ := s.router.LeaderClientAddr()
		s.log.Info("FAILOVER done", "leader", leader)
	case ours:
		s.log.Info("FAILOVER aborted: Replica never caught up before timeout", "err", err)
	}
}

// AbortFailover aborts a running FAILOVER and returns once its hand-over
// returned: a stop and RAFT HANDOVER hand over on their own terms.
func (s *Server) AbortFailover(why string) {
	if done := s.failovers.stop(); done != nil {
		s.log.Info("FAILOVER aborted: " + why)
		<-done
	}
}
