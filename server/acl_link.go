package server

import (
	"bytes"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// A follower forwards a client's commands over a link that is a client
// connection of the leader. When the client's user is not the default
// user without a password, the link logs in as that user with RAFT AUTH
// <user> <digest> (one of the user's SHA-256 password digests, which
// every node holds: the user table is replicated), so the leader checks
// the same permissions again and ACL LOG names the same user.

// linkUser is the user c's link must log in as: "" for the default user
// while it needs no password (a link is that user from the start).
func (s *Server) linkUser(c *client) string {
	if s.cfg.ACL == nil {
		return ""
	}
	u := s.currentUser(c)
	if u == nil || u.Name == defaultUser && u.NoPass {
		return ""
	}
	return u.Name
}

// defaultLinkUser is what the read index link logs in as: the default
// user, when it has a password.
func (s *Server) defaultLinkUser() string {
	if s.defaultNoPass() {
		return ""
	}
	return defaultUser
}

// linkAuth logs the link in as user ("" : nothing to do); it returns the
// error reply for the client when it cannot.
func (s *Server) linkAuth(u *upstream, user string, deadline time.Time) string {
	if user == "" {
		return ""
	}
	digest := "-"
	if acu := s.cfg.ACL.Users().Get(user); acu != nil && len(acu.Passwords) > 0 {
		digest = acu.Passwords[0]
	}
	u.nc.SetDeadline(deadline)
	if _, err := u.nc.Write(appendCommand(nil, [][]byte{[]byte("RAFT"), []byte("AUTH"), []byte(user), []byte(digest)})); err != nil {
		return protocol.ErrReplyNoLeader
	}
	reply, err := readReply(u.rd, nil)
	if err != nil {
		return protocol.ErrReplyNoLeader
	}
	if len(reply) > 0 && reply[0] == '-' {
		return string(reply[1 : len(reply)-2])
	}
	u.user = user
	return ""
}

// RAFT AUTH user digest
//
// Logs a node's link in as user when digest is one of its password
// digests ("-" for a user with nopass); WRONGPASS otherwise. Knowing a
// digest is as good as knowing the password here: digests are shown only
// by ACL GETUSER and ACL LIST (@admin).
func (s *Server) raftAuth(c *protocol.Ctx) {
	cl := conn(c)
	if s.cfg.ACL == nil {
		c.Out.OK()
		return
	}
	u := s.cfg.ACL.Users().Get(string(c.Args[2]))
	ok := u != nil && u.On && (u.NoPass || containsString(u.Passwords, string(c.Args[3])))
	if !ok {
		c.Out.Error(protocol.ErrWrongPass)
		return
	}
	cl.acl = aclState{user: u, userVer: s.cfg.ACL.Users().Version(), authed: true}
	cl.setUserName(u.Name)
	c.Out.OK()
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// leaderCall sends req, one or more commands, on *link to the leader at
// addr and reads one reply, within deadline. *link is a RESP2 link logged
// in as the default link user (linkAuth); it is dialed, within dial, when
// there is none, the leader moved or the default link user changed, and
// closed and forgotten when it fails or the leader answers NOAUTH. The
// message is "" on success, else the error to reply.
func (s *Server) leaderCall(link **upstream, addr string, dial time.Duration, deadline time.Time, req []byte) ([]byte, string) {
	if *link == nil || (*link).addr != addr || (*link).user != s.defaultLinkUser() {
		(*link).close()
		*link = nil
		nc, err := s.cfg.DialPeer.Dial(addr, dial)
		if err != nil {
			return nil, protocol.ErrReplyNoLeader
		}
		u := s.newUpstream(addr, 2, nc)
		if u == nil {
			return nil, protocol.ErrReplyNoLeader // shutting down
		}
		if msg := s.linkAuth(u, s.defaultLinkUser(), deadline); msg != "" {
			u.close()
			return nil, msg
		}
		*link = u
	}
	u := *link
	u.nc.SetDeadline(deadline)
	_, err := u.nc.Write(req)
	var reply []byte
	if err == nil {
		reply, err = readReply(u.rd, nil)
	}
	if err != nil || bytes.HasPrefix(reply, noAuthReply) {
		// NOAUTH: the link was dialed while this node had not yet applied
		// a password the leader's default user has; the next call dials
		// again, logged in as this node then knows (fetchReadIndex retries).
		u.close()
		*link = nil
		return nil, protocol.ErrReplyNoLeader
	}
	return reply, ""
}

var noAuthReply = []byte("-NOAUTH ")
