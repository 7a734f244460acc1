package server

import (
	"math"
	"strconv"
	"time"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// activeExpirer is the node's DEBUG SET-ACTIVE-EXPIRE switch
// (cluster.Node.SetActiveExpire).
type activeExpirer interface{ SetActiveExpire(on bool) }

// DEBUG SET-ACTIVE-EXPIRE <0|1>
//
// The argument is read as C's atoi (anything else is 0), as Redis does.
// Off, this node, while it leads, stops proposing the deletion of expired
// keys; reads still hide them, and writes that meet them delete them. A
// follower sets its own switch and sends the command on to the leader,
// which is the node that expires keys, and relays its reply: a client of
// a follower sees the keys it set stay, as a client of Redis does.
func (s *Server) debugSetActiveExpire(c *protocol.Ctx) {
	ae, ok := s.admin.(activeExpirer)
	if !ok {
		c.Out.Error(protocol.ErrSubcommandSyntax(c.Args[1], string(c.Args[0])))
		return
	}
	ae.SetActiveExpire(atoi(c.Args[2]) != 0)
	if cl, ok := c.Conn.(*client); ok && s.router != nil && !s.router.IsLeader() {
		c.Out.Raw(s.forwardReply(cl, c.Args, false))
		return
	}
	c.Out.OK()
}

// DEBUG SLEEP <seconds>
//
// Redis stops the whole server. geetcache stops this node's state
// machine: it holds the keyspace for that long, so no entry is applied and
// reads wait behind the writes waiting; commands that do not touch the
// keyspace still answer. The argument is read as C's strtod (decimals
// allowed, anything else is 0).
func (s *Server) debugSleep(c *protocol.Ctx) {
	d := time.Duration(strtod(c.Args[2]) * float64(time.Second))
	if d > 0 {
		s.view.View(func(*datatypes.DBs) { time.Sleep(d) })
	}
	c.Out.OK()
}

// atoi is C's atoi: optional spaces and sign, then digits; 0 when none.
func atoi(b []byte) int64 {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	j := i
	if j < len(b) && (b[j] == '-' || b[j] == '+') {
		j++
	}
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	n, _ := strconv.ParseInt(string(b[i:j]), 10, 64)
	return n
}

// strtod is C's strtod for DEBUG SLEEP: the longest prefix that is a
// number, 0 when none; NaN and infinities count as 0.
func strtod(b []byte) float64 {
	for j := len(b); j > 0; j-- {
		if f, err := strconv.ParseFloat(string(b[:j]), 64); err == nil || isRange(err) {
			if math.IsNaN(f) || math.IsInf(f, 0) {
				return 0
			}
			return f
		}
	}
	return 0
}

func isRange(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}
