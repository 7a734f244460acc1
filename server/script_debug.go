package server

import (
	"errors"

	"github.com/hashicorp/raft"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/protocol"
)

// ScriptSwitches is what the server asks of the scripting engine
// (scripting.Engine implements it).
type ScriptSwitches interface {
	// CachedScripts returns the number of scripts in the script cache and
	// the bytes of their bodies (INFO memory).
	CachedScripts() (n, bytes int)
	// KnownWriter says that a call of EVAL, EVALSHA or FCALL names a
	// script or function whose probe reached a write (probe.go).
	KnownWriter(args [][]byte) bool
	// DeclaresWrite says that Redis flags a call of EVAL, EVALSHA, FCALL
	// or their _RO forms write by its script's declared flags
	// (min_replicas.go).
	DeclaresWrite(args [][]byte) bool
	// DeclaresFlags says that the call's script or function declares
	// flags that replace its command's (CLIENT PAUSE WRITE: pause_hold.go).
	DeclaresFlags(args [][]byte) bool
	// RefusedStale says that a stale replica refuses the call of EVAL,
	// EVALSHA, FCALL or their _RO forms before it runs, or as it is queued
	// in a transaction (replica_stale.go).
	RefusedStale(args [][]byte, queued bool) bool
	// UseServerTable gives the engine the node's whole command table.
	UseServerTable(lookup func(name []byte) *protocol.Command)
}

// DEBUG SET-DISABLE-DENY-SCRIPTS <0|1>: 1 lets scripts call DEBUG PROTOCOL
// and DEBUG SLEEP (Redis's test suite checks conversions with them). Like
// Redis, any value that is not an integer counts as 0. The switch is a
// replicated setting (cluster.SettingDisableDenyScripts), set through the
// log on the leader (a follower sends the command there), so a write
// script calling DEBUG gets the same answer on every replica.
func (s *Server) debugDenyScripts(c *protocol.Ctx) {
	v := "0"
	if n, _ := protocol.ParseInt(c.Args[2]); n != 0 {
		v = "1"
	}
	err := s.admin.SetSetting(cluster.SettingDisableDenyScripts, v)
	switch {
	case errors.Is(err, raft.ErrNotLeader):
		c.Out.Raw(s.forwardReply(conn(c), c.Args, false))
	case err != nil:
		c.Out.Error(s.router.ErrorReply(err))
	default:
		c.Out.OK()
	}
}
