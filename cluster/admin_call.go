package cluster

import (
	"bufio"
	"strings"
	"time"

	"github.com/tidwall/redcon"

	"github.com/geetcache/geetcache/protocol"
)

// This file is the one place where the cluster package talks to another
// member's client (RESP) port, to run a RAFT admin command there: a node
// joining (--join: RAFT ADDVOTER, join.go) and a follower telling the
// leader its client address (RAFT ADVERTISE, members.go). Raft's own
// transport carries only Raft's RPCs, so these go the way an operator's
// redis-cli would, and the leader checks them as it checks an operator's
// (server/raft_guard.go). The server's own member-to-member traffic
// (forwarding, RAFT READINDEX, RAFT WATCHED) is in server/forward.go and
// server/readindex.go.

// adminTimeout bounds one admin call: dial, write and the reply.
const adminTimeout = 5 * time.Second

// adminCall sends one command to the member whose client port is addr and
// returns the first line of its reply, dialing with dial ("+OK", "-ERR ..."). With pass, an
// AUTH pass goes first (the member's default user may need it); its
// refusal because the default user has no password is no error.
func adminCall(dial DialFunc, addr, pass string, args ...string) (string, error) {
	nc, err := dial.Dial(addr, adminTimeout)
	if err != nil {
		return "", err
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(adminTimeout))
	var cmd []byte
	if pass != "" {
		cmd = appendArgs(cmd, "AUTH", pass)
	}
	cmd = appendArgs(cmd, args...)
	if _, err := nc.Write(cmd); err != nil {
		return "", err
	}
	rd := bufio.NewReader(nc)
	if pass != "" {
		line, err := rd.ReadString('\n')
		if err != nil {
			return "", err
		}
		if strings.HasPrefix(line, "-WRONGPASS") {
			return strings.TrimRight(line, "\r\n"), nil
		}
	}
	line, err := rd.ReadString('\n')
	return strings.TrimRight(line, "\r\n"), err
}

func appendArgs(b []byte, args ...string) []byte {
	b = redcon.AppendArray(b, len(args))
	for _, a := range args {
		b = redcon.AppendBulkString(b, a)
	}
	return b
}

// leaderIn returns the leader's client address named by a follower's
// not-leader reply (protocol.ErrReplyNotLeaderPrefix), or "".
func leaderIn(reply string) string {
	_, addr, ok := strings.Cut(reply, protocol.ErrReplyNotLeaderPrefix)
	if !ok {
		return ""
	}
	return addr
}
