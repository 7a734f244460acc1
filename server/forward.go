package server

import (
	"bufio"
	"bytes"
	"net"
	"strconv"
	"time"

	"github.com/tidwall/redcon"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/protocol"
)

// Forwarding timeouts: dialing the leader, and waiting for a reply to a
// command that does not block.
const (
	forwardDial    = 2 * time.Second
	forwardTimeout = 10 * time.Second
)

// upstream is a client connection's own connection to the leader, speaking
// the client's RESP version, so that replies relay byte for byte and in
// order.
type upstream struct {
	addr  string
	proto int
	nc    net.Conn
	rd    *bufio.Reader
	// user is the ACL user the link logged in as on the leader ("": the
	// default user, without RAFT AUTH).
	user string
	// origin is the mark the leader puts on the units the link writes
	// (RAFT ORIGIN, for a connection tracking with NOLOOP), or "".
	origin string
	// db is the database the link has selected on the leader; -1 when a
	// forwarded transaction's SELECT may have changed it.
	db int
	// id is the link's client ID on the leader, 0 until a blocking
	// command asked it (unblock_leader.go); askedID: it was asked.
	id      int64
	askedID bool
	links   *leaderLinks // where it is registered, for Close to cut it (newUpstream)
}

func (u *upstream) close() {
	if u != nil && u.nc != nil {
		u.nc.Close()
		u.links.forget(u.nc)
	}
}

// mustForward reports whether a command has to run on the leader: every
// keyspace command, unless the command only reads and the connection reads
// locally (READONLY) or the node serves reads after a read index, and only
// while this node is not the leader.
func (s *Server) mustForward(c *client, flags protocol.Flags) bool {
	reads := flags&protocol.Write == 0 && (flags&protocol.Blocking == 0 || flags&protocol.Readonly != 0)
	if !isData(flags) || (reads && (c.readonly || s.cfg.FollowerReads == ReadIndexReads)) {
		return false
	}
	return !s.router.IsLeader()
}

// forward sends one command to the leader and relays its reply unchanged,
// once this node has applied what the reply needs here (settleForwarded). A blocking command goes in its turn (awaitTurn).
func (s *Server) forward(c *client, args [][]byte, blocking bool) {
	if !blocking {
		start := time.Now()
		reply := s.forwardReply(c, args, false)
		s.settleForwarded([][][]byte{args}, time.Since(start)) // tracking_forward.go
		c.out.Raw(reply)
		return
	}
	turn := s.awaitTurn(c, args)
	defer s.blocker.forwarding.leave(turn)
	reply := s.forwardRetry(c, appendCommand(nil, args), 0, &blockingForward{turn: turn})
	s.blocker.afterExecs() // a transaction here that woke it ends first
	c.out.Raw(reply)
}

// blockingForward marks a forwarded command that the leader may hold
// until it is served; turn, when set, is its place among this node's
// (arrival_forward.go).
type blockingForward struct{ turn *forwardTurn }

// heldAtLeader counts c as a blocked client here (INFO blocked_clients,
// CLIENT LIST's b flag) while the leader holds its blocking command, from
// the moment the command was written to the leader: counted earlier (while
// the link was dialed), a client that waits for the count before sending
// another blocking command on another connection (Redis's
// wait_for_blocked_clients_count) could have that one reach the leader
// first. The returned function ends the count.
func (s *Server) heldAtLeader(c *client) func() {
	s.blocker.forwarded.Add(1)
	c.blockedAtLeader.Store(true)
	return func() {
		c.blockedAtLeader.Store(false)
		s.blocker.forwarded.Add(-1)
	}
}

// forwardReply sends one command to the leader and returns its reply. A
// CLUSTERDOWN reply means the command was not applied (the leader was
// stepping down or handing over), so it is sent again, to whoever leads,
// until the election wait runs out.
func (s *Server) forwardReply(c *client, args [][]byte, blocking bool) []byte {
	var b *blockingForward
	if blocking {
		b = &blockingForward{}
	}
	return s.forwardRetry(c, appendCommand(nil, args), 0, b)
}

// forwardBlock sends a transaction's keyspace commands to the leader as
// one MULTI ... EXEC block, in one write, after RAFT QUEUED (this node
// judged the commands against maxmemory as it queued them: the leader
// judges only EXEC) and the watch this node took (RAFT WATCHED), and
// returns EXEC's reply. A leader without RAFT QUEUED answers an error,
// skipped as the others' replies are, and judges each command.
func (s *Server) forwardBlock(c *client, u *protocol.Unit) []byte {
	req := appendCommand(nil, [][]byte{[]byte("RAFT"), []byte("QUEUED")})
	skip := len(u.Cmds) + 2
	if u.Watch != nil {
		req = appendCommand(req, watchArgs(u.Watch))
		skip++
	}
	req = appendCommand(req, [][]byte{[]byte("MULTI")})
	for _, args := range u.Cmds {
		req = appendCommand(req, args)
	}
	req = appendCommand(req, [][]byte{[]byte("EXEC")})
	reply := s.forwardRetry(c, req, skip, nil)
	if up := c.upstream; up != nil && hasSelect(u.Cmds) {
		up.db = -1 // the leader's connection may have switched
	}
	return reply
}

// closeLinkIfGone watches c's socket while the leader holds its blocking
// command (watchClient): a client that leaves closes the link, which ends
// the wait here and makes the leader drop the blocked link, as Redis frees
// a blocked client that disconnects. Before, both waited for the command
// to be served, for ever with a timeout of 0, and both nodes kept
// counting a blocked client. The returned function ends the watch.
func (s *Server) closeLinkIfGone(c *client, u *upstream) func() {
	gone, stop := s.watchClient(c)
	done := make(chan struct{})
	go func() {
		select {
		case <-gone:
			u.nc.Close()
		case <-done:
		}
	}()
	return func() {
		close(done)
		stop()
	}
}

// forwardRetry sends req and returns the reply after the first skip ones,
// sending again while the leader says it was not applied. blocking is nil
// for a command the leader answers at once.
func (s *Server) forwardRetry(c *client, req []byte, skip int, blocking *blockingForward) []byte {
	retryUntil := time.Now().Add(s.cfg.ElectionWait)
	for {
		reply := s.forwardOnce(c, req, skip, blocking)
		if !notApplied(reply) || !time.Now().Before(retryUntil) {
			return reply
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// notApplied reports whether reply says the command was not applied and
// may be sent again.
func notApplied(reply []byte) bool {
	return bytes.HasPrefix(reply, clusterDownReply)
}

var clusterDownReply = []byte("-" + protocol.CodeClusterDown + " ")

// forwardOnce writes req to the leader and reads its replies, returning the
// last: req holds skip+1 commands whose first skip replies (MULTI's OK and
// QUEUED) are not the client's. A blocking command goes after RAFT
// ARRIVED, whose reply says the leader queued it (arrival_forward.go).
func (s *Server) forwardOnce(c *client, req []byte, skip int, blocking *blockingForward) []byte {
	if blocking == nil {
		s.blocker.arriving.awaitEarlier(c, localArrival(c)) // block_arriving.go
	}
	u, errMsg := s.upstreamFor(c)
	if errMsg != "" {
		return redcon.AppendError(nil, errMsg)
	}
	deadline := time.Now().Add(forwardTimeout)
	if blocking != nil {
		deadline = time.Time{} // the leader answers when it is served or times out
	}
	u.nc.SetDeadline(deadline)
	var arrived []byte
	if blocking != nil {
		arrived = s.arrivedPrefix(c)
	}
	if arrived != nil { // the leader queues it by this (arrival.go)
		req = append(arrived, req...)
		skip++
	} else if blocking != nil {
		s.blocker.arriving.leave(c) // no order to keep: the writes after it may go
	}
	askID := blocking != nil && !u.askedID // unblock_leader.go
	if askID {
		req = append(appendCommand(nil, clientIDArgs), req...)
		u.askedID = true
	}
	if _, err := u.nc.Write(req); err != nil {
		s.dropUpstream(c)
		return redcon.AppendError(nil, protocol.ErrReplyNoLeader)
	}
	if blocking != nil {
		defer s.heldAtLeader(c)()
		defer s.closeLinkIfGone(c, u)()
	}
	var reply []byte
	var err error
	if askID {
		if reply, err = readReply(u.rd, reply[:0]); err == nil {
			u.id = linkID(reply)
		}
	}
	if blocking != nil && err == nil {
		c.idAtLeader.Store(u.id)
		defer c.idAtLeader.Store(0)
	}
	for i := 0; i <= skip && err == nil; i++ {
		reply, err = readReply(u.rd, reply[:0])
		if i == 0 && arrived != nil {
			blocking.turn.markQueued()
			s.blocker.arriving.leave(c) // the writes after it may go
		}
	}
	if err != nil {
		s.dropUpstream(c)
		return redcon.AppendError(nil, protocol.ErrReplyForwardLost)
	}
	return reply
}

// upstreamFor returns the connection's link to the current leader, dialing
// (and saying HELLO 3 for a RESP3 client) when the leader or the client's
// RESP version changed.
func (s *Server) upstreamFor(c *client) (*upstream, string) {
	return s.upstreamBy(c, time.Now().Add(forwardTimeout))
}

// upstreamBy is upstreamFor giving up on a new link at deadline.
func (s *Server) upstreamBy(c *client, deadline time.Time) (*upstream, string) {
	addr, ok := s.waitLeader()
	if !ok {
		return nil, s.router.ErrorReply(cluster.ErrNoLeader)
	}
	c.forwards++ // whatever is sent may change what a read must see
	origin := string(s.trackingOrigin(c))
	if u := c.upstream; u != nil && u.addr == addr && u.proto == c.out.Proto && u.user == s.linkUser(c) &&
		u.origin == origin && u.rd.Buffered() == 0 && !peerClosed(u.nc) { // the syscall last
		return u, s.selectUpstream(c, u, deadline)
	}
	s.dropUpstream(c)
	nc, err := s.cfg.DialPeer.Dial(addr, max(min(forwardDial, time.Until(deadline)), time.Millisecond))
	if err != nil {
		return nil, protocol.ErrReplyNoLeader
	}
	u := s.newUpstream(addr, c.out.Proto, nc)
	if u == nil {
		return nil, protocol.ErrReplyNoLeader // shutting down
	}
	if msg := s.linkAuth(u, s.linkUser(c), deadline); msg != "" { // before HELLO, which needs it
		u.close()
		return nil, msg
	}
	if u.proto == 3 && !u.hello3(deadline) {
		u.close()
		return nil, protocol.ErrReplyNoLeader
	}
	if origin != "" && !u.call(deadline, "RAFT", "ORIGIN", origin) {
		u.close()
		return nil, protocol.ErrReplyNoLeader
	}
	u.origin = origin
	c.upstream = u
	return u, s.selectUpstream(c, u, deadline)
}

// selectUpstream makes the link's database on the leader the client's.
func (s *Server) selectUpstream(c *client, u *upstream, deadline time.Time) string {
	if u.db == c.db {
		return ""
	}
	if !u.call(deadline, "SELECT", strconv.Itoa(c.db)) {
		s.dropUpstream(c)
		return protocol.ErrReplyNoLeader
	}
	u.db = c.db
	return ""
}

func (u *upstream) hello3(deadline time.Time) bool { return u.call(deadline, "HELLO", "3") }

// call sends one command on the link and reads its reply, whatever it is
// (a leader too old for RAFT ORIGIN answers an error: its entries carry
// no origin, and NOLOOP then leaves nothing out).
func (u *upstream) call(deadline time.Time, args ...string) bool {
	u.nc.SetDeadline(deadline)
	argv := make([][]byte, len(args))
	for i, a := range args {
		argv[i] = []byte(a)
	}
	if _, err := u.nc.Write(appendCommand(nil, argv)); err != nil {
		return false
	}
	_, err := readReply(u.rd, nil)
	return err == nil
}

func (s *Server) dropUpstream(c *client) {
	c.upstream.close()
	c.upstream = nil
}

// appendCommand encodes args as a RESP array of bulk strings.
func appendCommand(b []byte, args [][]byte) []byte {
	b = redcon.AppendArray(b, len(args))
	for _, a := range args {
		b = redcon.AppendBulk(b, a)
	}
	return b
}

// waitLeader returns the leader's client address, waiting up to the
// configured election wait while none is known (an election under way).
func (s *Server) waitLeader() (string, bool) {
	deadline := time.Now().Add(s.cfg.ElectionWait)
	for {
		addr, ok := s.router.LeaderClientAddr()
		if ok || !time.Now().Before(deadline) {
			return addr, ok
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// leadingForwards counts the well-formed, non-blocking commands at the
// start of cmds that this node, a follower, must forward to the leader.
func (s *Server) leadingForwards(c *client, calls []call, follower bool) int {
	if !follower {
		return 0
	}
	for n := range calls {
		cl := &calls[n]
		if s.routeOf(c, cl) != routeForward || cl.cmd.Flags&protocol.Blocking != 0 || probeable[cl.cmd.Name] || isPublish(cl.cmd) || cachedRead(cl) {
			return n // a script that may write is tried as a read first (probe.go); a publish is answered here (publishReply); a PFCOUNT is tracked after its reply (dispatch)
		}
	}
	return len(calls)
}

// forwardPipeline sends several commands to the leader in one write and
// relays their replies in order. Unlike a single command, one answered
// "not applied" is not resent: the commands after it have already run, and
// resending it would change their order.
func (s *Server) forwardPipeline(c *client, calls []call) {
	s.relayPipeline(c, calls, time.Now().Add(forwardTimeout), protocol.ErrReplyForwardLost)
	cmds := make([][][]byte, len(calls))
	for i, cl := range calls {
		cmds[i] = cl.args
	}
	s.settleForwarded(cmds, 0) // tracking_forward.go; a pipeline holds no script
}

// relayPipeline is forwardPipeline for commands already counted, giving up
// at deadline; lost answers each command whose reply did not come.
func (s *Server) relayPipeline(c *client, cmds []call, deadline time.Time, lost string) {
	c.cmdName = cmds[len(cmds)-1].cmd.Name
	start := time.Now()
	s.blocker.arriving.awaitEarlier(c, localArrival(c)) // block_arriving.go
	u, errMsg := s.upstreamBy(c, deadline)
	if errMsg != "" {
		s.relayErrors(c, cmds, start, errMsg)
		return
	}
	var req []byte
	for _, cl := range cmds {
		req = appendCommand(req, cl.args)
	}
	u.nc.SetDeadline(deadline)
	if _, err := u.nc.Write(req); err != nil {
		s.dropUpstream(c)
		s.relayErrors(c, cmds, start, lost)
		return
	}
	for i := range cmds {
		reply, err := readReply(u.rd, nil)
		if err != nil {
			s.dropUpstream(c)
			s.relayErrors(c, cmds[i:], start, lost)
			return
		}
		c.out.Raw(reply)
		s.countRelayed(c, &cmds[i], start, reply)
		if c.wantWrite() && s.writeAsYouGo(c) {
			u.nc.SetDeadline(time.Now().Add(forwardTimeout)) // the wait was the client's
		}
	}
}

// hasSelect reports whether a transaction's commands hold a SELECT.
func hasSelect(cmds [][][]byte) bool {
	for _, argv := range cmds {
		if protocol.EqualFold(argv[0], "select") {
			return true
		}
	}
	return false
}
