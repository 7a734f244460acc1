package server

import (
	"crypto/subtle"
	"strings"
	"time"

	"github.com/geetcache/geetcache/acl"
	"github.com/geetcache/geetcache/protocol"
)

// requirepass is Redis's shortcut for the default user's password: CONFIG
// SET requirepass pass is ACL SETUSER default resetpass >pass ("" :
// nopass), so it goes through the log like any change to the users.

// getRequirepass is CONFIG GET requirepass: the password this node set,
// "" while the default user has none.
func getRequirepass(st *settings) string {
	if st.defaultNoPass == nil || st.defaultNoPass() {
		return ""
	}
	if p := st.requirepass.Load(); p != nil {
		return *p
	}
	return ""
}

// setRequirepass accepts any value; the change itself is proposed by
// configSet (setDefaultPassword) before it is applied here.
func setRequirepass(st *settings, v []byte) (func(), string) {
	pass := string(v)
	return func() { st.requirepass.Store(&pass) }, ""
}

// requirepassRules are the ACL SETUSER arguments for requirepass pass,
// with the password as its digest (nothing clear reaches the log).
func requirepassRules(pass []byte) [][]byte {
	args := [][]byte{[]byte("ACL"), []byte("SETUSER"), []byte(defaultUser), []byte("resetpass")}
	if len(pass) == 0 {
		return append(args, []byte("nopass"))
	}
	return append(args, []byte("#"+acl.HashPassword(pass)))
}

// setDefaultPassword proposes requirepass's change of the default user
// (forwarded by a follower) and returns the error reply, or "".
func (s *Server) setDefaultPassword(c *client, pass []byte) string {
	if s.cfg.ACL == nil {
		return "ERR requirepass needs ACL users"
	}
	args := requirepassRules(pass)
	var reply []byte
	if s.router.IsLeader() {
		reply = s.proposer.Submit(protocol.Unit{Proto: uint8(c.out.Proto), Cmds: [][][]byte{args}}).Reply()
	} else {
		reply = s.forwardReply(c, args, false)
	}
	if len(reply) > 0 && reply[0] == '-' {
		return string(reply[1 : len(reply)-2])
	}
	return ""
}

// flagPassword reports whether pass satisfies --requirepass for u: only
// the default user while it has no password of its own is concerned.
func (s *Server) flagPassword(u *acl.User, pass []byte) bool {
	if s.cfg.RequirePass == "" || u.Name != defaultUser || !u.NoPass {
		return true
	}
	return subtle.ConstantTimeCompare(pass, []byte(s.cfg.RequirePass)) == 1
}

// requirepassLoop gives the default user --requirepass's password through
// the log once this node leads, unless it has a password already (set by
// another node, or changed since with CONFIG SET requirepass). It checks
// every second until done or stop closes.
func (s *Server) requirepassLoop(stop chan struct{}) {
	defer s.wg.Done()
	if s.router == nil {
		return
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		if u := s.cfg.ACL.Users().Get(defaultUser); u != nil && !u.NoPass {
			return
		}
		if s.router.IsLeader() {
			args := requirepassRules([]byte(s.cfg.RequirePass))
			reply := s.proposer.Submit(protocol.Unit{Proto: 2, Cmds: [][][]byte{args}}).Reply()
			if string(reply) != "+OK\r\n" {
				s.log.Warn("failed to give the default user the --requirepass password; retrying", "reply", strings.TrimSpace(string(reply)))
			}
		}
		select {
		case <-stop:
			return
		case <-tick.C:
		}
	}
}
