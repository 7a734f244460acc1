package server

import (
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// A transaction that calls DEBUG SLEEP stops Redis's whole server: the
// clients its writes wake are served after EXEC, when a key it gave a short
// TTL may have expired (Redis's unit/type/list "MULTI + LPUSH + EXPIRE +
// DEBUG SLEEP on blocked client"). The leader holds them until EXEC,
// sleep included, has ended (exec_gate.go); a follower sending only the block's keyspace
// commands to the leader and sleeping itself would let the leader serve
// them at once. So a follower sends such a transaction to the leader
// whole, sleep included, when its other commands are all keyspace commands
// of the block (a connection's own command, CLIENT or SELECT, say, must
// run here).

// sleepsAtLeader reports whether c's transaction m goes to the leader
// whole (above).
func (s *Server) sleepsAtLeader(c *client, m *multiState) bool {
	if s.router.IsLeader() || !sleeps(m.items) {
		return false
	}
	for _, it := range m.items {
		if it.denied != "" || !c.inUnit(it) && !isDebugSleep(it.args) {
			return false
		}
	}
	return true
}

func isDebugSleep(args [][]byte) bool {
	return len(args) > 1 && protocol.EqualFold(args[0], "debug") && protocol.EqualFold(args[1], "sleep")
}

// execAtLeader sends the whole transaction to the leader and relays EXEC's
// reply (u is its unit, for the watch and the user; to the database a
// SELECT in it leaves, -1 for none).
func (s *Server) execAtLeader(c *client, m *multiState, u protocol.Unit, to int) {
	all := make([][][]byte, len(m.items))
	for i, it := range m.items {
		all[i] = it.args
	}
	u.Cmds = all
	start := time.Now()
	reply := s.forwardBlock(c, &u) // to the leader even if this node leads now: DEBUG SLEEP is no unit command
	s.settleForwarded(all, time.Since(start))
	c.out.Raw(reply)
	if reply[0] == '*' && !isNullArray(reply) {
		c.SelectDB(to)
	}
}
