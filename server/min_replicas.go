package server

import (
	"strconv"
	"time"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/protocol"
)

// min-replicas-to-write N and min-replicas-max-lag S, as Redis 7.0: while
// fewer than N replicas are good, write commands are refused with
// NOREPLICAS; 0 for either turns the check off (the defaults are 0 and
// 10). A good replica here is a follower of the Raft configuration (voter
// or not) that answered the leader's AppendEntries or InstallSnapshot RPC
// (heartbeats included, every 50-100 ms) within the last S seconds, whole
// seconds as Redis counts its replicas' acknowledgements (the lag INFO
// replication shows). A single node has none.
//
// The leader judges, before a command enters the log (followers forward
// writes and transactions to it), as maxmemory is judged: the state
// machine never sees the setting, so replicas cannot disagree. A follower
// judges at their start the calls Redis flags write that it tries or
// answers itself (a script or function tried as a read, SORT, EVAL_RO),
// by the leader's answer to RAFT REPLICAS (min_replicas_follower.go), and
// runs them here when the leader has its good replicas: a script then
// answers BUSY and is killed here; its first write goes into the log,
// where the leader judges it again. Both parameters are replicated
// settings (cluster/settings.go): CONFIG SET sent to any node reaches the
// leader, and a new leader judges alike.
//
// What is a write is Redis's judgement: the command's write flag (its
// subcommand's, for a container), and for a script or function the flags
// it declares (a shebang without no-writes, a function without
// no-writes). A script without a shebang is tried as a read first
// (probe.go): its first write command gets NOREPLICAS as a redis.call
// error, as in Redis, and nothing is logged.

// getMinReplicasToWrite and getMinReplicasMaxLag are CONFIG GET's values.
var (
	getMinReplicasToWrite = replicatedGetter(cluster.SettingMinReplicasToWrite, 0)
	getMinReplicasMaxLag  = replicatedGetter(cluster.SettingMinReplicasMaxLag, defaultMinReplicasMaxLag)
)

// defaultMinReplicasMaxLag is Redis's default min-replicas-max-lag.
const defaultMinReplicasMaxLag = 10

func init() {
	replicatedParams[cluster.SettingMinReplicasToWrite] = parseNonNegativeInt32
	replicatedParams[cluster.SettingMinReplicasMaxLag] = parseNonNegativeInt32
}

// replicatedInt is a replicated setting's value as an integer, def when
// it was never set.
func (st *settings) replicatedInt(name string, def int64) int64 {
	if st.replicated == nil {
		return def
	}
	v, ok := st.replicated(name)
	if !ok {
		return def
	}
	n, _ := strconv.ParseInt(v, 10, 64)
	return n
}

// lackingReplicas returns Redis's NOREPLICAS error while this node leads
// (or is alone) and has fewer good replicas than min-replicas-to-write
// asks for, else "".
func (s *Server) lackingReplicas() string {
	need := s.settings.replicatedInt(cluster.SettingMinReplicasToWrite, 0)
	if need == 0 || s.admin == nil || s.master.Load() != nil { // a replica of a Redis master has no replicas to count
		return ""
	}
	lag := s.settings.replicatedInt(cluster.SettingMinReplicasMaxLag, defaultMinReplicasMaxLag)
	if lag == 0 || !(s.router.IsLeader() || s.alone()) {
		return ""
	}
	if s.goodReplicas(lag) >= need {
		return ""
	}
	return protocol.ErrNoReplicas
}

// writeToJudge reports whether min-replicas-to-write is set, or this node
// is a read-only replica (replicaof.go), and Redis flags cl write:
// dispatch must see it (enoughReplicas, replicaWritable) even when it
// routes as a read.
func (s *Server) writeToJudge(cl *call) bool {
	return cl.ok && (s.settings.replicatedInt(cluster.SettingMinReplicasToWrite, 0) != 0 || s.readonlyReplica()) &&
		s.redisWrite(cl.cmd, cl.args)
}

// leaderMustJudge reports whether cl, on this follower, goes to the
// leader whatever its route would be (a read, a script tried here first):
// min-replicas-to-write is set and Redis flags cl write, and this follower
// does not judge cl itself (judgedHere) or could not ask the leader
// (c.replicasUnknown); or cl is denyoom while memory is above maxmemory
// (the leader evicts, or refuses it), so only the leader may answer it;
// under noeviction a script without a shebang is still tried here, whose
// first write the follower fails itself (scriptOOM). Cheap on the leader
// and while neither applies.
func (s *Server) leaderMustJudge(c *client, cl *call) bool {
	if s.router == nil || s.router.IsLeader() {
		return false
	}
	replicas := s.settings.replicatedInt(cluster.SettingMinReplicasToWrite, 0) != 0 && s.redisWrite(cl.cmd, cl.args) &&
		(c.replicasUnknown || !s.judgedHere(c, cl))
	oom := !replicas && cl.cmd.FlagsFor(cl.args)&protocol.DenyOOM != 0 && s.overMaxMemory() &&
		!(s.eviction().Policy == cluster.NoEviction && s.scriptWithoutShebang(cl))
	return (replicas || oom) && !s.alone()
}

// goodReplicas counts the followers the leader heard from within lag
// seconds.
func (s *Server) goodReplicas(lag int64) int64 {
	ms, _ := s.admin.Members()
	var n int64
	for _, m := range ms {
		if m.ID != s.admin.NodeID() && m.LastContact >= 0 && int64(m.LastContact/time.Second) <= lag {
			n++
		}
	}
	return n
}

// redisWrite reports whether Redis flags this call write: its command's
// (or subcommand's) write flag, or a script's declared flags.
func (s *Server) redisWrite(cmd *protocol.Command, args [][]byte) bool {
	if probeable[cmd.Name] || cmd.Name == "eval_ro" || cmd.Name == "evalsha_ro" || cmd.Name == "fcall_ro" {
		return s.cfg.Scripts != nil && s.cfg.Scripts.DeclaresWrite(args)
	}
	if len(args) > 1 && protocol.SubcommandsOf(cmd) != nil {
		sub := protocol.SubcommandOf(cmd, args[1])
		return sub != nil && sub.Flags&protocol.Write != 0
	}
	return cmd.Flags&protocol.Write != 0
}

// enoughReplicas answers NOREPLICAS to a write (or an EXEC of a
// transaction holding one) while the leader lacks good replicas, and
// returns false; true when the call may go on. In a transaction the
// refusal makes EXEC answer EXECABORT, as Redis's does.
func (s *Server) enoughReplicas(c *client, b *batch, cl *call) bool {
	c.replicasUnknown = false
	if !cl.ok || s.settings.replicatedInt(cluster.SettingMinReplicasToWrite, 0) == 0 || !s.writesIn(c, cl) {
		return true
	}
	msg := s.lackingReplicas()
	if msg == "" && s.judgedHere(c, cl) { // a follower's own call: the leader says (min_replicas_follower.go)
		var known bool
		msg, known = s.askReplicas()
		c.replicasUnknown = !known
	}
	if msg == "" {
		return true
	}
	s.rejectCall(c, b, cl, msg)
	return false
}

// writesIn reports whether cl is a write, or an EXEC whose transaction
// queued one or a script that may write. A queued script without a
// shebang would meet the refusal at its first write in Redis; inside the
// log no replica can judge it, so its EXEC is refused whole
// (docs/compatibility.md).
func (s *Server) writesIn(c *client, cl *call) bool {
	if cl.cmd.Name != "exec" || c.multi == nil {
		return s.redisWrite(cl.cmd, cl.args)
	}
	return c.multi.queuedAny(func(cmd *protocol.Command, args [][]byte) bool {
		mayWrite := probeable[cmd.Name] && cmd.FlagsFor(args)&protocol.Write != 0
		return mayWrite || s.redisWrite(cmd, args)
	})
}
