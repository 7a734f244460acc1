package server

import (
	"strconv"
	"strings"
	"time"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// maxmemory and its policies. The limit, the policy and their parameters
// are replicated settings (CONFIG SET on any node changes them for the
// cluster, through the log), and the memory they are judged against is
// the node's UsedMemory: a deterministic estimate of the keyspace plus a
// fixed base, the same on every replica at the same applied index (INFO's
// used_memory). The leader judges each command before it enters the log
// (followers forward writes, and transactions, to it): while memory is
// above maxmemory, every command first makes the leader evict by the
// policy (evict_first.go; cluster/evict.go: deletions proposed through the
// log); a command flagged denyoom for the call (SET, FUNCTION LOAD, an
// FCALL of a function without allow-oom or no-writes...) is refused with
// Redis's OOM error when that found nothing more to evict (noeviction, or
// a volatile policy without volatile keys). Reads and deletions always
// run. 0, the default, turns it off.

// eviction returns the eviction settings this node applied.
func (s *Server) eviction() cluster.EvictionSettings {
	if s.evict == nil {
		return cluster.DefaultEvictionSettings
	}
	return s.evict.Eviction()
}

// usedMemory is the figure maxmemory is judged by.
func (s *Server) usedMemory() int64 {
	if s.evict == nil {
		return 0
	}
	return s.evict.UsedMemory()
}

// overMaxMemory says whether memory is above maxmemory on this node's
// applied state (any node can ask: the figures are replicated).
func (s *Server) overMaxMemory() bool {
	limit := s.eviction().MaxMemory
	return limit != 0 && s.usedMemory() > limit
}

// oomReply returns Redis's OOM error for c's call of cmd with args while
// memory is above maxmemory and nothing may be evicted, or "". The
// eviction before the command (evict_first.go) decides, as Redis's
// performEvictions' one result does; without one (noeviction, or on a
// follower) MakeRoom answers at once.
func (s *Server) oomReply(c *client, cmd *protocol.Command, args [][]byte) string {
	if cmd.FlagsFor(args)&protocol.DenyOOM == 0 || !s.overMaxMemory() {
		return ""
	}
	if c.room == roomUnknown {
		c.room = s.evictNow()
	}
	if c.room == roomMade {
		return ""
	}
	return protocol.ErrOOM
}

// roomFor answers OOM to a well-formed call that memory has no room for,
// in a transaction too (EXEC then answers EXECABORT, as Redis's does), and
// returns false; true when the call may go on. As in Redis's
// processCommand, in a transaction every command but EXEC, DISCARD, QUIT
// and RESET counts as denyoom, and EXEC is judged by what it queued: a
// denyoom command queued while memory was below the limit makes EXEC
// answer EXECABORT with the OOM reason once it is above. The leader judges
// every call, a follower only a transaction's (judgesOOM).
func (s *Server) roomFor(c *client, b *batch, cl *call) bool {
	if !cl.ok || s.judgedByFollower(c, cl) || s.evict == nil {
		return true
	}
	cmd, args := cl.cmd, cl.args
	if c.multi != nil && (cmd.Name == "exec" && queuedDenyOOM(c.multi) || !oomQueueExempt[cmd.Name]) {
		cmd, args = denyOOMCall, nil
	}
	if !s.judgesOOM(c, cmd, args) {
		return true
	}
	msg := s.oomReply(c, cmd, args)
	if msg == "" {
		return true
	}
	s.rejectCall(c, b, cl, msg)
	return false
}

// judgesOOM says whether this node judges cmd (a call, or what roomFor
// makes of it in a transaction) against maxmemory. The leader judges every
// call. A follower sends writes and a transaction's block to the leader,
// which judges them there; but Redis refuses a command queued while memory
// is above maxmemory when it is queued (and EXEC of a denyoom one with the
// OOM reason), and a follower queues here. So a follower judges a denyoom
// call in a transaction itself when the leader could not evict either
// (noeviction) and its state, after applying the leader's read index, is
// above maxmemory (the figures are replicated, the same on every node at
// the same index). Under an evicting policy the command is queued and the
// leader judges the block at EXEC: it evicts, or answers EXECABORT.
func (s *Server) judgesOOM(c *client, cmd *protocol.Command, args [][]byte) bool {
	if s.router.IsLeader() {
		return true
	}
	return c.multi != nil && cmd.FlagsFor(args)&protocol.DenyOOM != 0 && s.followerOOM()
}

// followerOOM says, on a follower, whether the leader would refuse a
// denyoom command now without evicting: the policy is noeviction and this
// node's state, once it applied the leader's read index, is above
// maxmemory. Cheap while it is not above.
func (s *Server) followerOOM() bool {
	return s.eviction().Policy == cluster.NoEviction && s.overMaxMemory() && s.appliedLeaderIndex() && s.overMaxMemory()
}

// appliedLeaderIndex makes this follower apply the leader's read index,
// waiting at most the election wait, and reports whether it did.
func (s *Server) appliedLeaderIndex() bool {
	deadline := time.Now().Add(s.cfg.ElectionWait)
	ri, errMsg := s.fetchReadIndex(deadline)
	return errMsg == "" && s.linear.WaitApplied(ri.index, max(time.Until(deadline), time.Millisecond)) == nil
}

// judgedByFollower reports whether cl is a command of a transaction a
// follower queued (RAFT QUEUED), which that follower judged as it queued
// it: only the transaction's EXEC is judged here, by what it queued, as
// Redis judges EXEC. EXEC ends the mark.
func (s *Server) judgedByFollower(c *client, cl *call) bool {
	if !c.queuedByFollower || c.multi == nil {
		return false
	}
	if cl.cmd.Name == "exec" {
		c.queuedByFollower = false
		return false
	}
	return true
}

// RAFT QUEUED: the connection's next transaction was queued on a follower
// (internal: sent by followers before a forwarded MULTI block).
func raftQueued(c *protocol.Ctx) {
	conn(c).queuedByFollower = true
	c.Out.OK()
}

// oomQueueExempt are the commands a transaction may still send while
// memory is above maxmemory; any other is refused rather than queued
// (queuing takes memory), as Redis's processCommand does.
var oomQueueExempt = map[string]bool{"exec": true, "discard": true, "quit": true, "reset": true}

// queuedDenyOOM says whether a transaction queued a denyoom command.
func queuedDenyOOM(m *multiState) bool {
	return m.queuedAny(func(cmd *protocol.Command, args [][]byte) bool {
		return cmd.FlagsFor(args)&protocol.DenyOOM != 0
	})
}

// lfuTracked returns the LFU parameters when maxmemory-policy is an LFU
// one (OBJECT FREQ answers then, IDLETIME refuses), else nil.
func (s *Server) lfuTracked() *datatypes.LFUParams {
	if s.evict == nil {
		return nil
	}
	e := s.evict.Eviction()
	if !e.Policy.LFU() {
		return nil
	}
	lfu := e.LFU // only this escapes: no allocation per read under other policies
	return &lfu
}

// The eviction parameters, replicated (cluster/evict_settings.go), each
// checked as Redis checks it.
func init() {
	replicatedParams[cluster.SettingMaxMemory] = parseMemoryValue
	replicatedParams[cluster.SettingMaxMemoryPolicy] = parsePolicy
	replicatedParams[cluster.SettingMaxMemorySamples] = intRange(1, 1<<31-1)
	replicatedParams[cluster.SettingEvictionTenacity] = intRange(0, 100)
	replicatedParams[cluster.SettingLFULogFactor] = intRange(0, 1<<31-1)
	replicatedParams[cluster.SettingLFUDecayTime] = intRange(0, 1<<31-1)
	def := cluster.DefaultEvictionSettings
	params = append(params,
		seeded(evictionParam(cluster.SettingMaxMemory, "0")),
		seeded(evictionParam(cluster.SettingMaxMemoryPolicy, def.Policy.String())),
		evictionParam(cluster.SettingMaxMemorySamples, strconv.Itoa(def.Samples)),
		evictionParam(cluster.SettingEvictionTenacity, strconv.Itoa(def.Tenacity)),
		evictionParam(cluster.SettingLFULogFactor, strconv.FormatInt(def.LFU.LogFactor, 10)),
		evictionParam(cluster.SettingLFUDecayTime, strconv.FormatInt(def.LFU.DecayTime, 10)),
	)
}

// evictionParam is a replicated eviction parameter, def until set.
func evictionParam(name, def string) *param {
	return &param{name: name, replicated: true, get: func(st *settings) string {
		if st.replicated != nil {
			if v, ok := st.replicated(name); ok {
				return v
			}
		}
		return def
	}}
}

func seeded(p *param) *param {
	p.seed = true
	return p
}

// parsePolicy checks a maxmemory-policy name, any case.
func parsePolicy(v []byte) (string, string) {
	name := strings.ToLower(string(v))
	if _, ok := cluster.ParsePolicy(name); !ok {
		return "", "argument(s) must be one of the following: " + strings.Join(cluster.PolicyNames, ", ")
	}
	return name, ""
}

// intRange checks an integer in [lo, hi], with Redis's texts.
func intRange(lo, hi int64) func(v []byte) (string, string) {
	return func(v []byte) (string, string) {
		n, reason := parseIntConfig(v, lo, hi)
		if reason != "" {
			return "", reason
		}
		return strconv.FormatInt(n, 10), ""
	}
}

// evictedKeys is INFO's evicted_keys: the keys this node's state machine
// deleted by eviction since the last CONFIG RESETSTAT.
func (s *Server) evictedKeys() int64 {
	if s.evict == nil {
		return 0
	}
	return s.evict.EvictedKeys() - s.stats.evictedBase.Load()
}

// expiredKeys is INFO's expired_keys: the expired keys this node's state
// machine removed since the last CONFIG RESETSTAT.
func (s *Server) expiredKeys() int64 {
	if s.evict == nil {
		return 0
	}
	return s.evict.ExpiredKeys() - s.stats.expiredBase.Load()
}

// CanonicalSetting checks value for the replicated parameter name as
// CONFIG SET does and returns its canonical form, or Redis's reason to
// refuse it (for flags that seed a setting: cmd/geetcache).
func CanonicalSetting(name, value string) (string, string) {
	parse, ok := replicatedParams[name]
	if !ok {
		return "", "not a replicated parameter"
	}
	return parse([]byte(value))
}
